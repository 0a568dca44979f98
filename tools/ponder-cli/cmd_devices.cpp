// cmd_devices.cpp: `ponder-cli devices` (not built yet: see the open issues).
#include "commands.h"

#include <cstdio>

namespace ponder::cli {

int cmd_devices(Args&) {
    std::fprintf(stderr, "error: 'devices' is not available in this build yet\n");
    return 1;
}

}  // namespace ponder::cli
