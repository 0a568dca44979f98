// kv_cache.h: per-layer K/V tensors of one conversation plus the token list they hold.
#pragma once

#include "backend/backend.h"

#include <cstdint>
#include <span>
#include <vector>

namespace ponder {

// Row p of every layer's K and V holds position p of `tokens()`. The token list is what makes
// common-prefix reuse possible: a new prompt only processes the tokens after the shared prefix.
class KvCache {
public:
    // Allocates n_layers x (K, V) of [capacity, kv_dim] in `type` (F16 default; Q8_0 blocks must
    // not straddle heads, so it needs head_dim % 32 == 0 and falls back to F16 otherwise; F32 for
    // exactness checks).
    // values_in_keys (MLA, deepseek2): one tensor per layer whose rows serve as keys and values
    // (the latent [c | k_pe] rows); values(layer) is keys(layer).
    KvCache(Backend& backend, int n_layers, int capacity, int kv_dim, int head_dim, KvCacheType type,
            bool values_in_keys = false);

    // The element type a cache of `type` gets for heads of head_dim.
    static DType dtype_for(KvCacheType type, int head_dim);
    ~KvCache();
    KvCache(const KvCache&) = delete;
    KvCache& operator=(const KvCache&) = delete;

    int capacity() const { return m_capacity; }
    int size() const { return static_cast<int>(m_tokens.size()); }
    int free() const { return m_capacity - size(); }
    DType type() const { return m_type; }
    std::span<const std::int32_t> tokens() const { return m_tokens; }

    const Tensor& keys(int layer) const { return m_k[layer]; }
    const Tensor& values(int layer) const { return m_v.empty() ? m_k[layer] : m_v[layer]; }

    // Length of the longest common prefix of the cached tokens and `tokens`.
    int common_prefix(std::span<const std::int32_t> tokens) const;
    // Forgets positions >= n (their rows are simply overwritten later).
    void truncate(int n);
    // Records tokens whose K/V rows were just written at positions size() .. size() + n - 1.
    void append(std::span<const std::int32_t> tokens);
    void clear() { m_tokens.clear(); }

    std::uint64_t bytes() const;
    // Bytes one position takes over all layers (K and V, or the shared rows).
    std::uint64_t bytes_per_position() const;

private:
    Backend& m_backend;
    int m_capacity;
    DType m_type;
    std::vector<Tensor> m_k, m_v;
    std::vector<std::int32_t> m_tokens;
};

}  // namespace ponder
