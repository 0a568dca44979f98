// transformer.cpp: norm -> attention -> residual -> norm -> SwiGLU FFN -> residual, per layer
// (deepseek2: latent attention and, past the leading dense layers, a mixture of experts).
#include "model/transformer.h"

#include "util/error.h"

#include <algorithm>

namespace ponder {

Transformer::Transformer(Backend& backend, const ModelConfig& c, const ModelWeights& weights, int max_batch)
    : m_backend(backend), m_config(c), m_weights(weights), m_max_batch(std::max(1, max_batch)) {
    const std::int64_t b = m_max_batch;
    m_x = backend.alloc(DType::F32, b, c.dim);
    m_xn = backend.alloc(DType::F32, b, c.dim);
    if (c.mla()) {
        m_ds2 = std::make_unique<Deepseek2Blocks>(backend, c, weights, m_max_batch);
        m_ffn_out = backend.alloc(DType::F32, b, c.dim);
    } else {
        m_q = backend.alloc(DType::F32, b, c.q_dim());
        m_k = backend.alloc(DType::F32, b, c.kv_dim());
        m_v = backend.alloc(DType::F32, b, c.kv_dim());
        m_attn = backend.alloc(DType::F32, b, c.q_dim());
    }
    if (c.hidden_dim > 0) {  // deepseek2 without leading dense layers has no dense FFN
        m_gate = backend.alloc(DType::F32, b, c.hidden_dim);
        m_up = backend.alloc(DType::F32, b, c.hidden_dim);
    }
    m_last = backend.alloc(DType::F32, 1, c.dim);
    m_logits = backend.alloc(DType::F32, 1, c.vocab_size);
    m_top_ids = backend.alloc(DType::I32, 1, kMaxTopK);
    m_top_values = backend.alloc(DType::F32, 1, kMaxTopK);
    m_ids = backend.alloc(DType::I32, b, 1);
    m_pos.pos = backend.alloc(DType::I32, b, 1);
    m_pos.kv_len = backend.alloc(DType::I32, 1, 1);
}

Transformer::~Transformer() {
    for (const Tensor* t : {&m_x, &m_xn, &m_q, &m_k, &m_v, &m_attn, &m_gate, &m_up, &m_last, &m_logits, &m_ffn_out,
                            &m_ids, &m_pos.pos, &m_pos.kv_len, &m_top_ids, &m_top_values})
        if (!t->empty()) m_backend.release(*t);
}

bool Transformer::forward(std::span<const std::int32_t> tokens, KvCache& cache, std::span<float> logits,
                          std::stop_token stop) {
    if (logits.size() != static_cast<std::size_t>(m_config.vocab_size))
        fail("forward: logits buffer has %zu entries, vocabulary has %d", logits.size(), m_config.vocab_size);
    return run(tokens, cache, stop,
               [&] { m_backend.download(m_logits, logits.data(), logits.size() * sizeof(float)); });
}

bool Transformer::forward_top_k(std::span<const std::int32_t> tokens, KvCache& cache, std::span<std::int32_t> ids,
                                std::span<float> values, std::stop_token stop) {
    const std::size_t k = ids.size();
    if (k < 1 || k > static_cast<std::size_t>(kMaxTopK) || k > static_cast<std::size_t>(m_config.vocab_size) ||
        values.size() != k)
        fail("forward_top_k: %zu ids and %zu values for a vocabulary of %d (k must be 1 to %d)", k, values.size(),
             m_config.vocab_size, kMaxTopK);
    return run(tokens, cache, stop, [&] {
        const Tensor ti = m_top_ids.slice_cols(0, static_cast<std::int64_t>(k));
        const Tensor tv = m_top_values.slice_cols(0, static_cast<std::int64_t>(k));
        m_backend.top_k(m_logits, ti, tv);
        m_backend.download(ti, ids.data(), k * sizeof(std::int32_t));
        m_backend.download(tv, values.data(), k * sizeof(float));
    });
}

bool Transformer::run(std::span<const std::int32_t> tokens, KvCache& cache, std::stop_token stop,
                      const std::function<void()>& read_last) {
    if (tokens.empty()) fail("forward: no tokens");
    if (tokens.size() > static_cast<std::size_t>(cache.free()))
        fail("forward: %zu tokens do not fit in the context (%d of %d used)", tokens.size(), cache.size(),
             cache.capacity());
    // Checked here, on the host: a GPU backend reads the ids on the device, where a bad one
    // could only be clamped.
    for (const std::int32_t id : tokens)
        if (id < 0 || id >= m_config.vocab_size)
            fail("forward: token id %d outside the vocabulary [0, %d)", id, m_config.vocab_size);
    for (std::size_t i = 0; i < tokens.size(); i += m_max_batch) {
        if (i > 0 && stop.stop_requested()) return false;
        const std::size_t n = std::min<std::size_t>(m_max_batch, tokens.size() - i);
        const bool last = i + n == tokens.size();
        try {
            step(tokens.subspan(i, n), cache.size(), cache, last);
            if (last) read_last();
            m_backend.finish();
        } catch (...) {
            m_backend.discard();  // a half-built step must not run with the next one
            throw;
        }
        cache.append(tokens.subspan(i, n));  // only once the rows are really written
    }
    return true;
}

void Transformer::step(std::span<const std::int32_t> tokens, int first_pos, KvCache& cache, bool want_logits) {
    const ModelConfig& c = m_config;
    Backend& be = m_backend;
    const std::int64_t n = static_cast<std::int64_t>(tokens.size());
    const Tensor x = m_x.slice_rows(0, n), xn = m_xn.slice_rows(0, n);
    const auto rows = [n](const Tensor& t) { return t.empty() ? t : t.slice_rows(0, n); };
    const Tensor q = rows(m_q), k = rows(m_k), v = rows(m_v), attn = rows(m_attn);
    const Tensor gate = rows(m_gate), up = rows(m_up);
    const Tensor ids = m_ids.slice_rows(0, n);
    const StepPositions pos = m_pos.first(n);

    RopeParams rope_q;
    rope_q.n_heads = c.n_heads;
    rope_q.head_dim = c.head_dim;
    rope_q.n_rot = c.rope_dim;
    rope_q.freq_base = c.rope_theta;
    rope_q.freq_scale = c.rope_freq_scale;
    rope_q.neox = c.rope_neox;
    rope_q.freq_factors = m_weights.rope_freqs;
    rope_q.ext_factor = c.yarn_ext_factor;
    rope_q.yarn_low = c.yarn_low;
    rope_q.yarn_high = c.yarn_high;
    rope_q.mscale = c.rope_mscale;
    RopeParams rope_k = rope_q;
    rope_k.n_heads = c.n_kv_heads;
    AttentionParams ap;
    ap.n_heads = c.n_heads;
    ap.n_kv_heads = c.n_kv_heads;
    ap.head_dim = c.head_dim;
    ap.scale = c.attn_scale;

    // the step's inputs, once: every op below reads them from device memory, so a decode step is
    // the same op sequence whatever its token and position
    be.upload(ids, tokens.data(), tokens.size_bytes());
    upload_positions(be, pos, first_pos, n);
    // token embeddings: x (n, dim)
    be.get_rows(m_weights.token_embd, ids, x);
    for (int il = 0; il < c.n_layers; ++il) {
        const LayerWeights& l = m_weights.layers[il];
        // attention: xn = norm(x); q, k, v = W . xn (+ bias)
        be.rms_norm(x, l.attn_norm, c.norm_eps, xn);
        if (m_ds2) {
            // deepseek2: latent attention, then x += Wo . attn; a dense or a mixture-of-experts FFN
            m_ds2->attention(il, xn, pos, cache);
            be.add(x, xn, x);
            be.rms_norm(x, l.ffn_norm, c.norm_eps, xn);
            if (c.ds2.moe_layer(il)) {
                const Tensor out = m_ffn_out.slice_rows(0, n);
                m_ds2->moe(il, xn, out);
                be.add(x, out, x);
                continue;
            }
            be.matmul(l.w_gate, xn, gate);
            be.matmul(l.w_up, xn, up);
            be.swiglu(gate, up, gate);
            be.matmul(l.w_down, gate, xn);
            be.add(x, xn, x);
            continue;
        }
        be.matmul(l.wq, xn, q);
        be.matmul(l.wk, xn, k);
        be.matmul(l.wv, xn, v);
        if (!l.bq.empty()) be.add(q, l.bq, q);
        if (!l.bk.empty()) be.add(k, l.bk, k);
        if (!l.bv.empty()) be.add(v, l.bv, v);
        // qwen3: RMSNorm of every head of q and k, before RoPE
        if (!l.q_norm.empty()) {
            const Tensor qh = q.reshape(n * c.n_heads, c.head_dim);
            be.rms_norm(qh, l.q_norm, c.norm_eps, qh);
        }
        if (!l.k_norm.empty()) {
            const Tensor kh = k.reshape(n * c.n_kv_heads, c.head_dim);
            be.rms_norm(kh, l.k_norm, c.norm_eps, kh);
        }
        // rotary position embedding of q and k at positions first_pos ..
        be.rope(q, pos, rope_q);
        be.rope(k, pos, rope_k);
        // append this step's keys/values to the cache, then causal GQA over it
        be.store_kv(k, cache.keys(il), pos);
        be.store_kv(v, cache.values(il), pos);
        be.attention(q, cache.keys(il), cache.values(il), pos, ap, attn);
        // output projection and residual: x += Wo . attn
        be.matmul(l.wo, attn, xn);
        be.add(x, xn, x);
        // feed-forward: x += W_down . (silu(W_gate . norm(x)) * (W_up . norm(x)))
        be.rms_norm(x, l.ffn_norm, c.norm_eps, xn);
        be.matmul(l.w_gate, xn, gate);
        be.matmul(l.w_up, xn, up);
        be.swiglu(gate, up, gate);
        be.matmul(l.w_down, gate, xn);
        be.add(x, xn, x);
    }
    if (!want_logits) return;
    // logits of the last position only: output . norm(x[n-1])
    be.rms_norm(x.slice_rows(n - 1, 1), m_weights.output_norm, c.norm_eps, m_last);
    be.matmul(m_weights.output, m_last, m_logits);
}

}  // namespace ponder
