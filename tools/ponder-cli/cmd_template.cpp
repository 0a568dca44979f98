// cmd_template.cpp: `ponder-cli template` (not built yet: see the open issues).
#include "commands.h"

#include <cstdio>

namespace ponder::cli {

int cmd_template(Args&) {
    std::fprintf(stderr, "error: 'template' is not available in this build yet\n");
    return 1;
}

}  // namespace ponder::cli
