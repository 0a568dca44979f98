// cmd_run.cpp: `ponder-cli run` (not built yet: see the open issues).
#include "commands.h"

#include <cstdio>

namespace ponder::cli {

int cmd_run(Args&) {
    std::fprintf(stderr, "error: 'run' is not available in this build yet\n");
    return 1;
}

}  // namespace ponder::cli
