// cmd_logits.cpp: `ponder-cli logits` (not built yet: see the open issues).
#include "commands.h"

#include <cstdio>

namespace ponder::cli {

int cmd_logits(Args&) {
    std::fprintf(stderr, "error: 'logits' is not available in this build yet\n");
    return 1;
}

}  // namespace ponder::cli
