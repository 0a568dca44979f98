// generation_output.cpp: generation options, the piece printer and the stats line for run and chat.
#include "generation_output.h"

#include <unistd.h>
#include <cstdio>

namespace ponder::cli {

PiecePrinter::PiecePrinter() : m_tty(isatty(fileno(stdout)) != 0) {}

bool PiecePrinter::operator()(const Piece& p) {
    if (p.channel != m_channel) {
        if (m_channel == Channel::Reasoning) end_reasoning();
        if (p.channel == Channel::Reasoning && m_tty) std::fputs("\x1b[2m", stdout);
        m_channel = p.channel;
    }
    std::fwrite(p.text.data(), 1, p.text.size(), stdout);
    std::fflush(stdout);
    return true;
}

void PiecePrinter::finish() {
    if (m_channel == Channel::Reasoning) end_reasoning();
    m_channel = Channel::Answer;
    std::fflush(stdout);
}

void PiecePrinter::end_reasoning() {
    if (m_tty) std::fputs("\x1b[0m", stdout);
    std::fputs("\n\n", stdout);  // keep reasoning and answer apart when piped too
}

namespace {

const char* stop_reason_text(StopReason r) {
    switch (r) {
    case StopReason::EndOfTurn: return "end of turn";
    case StopReason::MaxTokens: return "max tokens";
    case StopReason::Cancelled: return "cancelled";
    case StopReason::ContextFull: return "context full";
    }
    return "?";
}

}  // namespace

void print_stats(const GenerationStats& s) {
    std::fprintf(stderr,
                 "\n[%s] prompt %d tokens (%d reused) %.1f tok/s, generated %d tokens %.1f tok/s, "
                 "first token %.0f ms, context %d/%d, stop: %s\n",
                 s.backend.c_str(), s.prompt_tokens, s.reused_tokens, s.prompt_tokens_per_s, s.generated_tokens,
                 s.generation_tokens_per_s, s.time_to_first_token_ms, s.context_used, s.context_size,
                 stop_reason_text(s.stop_reason));
}

GenerateOptions read_generate_options(Args& args) {
    GenerateOptions g;
    g.max_tokens = args.integer("--n-predict", -1, "-n");
    g.sampling.temperature = static_cast<float>(args.number("--temp", g.sampling.temperature));
    g.sampling.top_k = args.integer("--top-k", g.sampling.top_k);
    g.sampling.top_p = static_cast<float>(args.number("--top-p", g.sampling.top_p));
    g.sampling.min_p = static_cast<float>(args.number("--min-p", g.sampling.min_p));
    g.sampling.repeat_penalty = static_cast<float>(args.number("--repeat-penalty", g.sampling.repeat_penalty));
    const int seed = args.integer("--seed", 0, "-s");
    if (seed < 0) throw UsageError{"--seed must be >= 0"};
    g.sampling.seed = static_cast<std::uint64_t>(seed);
    g.reasoning_budget = args.integer("--reasoning-budget", -1);
    if (args.flag("--no-think")) g.reasoning = false;
    if (args.flag("--stop-when-full")) g.context_policy = ContextPolicy::Stop;
    return g;
}

}  // namespace ponder::cli
