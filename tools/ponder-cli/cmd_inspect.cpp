// cmd_inspect.cpp: `ponder-cli inspect` (not built yet: see the open issues).
#include "commands.h"

#include <cstdio>

namespace ponder::cli {

int cmd_inspect(Args&) {
    std::fprintf(stderr, "error: 'inspect' is not available in this build yet\n");
    return 1;
}

}  // namespace ponder::cli
