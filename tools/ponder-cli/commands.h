// commands.h: one entry point per ponder-cli subcommand; each lives in cmd_<name>.cpp.
// Every command returns the process exit status: 0 success, 1 error (printed as "error: ..."), 2 usage.
#pragma once

#include "args.h"

namespace ponder::cli {

int cmd_inspect(Args& args);
int cmd_synth(Args& args);
int cmd_tokenize(Args& args);
int cmd_template(Args& args);
int cmd_run(Args& args);
int cmd_chat(Args& args);
int cmd_logits(Args& args);
int cmd_bench(Args& args);
int cmd_devices(Args& args);

}  // namespace ponder::cli
