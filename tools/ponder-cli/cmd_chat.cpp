// cmd_chat.cpp: `ponder-cli chat` (not built yet: see the open issues).
#include "commands.h"

#include <cstdio>

namespace ponder::cli {

int cmd_chat(Args&) {
    std::fprintf(stderr, "error: 'chat' is not available in this build yet\n");
    return 1;
}

}  // namespace ponder::cli
