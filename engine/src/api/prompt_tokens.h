// prompt_tokens.h: chat prompt -> token ids in which message text never becomes control tokens.
#pragma once

#include "chat/chat_template.h"
#include "tokenizer/tokenizer.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ponder {

// The texts of a vocabulary's Control/Unknown tokens (those that encode() turns into ids only with
// parse_special), sorted and filtered by first byte so that scanning every message on every reply
// stays cheap (Llama 3's 256 "<|...|>" texts cost a binary search per '<', not 256 comparisons).
class ControlTexts {
public:
    explicit ControlTexts(const Tokenizer& tokenizer);

    // Some control token's text occurs in `text`.
    bool occurs_in(std::string_view text) const;
    // Control token ids, longest text first (the order the tokenizer resolves overlaps in).
    std::span<const std::int32_t> longest_first() const { return m_longest_first; }

private:
    const Tokenizer* m_tokenizer;
    std::vector<std::int32_t> m_longest_first;
    std::array<bool, 256> m_first_byte{};
    std::vector<std::string_view> m_sorted;
};

// A byte range [begin, end) of a prompt that must be tokenized as plain text.
struct PlainSpan {
    std::size_t begin = 0;
    std::size_t end = 0;
};

// Tokenizes `text` as encode(text, false, true) does, except that control-token text inside the
// `plain` spans (sorted, disjoint) stays plain text. Text between control tokens is encoded as one
// piece across span edges, so BPE merges and SentencePiece's space prefix are what a plain-text
// tokenization of the same characters gives. No BOS is added.
std::vector<std::int32_t> encode_with_plain_spans(const Tokenizer& tokenizer, const ControlTexts& controls,
                                                  std::string_view text, std::span<const PlainSpan> plain);

// Renders messages with a chat template (the other variables bound by the caller).
using RenderMessages = std::function<std::string(std::vector<chat::ChatMessage> messages, bool add_generation_prompt)>;

struct PromptTokens {
    std::string text;               // the rendered prompt (with the messages' real text)
    std::vector<std::int32_t> ids;  // without BOS handling (the caller adds it)
    bool protected_text = false;    // some message held control-token text, tokenized as plain
};

// Renders and tokenizes a conversation. Messages without control-token text give exactly
// encode(render(messages), false, true); otherwise their content and reasoning are kept plain
// (see prompt_tokens.cpp for how the spans are found and the fallbacks).
PromptTokens tokenize_prompt(const Tokenizer& tokenizer, const ControlTexts& controls,
                             std::vector<chat::ChatMessage> messages, bool add_generation_prompt,
                             const RenderMessages& render);

}  // namespace ponder
