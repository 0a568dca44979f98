// cmd_synth.cpp: `ponder-cli synth` (not built yet: see the open issues).
#include "commands.h"

#include <cstdio>

namespace ponder::cli {

int cmd_synth(Args&) {
    std::fprintf(stderr, "error: 'synth' is not available in this build yet\n");
    return 1;
}

}  // namespace ponder::cli
