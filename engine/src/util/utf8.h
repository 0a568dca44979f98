// utf8.h: UTF-8 decoding/encoding and the "never stream half a code point" helpers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ponder::utf8 {

// Length of a sequence from its lead byte (1..4), or 0 for a continuation/invalid lead byte.
int sequence_length(unsigned char lead);

// Decodes the code point at s[pos], advancing pos. Invalid bytes decode to U+FFFD and advance by 1.
char32_t decode(std::string_view s, std::size_t& pos);

// Appends the UTF-8 encoding of cp (invalid code points become U+FFFD).
void append(std::string& out, char32_t cp);

bool is_valid(std::string_view s);

// Length of the longest prefix of s that does not end inside an incomplete (but so far valid)
// multi-byte sequence. Streaming code emits s[0, n) and keeps the rest for the next piece.
std::size_t complete_prefix_length(std::string_view s);

// Replaces invalid sequences with U+FFFD.
std::string sanitize(std::string_view s);

}  // namespace ponder::utf8
