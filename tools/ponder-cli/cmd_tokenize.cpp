// cmd_tokenize.cpp: `ponder-cli tokenize` (not built yet: see the open issues).
#include "commands.h"

#include <cstdio>

namespace ponder::cli {

int cmd_tokenize(Args&) {
    std::fprintf(stderr, "error: 'tokenize' is not available in this build yet\n");
    return 1;
}

}  // namespace ponder::cli
