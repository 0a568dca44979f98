// utf8.cpp: strict UTF-8 (no overlongs, no surrogates, max U+10FFFF).
#include "util/utf8.h"

namespace ponder::utf8 {

int sequence_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    return 0;
}

// Valid range of the second byte given the lead byte (excludes overlongs and surrogates).
static bool second_byte_ok(unsigned char lead, unsigned char b) {
    if (lead == 0xE0) return b >= 0xA0 && b <= 0xBF;
    if (lead == 0xED) return b >= 0x80 && b <= 0x9F;
    if (lead == 0xF0) return b >= 0x90 && b <= 0xBF;
    if (lead == 0xF4) return b >= 0x80 && b <= 0x8F;
    return b >= 0x80 && b <= 0xBF;
}

// Returns the length of a valid sequence at s[pos], 0 if invalid, -1 if valid so far but truncated.
static int valid_sequence_at(std::string_view s, std::size_t pos) {
    const auto lead = static_cast<unsigned char>(s[pos]);
    const int len = sequence_length(lead);
    if (len == 0) return 0;
    for (int i = 1; i < len; ++i) {
        if (pos + i >= s.size()) return -1;
        const auto b = static_cast<unsigned char>(s[pos + i]);
        const bool ok = i == 1 ? second_byte_ok(lead, b) : (b & 0xC0) == 0x80;
        if (!ok) return 0;
    }
    return len;
}

char32_t decode(std::string_view s, std::size_t& pos) {
    const int len = valid_sequence_at(s, pos);
    if (len <= 0) {
        ++pos;
        return 0xFFFD;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(s.data() + pos);
    char32_t cp;
    switch (len) {
    case 1: cp = p[0]; break;
    case 2: cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu); break;
    case 3: cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu); break;
    default: cp = ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
    }
    pos += static_cast<std::size_t>(len);
    return cp;
}

void append(std::string& out, char32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool is_valid(std::string_view s) {
    for (std::size_t pos = 0; pos < s.size();) {
        const int len = valid_sequence_at(s, pos);
        if (len <= 0) return false;
        pos += static_cast<std::size_t>(len);
    }
    return true;
}

std::size_t complete_prefix_length(std::string_view s) {
    // Only the last 3 bytes can start an unfinished sequence.
    const std::size_t start = s.size() > 3 ? s.size() - 3 : 0;
    for (std::size_t pos = start; pos < s.size(); ++pos) {
        const auto lead = static_cast<unsigned char>(s[pos]);
        if ((lead & 0xC0) == 0x80) continue;  // continuation byte
        if (valid_sequence_at(s, pos) == -1) return pos;
    }
    return s.size();
}

std::string sanitize(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t pos = 0; pos < s.size();) append(out, decode(s, pos));
    return out;
}

}  // namespace ponder::utf8
