// bpe.cpp: byte-level BPE: the byte <-> code point table and rank-ordered merging of one pre-token.
#include "tokenizer/bpe.h"

#include "util/error.h"
#include "util/log.h"
#include "util/utf8.h"

#include <algorithm>
#include <queue>

namespace ponder::tokenizer {

namespace {

struct ByteTables {
    std::array<char32_t, 256> to_cp{};
    std::array<std::string, 256> to_text{};  // UTF-8 of to_cp, for building byte-level strings fast

    ByteTables() {
        auto printable = [](int b) { return (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174); };
        char32_t next = 256;
        for (int b = 0; b < 256; ++b) {
            to_cp[b] = printable(b) ? static_cast<char32_t>(b) : next++;
            utf8::append(to_text[b], to_cp[b]);
        }
    }
};

const ByteTables& tables() {
    static const ByteTables t;
    return t;
}

}  // namespace

int codepoint_to_byte(char32_t cp) {
    if ((cp >= 33 && cp <= 126) || (cp >= 161 && cp <= 172) || (cp >= 174 && cp <= 255)) return static_cast<int>(cp);
    if (cp < 256 || cp >= 256 + 68) return -1;
    // The remapped bytes, in increasing order, got U+0100 + n.
    static const auto inverse = [] {
        std::array<int, 68> inv{};
        for (int b = 0; b < 256; ++b)
            if (tables().to_cp[b] >= 256) inv[tables().to_cp[b] - 256] = b;
        return inv;
    }();
    return inverse[cp - 256];
}

void append_byte_level(std::string& out, std::string_view bytes) {
    const ByteTables& t = tables();
    for (unsigned char b : bytes) out += t.to_text[b];
}

void append_from_byte_level(std::string& out, std::string_view text) {
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t start = pos;
        const char32_t cp = utf8::decode(text, pos);
        const int b = codepoint_to_byte(cp);
        if (b >= 0)
            out += static_cast<char>(b);
        else
            out.append(text.substr(start, pos - start));
    }
}

BpeModel::BpeModel(const std::vector<std::string>& tokens, const TokenIndex& index,
                   const std::vector<std::string>& merges, bool ignore_merges)
    : m_tokens(tokens), m_index(index), m_ignore_merges(ignore_merges) {
    const ByteTables& t = tables();
    for (int b = 0; b < 256; ++b) {
        m_byte_token[b] = m_index.find(t.to_text[b]);
        m_byte_symbol[b] = intern(t.to_text[b]);
    }
    m_merges.reserve(merges.size());
    // Loading is bound by cache misses on the hash tables (3 text lookups + 1 insert per merge), so
    // merges go in batches: hash and prefetch every slot of a batch first, then look them up.
    constexpr std::size_t kBatch = 32;
    struct Pending {
        std::string_view left, right;
        std::uint64_t h_left, h_right, h_joined;
        std::int32_t l, r, result;
    };
    std::array<Pending, kBatch> batch;
    std::string joined;
    for (std::size_t first = 0; first < merges.size(); first += kBatch) {
        const std::size_t count = std::min(kBatch, merges.size() - first);
        for (std::size_t i = 0; i < count; ++i) {
            const std::size_t rank = first + i;
            const std::string_view merge = merges[rank];
            // Split at the first space after the first character: a left part may itself be " ".
            const std::size_t sep = merge.size() > 1 ? merge.find(' ', 1) : std::string_view::npos;
            if (sep == std::string_view::npos || sep + 1 >= merge.size())
                fail("tokenizer: merge %zu (\"%.*s\") is not of the form \"left right\"", rank,
                     static_cast<int>(std::min<std::size_t>(merge.size(), 64)), merge.data());
            Pending& p = batch[i];
            p.left = merge.substr(0, sep);
            p.right = merge.substr(sep + 1);
            p.h_left = hash_text(p.left);
            p.h_right = hash_text(p.right);
            p.h_joined = hash_text(p.right, p.h_left);
            m_index.prefetch(p.h_left);
            m_index.prefetch(p.h_right);
            m_index.prefetch(p.h_joined);
        }
        for (std::size_t i = 0; i < count; ++i) {
            Pending& p = batch[i];
            p.l = intern(p.left, p.h_left);
            p.r = intern(p.right, p.h_right);
            p.result = intern(joined.assign(p.left).append(p.right), p.h_joined);
            m_merges.prefetch(p.l, p.r);
        }
        // The first (lowest-rank) occurrence of a pair wins, as with a rank map built in order.
        for (std::size_t i = 0; i < count; ++i)
            m_merges.insert(batch[i].l, batch[i].r, {static_cast<std::int32_t>(first + i), batch[i].result});
    }
    if (!m_extra_texts.empty())
        PONDER_LOG_WARN("tokenizer: %zu merge parts/results are not in the vocabulary; they encode as bytes",
                        m_extra_texts.size());
}

std::int32_t BpeModel::intern(std::string_view text, std::uint64_t hash) {
    const std::int32_t id = m_index.find(text, hash);
    if (id >= 0) return id;
    auto it = m_extra_index.find(text);
    if (it != m_extra_index.end()) return it->second;
    const auto extra_id = static_cast<std::int32_t>(m_tokens.size() + m_extra_texts.size());
    m_extra_texts.emplace_back(text);
    m_extra_index.emplace(std::string_view(m_extra_texts.back()), extra_id);
    return extra_id;
}

void BpeModel::emit(std::int32_t symbol, std::vector<std::int32_t>& out) const {
    if (symbol < static_cast<std::int32_t>(m_tokens.size())) {
        out.push_back(symbol);
        return;
    }
    // Not a token: spell it with one token per byte (skipping bytes the vocabulary cannot express).
    std::string bytes;
    append_from_byte_level(bytes, m_extra_texts[symbol - m_tokens.size()]);
    for (unsigned char b : bytes)
        if (m_byte_token[b] >= 0) out.push_back(m_byte_token[b]);
}

void BpeModel::encode_piece(std::string_view bytes, std::vector<std::int32_t>& out) const {
    if (bytes.empty()) return;
    if (bytes.size() == 1) {
        emit(m_byte_symbol[static_cast<unsigned char>(bytes[0])], out);
        return;
    }
    if (m_ignore_merges) {
        std::string text;
        append_byte_level(text, bytes);
        const std::int32_t whole = m_index.find(text);
        if (whole >= 0) {
            out.push_back(whole);
            return;
        }
    }

    // One symbol per byte, doubly linked; merged-away symbols get id -1.
    struct Symbol {
        std::int32_t id, prev, next;
    };
    const auto n = static_cast<std::int32_t>(bytes.size());
    std::vector<Symbol> sym(static_cast<std::size_t>(n));
    for (std::int32_t i = 0; i < n; ++i) sym[i] = {m_byte_symbol[static_cast<unsigned char>(bytes[i])], i - 1, i + 1};

    // Candidate pairs ordered by rank, then by position (leftmost first), like HF and llama.cpp.
    struct Pair {
        std::int32_t rank, left, right, left_id, right_id, result;
        bool operator>(const Pair& o) const { return rank != o.rank ? rank > o.rank : left > o.left; }
    };
    std::priority_queue<Pair, std::vector<Pair>, std::greater<Pair>> queue;
    auto consider = [&](std::int32_t left, std::int32_t right) {
        if (left < 0 || right >= n) return;
        const MergeTable::Merge* m = m_merges.find(sym[left].id, sym[right].id);
        if (!m) return;
        queue.push({m->rank, left, right, sym[left].id, sym[right].id, m->result});
    };
    for (std::int32_t i = 0; i + 1 < n; ++i) consider(i, i + 1);

    while (!queue.empty()) {
        const Pair p = queue.top();
        queue.pop();
        Symbol& l = sym[p.left];
        // Stale entry: one side has merged since the pair was queued.
        if (l.id != p.left_id || l.next != p.right || sym[p.right].id != p.right_id) continue;
        Symbol& r = sym[p.right];
        l.id = p.result;
        l.next = r.next;
        if (r.next < n) sym[r.next].prev = p.left;
        r.id = -1;
        consider(l.prev, p.left);
        consider(p.left, l.next);
    }
    for (std::int32_t i = 0; i < n; i = sym[i].next) emit(sym[i].id, out);
}

}  // namespace ponder::tokenizer
