// reasoning.h: think-marker discovery and the streaming splitter that routes generated text into reasoning vs answer.
#pragma once

#include <ponder/engine.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ponder::chat {

// A pair of markers that delimit the model's reasoning, e.g. "<think>" / "</think>".
struct ThinkMarkers {
    std::string open;
    std::string close;
    std::int32_t open_id = -1;  // token id when the marker is one vocabulary token, else -1
    std::int32_t close_id = -1;
};

// The marker pairs Ponder knows, most common first (<think>, <seed:think>, [THINK], <thinking>,
// <|begin_of_thought|>, Gemma 4's "<|channel>thought" ... "<channel|>").
std::span<const ThinkMarkers> known_think_markers();

// Finds the model's think markers: a known pair whose both markers are vocabulary tokens, or, failing
// that, whose both markers appear in the chat template text. nullopt for models that do not reason.
std::optional<ThinkMarkers> discover_think_markers(std::span<const std::string> token_texts,
                                                   std::string_view template_source);

// True when a rendered prompt ends inside an opened think block (e.g. DeepSeek-R1 distill templates
// whose generation prompt ends with "<think>\n"): the model's first tokens are then reasoning.
bool prompt_opens_think_block(std::string_view prompt, const ThinkMarkers& markers);

// Removes every "<open>...<close>" block (and an unterminated leading "...<close>") from an assistant
// answer and trims the whitespace around the cut, so history carries only the answer.
std::string strip_reasoning(std::string_view text, const ThinkMarkers& markers);

struct SplitPiece {
    Channel channel = Channel::Answer;
    std::string text;  // whole UTF-8 code points, never part of a marker
};

// Streaming splitter. Feed it each generated piece (one call per token); it returns what can be shown
// now. Text that could still turn out to be (part of) a marker, or an incomplete UTF-8 sequence, is
// held back until the next feed() or finish(). Once the think block has closed, everything is answer:
// a literal "<think>" later in the answer (say in a code block) stays answer text.
// Whitespace right after a marker and before the close marker is dropped (so reasoning and answer
// start and end with text); an open marker repeated at the start of the block is dropped too. A
// model that never opens the block gets its text through unchanged.
class ReasoningSplitter {
public:
    // A model without reasoning: everything is answer (still UTF-8 safe).
    ReasoningSplitter() = default;
    // prompt_opened: the prompt already opened the think block (see prompt_opens_think_block);
    // otherwise the model may open it itself as its first output (Qwen3, older R1 templates).
    // reasoning_budget: reasoning tokens allowed before budget_reached() turns true; -1 = none.
    ReasoningSplitter(ThinkMarkers markers, bool prompt_opened, int reasoning_budget = -1);

    // One generated token's text; token_id (optional) lets single-token markers match exactly.
    std::vector<SplitPiece> feed(std::string_view text, std::optional<std::int32_t> token_id = {});
    // End of generation: flushes held-back text (a missing end marker leaves it on its channel).
    std::vector<SplitPiece> finish();

    // The engine closes the block itself once this is true: it calls close_reasoning() and feeds
    // the close marker's tokens into the model (not into feed(); if it does, they are swallowed).
    bool budget_reached() const;
    // Flushes pending reasoning, switches to the answer channel and returns the flushed pieces.
    std::vector<SplitPiece> close_reasoning();

    // The prompt already holds reasoning text of this reply (a cut-short reply being continued):
    // text right after the open marker is no longer the block's start, so whitespace is kept.
    void continue_reasoning() { m_channel_started = m_state == State::Reasoning; }

    Channel channel() const;  // where the next text would go
    bool in_reasoning() const { return channel() == Channel::Reasoning; }
    bool reasoning_seen() const { return m_reasoning_seen; }
    int reasoning_tokens() const { return m_reasoning_tokens; }
    const ThinkMarkers& markers() const { return m_markers; }

private:
    enum class State {
        Answer,      // everything is answer
        MaybeOpen,   // start of generation: an open marker (after whitespace) would start reasoning
        Reasoning,   // inside the think block
        AfterClose,  // right after the block closed (forced): a close marker echo is swallowed
    };
    void process(std::vector<SplitPiece>& out, bool at_end);
    void emit(std::vector<SplitPiece>& out, Channel channel, std::string_view text);
    void enter_answer(std::vector<SplitPiece>& out);

    ThinkMarkers m_markers;
    State m_state = State::Answer;
    int m_budget = -1;
    int m_reasoning_tokens = 0;
    bool m_reasoning_seen = false;
    bool m_channel_started = false;  // non-whitespace emitted on the current channel
    std::string m_pending;           // text not yet routed
    std::string m_held_space;        // reasoning whitespace held until more text follows
    bool m_by_id = false;            // this feed() matches markers by token id, not by text
};

}  // namespace ponder::chat
