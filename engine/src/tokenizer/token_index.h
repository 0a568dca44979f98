// token_index.h: flat open-addressing hash tables: token text -> id, and (left, right) id pair -> merge.
// Node-based std::unordered_map made loading a 128k-token / 280k-merge vocabulary cache-miss bound.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ponder::tokenizer {

// A cache hint; a no-op where the compiler has no prefetch builtin.
inline void prefetch_line(const void* p) {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(p);
#else
    (void)p;
#endif
}

// 64-bit FNV-1a; token texts are short, so a simple byte loop is fast enough. `h` continues a
// previous hash, so hash_text(b, hash_text(a)) is the hash of a + b without building the string.
inline std::uint64_t hash_text(std::string_view s, std::uint64_t h = 1469598103934665603ull) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

inline std::size_t table_capacity(std::size_t n) {
    std::size_t cap = 16;
    while (cap < n * 2) cap <<= 1;  // load factor <= 0.5 keeps probe chains short
    return cap;
}

// Text -> id over a vocabulary's token strings (the vocabulary owns them and must outlive this).
class TokenIndex {
public:
    // Duplicate texts keep the lowest id.
    explicit TokenIndex(const std::vector<std::string>& tokens) : m_tokens(&tokens) {
        m_slots.assign(table_capacity(tokens.size()), Slot{});
        m_mask = m_slots.size() - 1;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            const std::uint64_t h = hash_text(tokens[i]);
            for (std::size_t s = h & m_mask;; s = (s + 1) & m_mask) {
                Slot& slot = m_slots[s];
                if (slot.id < 0) {
                    slot = {static_cast<std::uint32_t>(h >> 32), static_cast<std::int32_t>(i)};
                    break;
                }
                if (slot.tag == static_cast<std::uint32_t>(h >> 32) && tokens[slot.id] == tokens[i]) break;
            }
        }
    }
    // -1 when absent.
    std::int32_t find(std::string_view text) const { return find(text, hash_text(text)); }
    // With the text's hash_text() already known.
    std::int32_t find(std::string_view text, std::uint64_t h) const {
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        for (std::size_t s = h & m_mask;; s = (s + 1) & m_mask) {
            const Slot& slot = m_slots[s];
            if (slot.id < 0) return -1;
            if (slot.tag == tag && (*m_tokens)[slot.id] == text) return slot.id;
        }
    }

    // Loads the slot a hash starts probing at into cache (batch loaders hide memory latency).
    void prefetch(std::uint64_t h) const { prefetch_line(&m_slots[h & m_mask]); }

private:
    struct Slot {
        std::uint32_t tag = 0;  // high hash bits: most mismatches never touch the string
        std::int32_t id = -1;
    };
    const std::vector<std::string>* m_tokens;
    std::vector<Slot> m_slots;
    std::size_t m_mask = 0;
};

// (left id, right id) -> (rank, merged id). The first insertion of a pair wins.
class MergeTable {
public:
    struct Merge {
        std::int32_t rank = -1;
        std::int32_t result = -1;
    };
    void reserve(std::size_t n) {
        m_slots.assign(table_capacity(n), Slot{});
        m_mask = m_slots.size() - 1;
    }
    void insert(std::int32_t left, std::int32_t right, Merge merge) {
        const std::uint64_t k = key(left, right);
        for (std::size_t s = slot_of(k);; s = (s + 1) & m_mask) {
            if (m_slots[s].key == kEmpty) {
                m_slots[s] = {k, merge};
                ++m_size;
                return;
            }
            if (m_slots[s].key == k) return;
        }
    }
    void prefetch(std::int32_t left, std::int32_t right) const { prefetch_line(&m_slots[slot_of(key(left, right))]); }
    const Merge* find(std::int32_t left, std::int32_t right) const {
        const std::uint64_t k = key(left, right);
        for (std::size_t s = slot_of(k);; s = (s + 1) & m_mask) {
            if (m_slots[s].key == k) return &m_slots[s].merge;
            if (m_slots[s].key == kEmpty) return nullptr;
        }
    }
    std::size_t size() const { return m_size; }

private:
    static constexpr std::uint64_t kEmpty = ~0ull;  // ids are non-negative, so never a real key
    static std::uint64_t key(std::int32_t left, std::int32_t right) {
        return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) | static_cast<std::uint32_t>(right);
    }
    std::size_t slot_of(std::uint64_t k) const { return ((k * 0x9E3779B97F4A7C15ull) >> 20) & m_mask; }
    struct Slot {
        std::uint64_t key = kEmpty;
        Merge merge;
    };
    std::vector<Slot> m_slots;
    std::size_t m_mask = 0;
    std::size_t m_size = 0;
};

}  // namespace ponder::tokenizer
