// kv_cache.cpp: allocation and token bookkeeping of the KV cache.
#include "kv_cache/kv_cache.h"

#include "util/error.h"
#include "util/log.h"

#include <algorithm>

namespace ponder {

DType KvCache::dtype_for(KvCacheType type, int head_dim) {
    switch (type) {
    case KvCacheType::F32: return DType::F32;
    case KvCacheType::Q8_0: return head_dim % 32 == 0 ? DType::Q8_0 : DType::F16;
    case KvCacheType::F16: break;
    }
    return DType::F16;
}

KvCache::KvCache(Backend& backend, int n_layers, int capacity, int kv_dim, int head_dim, KvCacheType type,
                 bool values_in_keys)
    : m_backend(backend), m_capacity(capacity), m_type(dtype_for(type, head_dim)) {
    if (type == KvCacheType::Q8_0 && m_type != DType::Q8_0)
        PONDER_LOG_WARN("KV cache: Q8_0 needs a head dimension that is a multiple of 32 (got %d); using F16", head_dim);
    if (capacity <= 0 || n_layers <= 0 || kv_dim <= 0)
        fail("KV cache: invalid size (%d layers x %d x %d)", n_layers, capacity, kv_dim);
    m_k.reserve(n_layers);
    m_v.reserve(n_layers);
    try {
        for (int i = 0; i < n_layers; ++i) {
            m_k.push_back(backend.alloc(m_type, capacity, kv_dim));
            if (!values_in_keys) m_v.push_back(backend.alloc(m_type, capacity, kv_dim));
        }
    } catch (...) {
        for (const Tensor& t : m_k) backend.release(t);
        for (const Tensor& t : m_v) backend.release(t);
        throw;
    }
    m_tokens.reserve(capacity);
}

KvCache::~KvCache() {
    for (const Tensor& t : m_k) m_backend.release(t);
    for (const Tensor& t : m_v) m_backend.release(t);
}

int KvCache::common_prefix(std::span<const std::int32_t> tokens) const {
    const std::size_t n = std::min(tokens.size(), m_tokens.size());
    std::size_t i = 0;
    while (i < n && tokens[i] == m_tokens[i]) ++i;
    return static_cast<int>(i);
}

void KvCache::truncate(int n) {
    if (n < 0) n = 0;
    if (n < size()) m_tokens.resize(n);
}

void KvCache::append(std::span<const std::int32_t> tokens) {
    if (tokens.size() > static_cast<std::size_t>(free()))
        fail("KV cache: %zu tokens do not fit (%d of %d used)", tokens.size(), size(), m_capacity);
    m_tokens.insert(m_tokens.end(), tokens.begin(), tokens.end());
}

std::uint64_t KvCache::bytes() const { return bytes_per_position() * static_cast<std::uint64_t>(m_capacity); }

std::uint64_t KvCache::bytes_per_position() const {
    std::uint64_t total = 0;
    for (const Tensor& t : m_k) total += t.row_size();
    for (const Tensor& t : m_v) total += t.row_size();
    return total;
}

}  // namespace ponder
