// cmd_bench.cpp: `ponder-cli bench` (not built yet: see the open issues).
#include "commands.h"

#include <cstdio>

namespace ponder::cli {

int cmd_bench(Args&) {
    std::fprintf(stderr, "error: 'bench' is not available in this build yet\n");
    return 1;
}

}  // namespace ponder::cli
