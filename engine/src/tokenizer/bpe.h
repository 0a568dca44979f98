// bpe.h: byte-level BPE (GPT-2 style): bytes <-> printable code points, merges applied by rank.
#pragma once

#include "tokenizer/token_index.h"

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ponder::tokenizer {

// GPT-2's reversible byte -> code point table: printable Latin-1 bytes map to themselves, the
// other 68 bytes to U+0100.. in order. Token texts of byte-level vocabularies are written in it.
// codepoint_to_byte is its inverse: -1 for code points outside the table.
int codepoint_to_byte(char32_t cp);
// Appends the byte-level text of `bytes` (each byte one code point).
void append_byte_level(std::string& out, std::string_view bytes);
// Appends the bytes a byte-level token text stands for; code points outside the table are copied
// as UTF-8 unchanged.
void append_from_byte_level(std::string& out, std::string_view text);

class BpeModel {
public:
    // merges: "left right" per rank. ignore_merges: a pre-token that is itself a token is emitted
    // whole (Llama 3 behaviour). Throws ponder::Error naming the rank of a malformed merge.
    BpeModel(const std::vector<std::string>& tokens, const TokenIndex& index, const std::vector<std::string>& merges,
             bool ignore_merges);

    // Encodes one pre-token (raw bytes) and appends the ids.
    void encode_piece(std::string_view bytes, std::vector<std::int32_t>& out) const;

    std::size_t merge_count() const { return m_merges.size(); }

private:
    // Symbol ids >= n_tokens are texts that merges produce but the vocabulary lacks (broken files);
    // they are kept so ranks still apply, and fall back to byte tokens on output.
    std::int32_t intern(std::string_view text) { return intern(text, hash_text(text)); }
    std::int32_t intern(std::string_view text, std::uint64_t hash);
    void emit(std::int32_t symbol, std::vector<std::int32_t>& out) const;

    const std::vector<std::string>& m_tokens;
    const TokenIndex& m_index;
    bool m_ignore_merges;
    std::array<std::int32_t, 256> m_byte_symbol{};  // byte -> symbol id of its single-char text
    std::array<std::int32_t, 256> m_byte_token{};   // byte -> token id (-1 when missing)
    MergeTable m_merges;
    std::deque<std::string> m_extra_texts;  // texts of ids >= n_tokens
    std::unordered_map<std::string_view, std::int32_t> m_extra_index;
};

}  // namespace ponder::tokenizer
