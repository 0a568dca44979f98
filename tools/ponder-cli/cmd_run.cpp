// cmd_run.cpp: `ponder-cli run`: one completion (--raw) or a one-turn chat, streamed to stdout.
#include "commands.h"
#include "generation_output.h"
#include "model_args.h"

#include <cstdio>
#include <functional>

namespace ponder::cli {

int cmd_run(Args& args) {
    const LoadOptions lo = read_load_options(args);
    const std::string prompt = args.required("--prompt", "-p");
    const bool raw = args.flag("--raw");
    const bool quiet = args.flag("--quiet", "-q");
    const GenerateOptions g = read_generate_options(args);
    args.positional();

    const auto model = load_model(lo);
    Session session(model);
    PiecePrinter printer;
    GenerationStats stats;
    if (raw) {
        stats = session.complete(prompt, g, std::ref(printer));
    } else {
        const Message m{Role::User, prompt, {}};
        stats = session.reply(std::span<const Message>(&m, 1), g, std::ref(printer));
    }
    printer.finish();
    std::fputs("\n", stdout);
    if (!quiet) print_stats(stats);
    return 0;
}

}  // namespace ponder::cli
