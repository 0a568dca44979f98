// generation_output.h: what run and chat share: generation options from the command line, the
// streamed-piece printer (reasoning dimmed on a terminal) and the stats line.
#pragma once

#include "args.h"

#include <ponder/engine.h>

namespace ponder::cli {

// Prints pieces as they come; reasoning in ANSI faint when stdout is a terminal.
class PiecePrinter {
public:
    PiecePrinter();
    ~PiecePrinter() { finish(); }

    bool operator()(const Piece& p);
    void finish();  // closes an open reasoning block

private:
    void end_reasoning();

    bool m_tty;
    Channel m_channel = Channel::Answer;
};

// -n, --temp, --top-k, --top-p, --min-p, --repeat-penalty, --seed, --reasoning-budget, --no-think,
// --stop-when-full.
GenerateOptions read_generate_options(Args& args);

void print_stats(const GenerationStats& s);  // one line on stderr

}  // namespace ponder::cli
