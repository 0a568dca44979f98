// spm.cpp: SentencePiece-style merging: highest-scoring adjacent pair first, unknown characters as bytes.
#include "tokenizer/spm.h"

#include "util/error.h"

#include <queue>

namespace ponder::tokenizer {

std::string spm_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 4);
    for (char c : text) {
        if (c == ' ')
            out.append(kSpmSpace);
        else
            out += c;
    }
    return out;
}

void spm_unescape_append(std::string& out, std::string_view text) {
    for (std::size_t pos = 0;;) {
        const std::size_t hit = text.find(kSpmSpace, pos);
        if (hit == std::string_view::npos) {
            out.append(text.substr(pos));
            return;
        }
        out.append(text.substr(pos, hit - pos));
        out += ' ';
        pos = hit + kSpmSpace.size();
    }
}

int spm_byte_value(std::string_view text) {
    if (text.size() != 6 || text.substr(0, 3) != "<0x" || text[5] != '>') return -1;
    auto hex = [](char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    const int hi = hex(text[3]), lo = hex(text[4]);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

SpmModel::SpmModel(const std::vector<std::string>& tokens, const std::vector<float>& scores, const TokenIndex& index,
                   std::int32_t unk)
    : m_tokens(tokens), m_scores(scores), m_index(index) {
    for (int b = 0; b < 256; ++b) {
        std::int32_t id = m_index.find(strprintf("<0x%02X>", b));
        if (id < 0) id = m_index.find(std::string(1, static_cast<char>(b)));
        m_byte_token[b] = id >= 0 ? id : unk;
    }
}

void SpmModel::encode(std::string_view text, std::vector<std::int32_t>& out) const {
    if (text.empty()) return;
    // One symbol per UTF-8 character (length from the lead byte, clipped at the end of text).
    struct Symbol {
        std::int32_t prev, next;
        std::uint32_t start, len;  // len 0: merged into its left neighbour
    };
    std::vector<Symbol> sym;
    sym.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        static constexpr std::uint8_t kLen[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
        std::size_t len = kLen[static_cast<unsigned char>(text[pos]) >> 4];
        if (len > text.size() - pos) len = text.size() - pos;
        const auto i = static_cast<std::int32_t>(sym.size());
        sym.push_back({i - 1, i + 1, static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(len)});
        pos += len;
    }
    const auto n = static_cast<std::int32_t>(sym.size());

    // Highest score first; equal scores: leftmost first.
    struct Pair {
        float score;
        std::int32_t left, right;
        std::uint32_t len;
        bool operator<(const Pair& o) const { return score != o.score ? score < o.score : left > o.left; }
    };
    std::priority_queue<Pair> queue;
    auto consider = [&](std::int32_t left, std::int32_t right) {
        if (left < 0 || right >= n) return;
        const std::uint32_t len = sym[left].len + sym[right].len;
        const std::int32_t id = m_index.find(text.substr(sym[left].start, len));
        if (id < 0) return;
        const float score = static_cast<std::size_t>(id) < m_scores.size() ? m_scores[id] : 0.0f;
        queue.push({score, left, right, len});
    };
    for (std::int32_t i = 0; i + 1 < n; ++i) consider(i, i + 1);

    while (!queue.empty()) {
        const Pair p = queue.top();
        queue.pop();
        Symbol& l = sym[p.left];
        Symbol& r = sym[p.right];
        // Stale: a side was merged away or has grown since the pair was queued.
        if (l.len == 0 || r.len == 0 || l.len + r.len != p.len) continue;
        l.len += r.len;
        r.len = 0;
        l.next = r.next;
        if (r.next < n) sym[r.next].prev = p.left;
        consider(l.prev, p.left);
        consider(p.left, l.next);
    }

    for (std::int32_t i = 0; i < n; i = sym[i].next) {
        const std::string_view piece = text.substr(sym[i].start, sym[i].len);
        const std::int32_t id = m_index.find(piece);
        if (id >= 0) {
            out.push_back(id);
            continue;
        }
        // A character the vocabulary lacks: byte fallback.
        for (unsigned char b : piece)
            if (m_byte_token[b] >= 0) out.push_back(m_byte_token[b]);
    }
}

}  // namespace ponder::tokenizer
