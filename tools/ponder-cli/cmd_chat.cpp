// cmd_chat.cpp: `ponder-cli chat`: interactive multi-turn chat over stdin lines (works from a pipe).
#include "commands.h"
#include "generation_output.h"
#include "model_args.h"

#include <unistd.h>
#include <cstdio>
#include <iostream>
#include <string>

namespace ponder::cli {

int cmd_chat(Args& args) {
    const LoadOptions lo = read_load_options(args);
    const auto system = args.value("--system");
    const bool quiet = args.flag("--quiet", "-q");
    const GenerateOptions g = read_generate_options(args);
    args.positional();

    const auto model = load_model(lo);
    Session session(model);
    std::vector<Message> history;
    if (system) history.push_back({Role::System, *system, {}});
    const bool interactive = isatty(fileno(stdin)) != 0;
    if (interactive)
        std::fprintf(stderr, "%s loaded; type a message, an empty line or Ctrl-D ends the chat, /clear forgets it.\n",
                     model->info().name.c_str());
    std::string line;
    while (true) {
        if (interactive) std::fputs("> ", stderr);
        if (!std::getline(std::cin, line)) break;
        if (line.empty()) {
            if (interactive) break;
            continue;
        }
        if (line == "/clear") {
            history.erase(history.begin() + (system ? 1 : 0), history.end());
            continue;
        }
        history.push_back({Role::User, line, {}});
        Message answer{Role::Assistant, {}, {}};
        PiecePrinter printer;
        auto on_piece = [&](const Piece& p) {
            (p.channel == Channel::Reasoning ? answer.reasoning : answer.content).append(p.text);
            return printer(p);
        };
        const GenerationStats stats = session.reply(history, g, on_piece);
        printer.finish();
        std::fputs("\n", stdout);
        std::fflush(stdout);
        if (!quiet) print_stats(stats);
        history.push_back(std::move(answer));
    }
    return 0;
}

}  // namespace ponder::cli
