// spm.h: SentencePiece-style BPE by score over code points, with <0xXX> byte fallback (llama.cpp "llama").
#pragma once

#include "tokenizer/token_index.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ponder::tokenizer {

// Spaces in SentencePiece token texts are U+2581 ("▁").
inline constexpr std::string_view kSpmSpace = "\xE2\x96\x81";
// Replaces every ' ' by U+2581.
std::string spm_escape(std::string_view text);
// Appends text with every U+2581 replaced by ' '.
void spm_unescape_append(std::string& out, std::string_view text);
// The byte a "<0xXX>" token stands for; -1 if text is not of that form.
int spm_byte_value(std::string_view text);

class SpmModel {
public:
    // scores may be empty (all 0). unk: used for bytes with neither <0xXX> nor a one-byte token.
    SpmModel(const std::vector<std::string>& tokens, const std::vector<float>& scores, const TokenIndex& index,
             std::int32_t unk);

    // Encodes already-escaped text (spaces as U+2581), appending ids.
    void encode(std::string_view escaped, std::vector<std::int32_t>& out) const;

private:
    const std::vector<std::string>& m_tokens;
    const std::vector<float>& m_scores;
    const TokenIndex& m_index;
    std::array<std::int32_t, 256> m_byte_token{};  // -1 when neither form nor unk exists
};

}  // namespace ponder::tokenizer
