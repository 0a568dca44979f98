// deepseek2_blocks.cpp: MLA attention (absorbed) and the MoE FFN of deepseek2, on Backend ops.
//
// MLA, per token: the cache keeps one row per position and layer, [c | k_pe] with the latent
// c = norm(W_kv_a x)[:kv_lora] and k_pe = rope(W_kv_a x)[kv_lora:]. A head's query is split into
// q_nope and q_pe; instead of expanding c into per-head keys (W_k_b c) and values (W_v_b c),
// q_nope is moved into latent space once (W_k_b^T q_nope), so every head attends directly over
// the cached rows with [W_k_b^T q_nope | rope(q_pe)] . [c | k_pe], and the latent output is
// turned into the head's value afterwards with W_v_b. The cache is never expanded per head.
#include "model/deepseek2_blocks.h"

#include "util/error.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace ponder {

Deepseek2Blocks::Deepseek2Blocks(Backend& backend, const ModelConfig& c, const ModelWeights& weights, int max_batch)
    : m_backend(backend), m_config(c), m_weights(weights), m_max_batch(std::max(1, max_batch)) {
    const Deepseek2Config& d = c.ds2;
    const std::int64_t b = m_max_batch, H = c.n_heads;
    m_rope_q.n_heads = c.n_heads;
    m_rope_q.head_dim = d.q_head();
    m_rope_q.n_rot = d.qk_rope;
    m_rope_q.offset = d.qk_nope;
    m_rope_q.freq_base = c.rope_theta;
    m_rope_q.freq_scale = c.rope_freq_scale;
    m_rope_q.ext_factor = c.yarn_ext_factor;
    m_rope_q.yarn_low = c.yarn_low;
    m_rope_q.yarn_high = c.yarn_high;
    m_rope_q.mscale = c.rope_mscale;
    m_rope_k = m_rope_q;
    m_rope_k.n_heads = 1;
    m_rope_k.head_dim = d.cache_row();
    m_rope_k.offset = d.kv_lora;
    // Absorbed attention is MQA: every head against the one latent "head" of the cache.
    m_attn.n_heads = c.n_heads;
    m_attn.n_kv_heads = 1;
    m_attn.head_dim = d.cache_row();
    m_attn.scale = c.attn_scale;
    m_route.n_experts = d.n_experts;
    m_route.n_used = d.n_experts_used;
    m_route.sigmoid = d.gating == ExpertGating::Sigmoid;
    m_route.n_groups = d.n_groups;
    m_route.n_groups_used = d.n_groups_used;
    m_route.normalize = d.weights_norm;
    m_route.scale = d.weights_scale;

    if (d.q_lora > 0) m_q_a = backend.alloc(DType::F32, b, d.q_lora);
    m_q = backend.alloc(DType::F32, b, H * d.q_head());
    m_kv = backend.alloc(DType::F32, b, d.cache_row());
    m_q_lat = backend.alloc(DType::F32, b, H * d.cache_row());
    m_lat = backend.alloc(DType::F32, b, H * d.cache_row());
    m_v = backend.alloc(DType::F32, b, H * d.v_head);
    m_head_ids = backend.alloc(DType::I32, b * H, 1);
    std::vector<std::int32_t> ids(static_cast<std::size_t>(b * H));
    for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::int32_t>(i % static_cast<std::size_t>(H));
    backend.upload(m_head_ids, ids.data(), ids.size() * sizeof(std::int32_t));
    if (d.n_dense_lead < c.n_layers) {
        const std::int64_t k = d.n_experts_used;
        m_logits = backend.alloc(DType::F32, b, d.n_experts);
        m_ids = backend.alloc(DType::I32, b, k);
        m_wts = backend.alloc(DType::F32, b, k);
        m_g = backend.alloc(DType::F32, b * k, d.expert_ff);
        m_u = backend.alloc(DType::F32, b * k, d.expert_ff);
        m_y = backend.alloc(DType::F32, b * k, c.dim);
        if (d.n_shared > 0) {
            m_sg = backend.alloc(DType::F32, b, static_cast<std::int64_t>(d.expert_ff) * d.n_shared);
            m_su = backend.alloc(DType::F32, b, static_cast<std::int64_t>(d.expert_ff) * d.n_shared);
            m_sy = backend.alloc(DType::F32, b, c.dim);
        }
    }
    backend.finish();
}

Deepseek2Blocks::~Deepseek2Blocks() {
    for (const Tensor* t : {&m_q_a, &m_q, &m_kv, &m_q_lat, &m_lat, &m_v, &m_head_ids, &m_logits, &m_ids, &m_wts, &m_g,
                            &m_u, &m_y, &m_sg, &m_su, &m_sy})
        if (!t->empty()) m_backend.release(*t);
}

void Deepseek2Blocks::attention(int il, const Tensor& xn, const StepPositions& pos, KvCache& cache) {
    const ModelConfig& c = m_config;
    const Deepseek2Config& d = c.ds2;
    const Deepseek2Layer& l = m_weights.layers[il].ds2;
    Backend& be = m_backend;
    const std::int64_t n = xn.rows, H = c.n_heads;
    const Tensor q = m_q.slice_rows(0, n), kv = m_kv.slice_rows(0, n);
    const Tensor q_lat = m_q_lat.slice_rows(0, n), lat = m_lat.slice_rows(0, n), v = m_v.slice_rows(0, n);
    const Tensor head_ids = m_head_ids.slice_rows(0, n * H);

    // queries: [q_nope | q_pe] per head, through the low-rank q_a / q_b pair or plain attn_q
    if (!l.wq.empty()) {
        be.matmul(l.wq, xn, q);
    } else {
        const Tensor q_a = m_q_a.slice_rows(0, n);
        be.matmul(l.wq_a, xn, q_a);
        be.rms_norm(q_a, l.q_a_norm, c.norm_eps, q_a);
        be.matmul(l.wq_b, q_a, q);
    }
    // the latent row [c | k_pe]: c normed, k_pe rotated; then into the cache
    be.matmul(l.wkv_a, xn, kv);
    const Tensor c_part = kv.slice_cols(0, d.kv_lora);
    be.rms_norm(c_part, l.kv_a_norm, c.norm_eps, c_part);
    be.rope(kv, pos, m_rope_k);
    be.store_kv(kv, cache.keys(il), pos);
    // absorbed queries: q_lat[h] = [W_k_b[h] q_nope[h] | rope(q_pe[h])]
    be.rope(q, pos, m_rope_q);
    const Tensor q_heads = q.reshape(n * H, d.q_head());
    const Tensor lat_heads = q_lat.reshape(n * H, d.cache_row());
    be.matmul_id(l.wk_b, c.n_heads, q_heads.slice_cols(0, d.qk_nope), head_ids, lat_heads.slice_cols(0, d.kv_lora));
    be.copy(q_heads.slice_cols(d.qk_nope, d.qk_rope), lat_heads.slice_cols(d.kv_lora, d.qk_rope));
    // every head over the cached rows; values are the rows' latent part (the first kv_lora
    // columns of each output head; the rest, the rope part's mix, is not used)
    be.attention(q_lat, cache.keys(il), cache.keys(il), pos, m_attn, lat);
    // per head: value = W_v_b[h] . latent output, then the output projection
    be.matmul_id(l.wv_b, c.n_heads, lat.reshape(n * H, d.cache_row()).slice_cols(0, d.kv_lora), head_ids,
                 v.reshape(n * H, d.v_head));
    be.matmul(m_weights.layers[il].wo, v, xn);
}

void Deepseek2Blocks::moe(int il, const Tensor& xn, const Tensor& out) {
    const ModelConfig& c = m_config;
    const Deepseek2Config& d = c.ds2;
    const Deepseek2Layer& l = m_weights.layers[il].ds2;
    Backend& be = m_backend;
    const std::int64_t n = xn.rows, k = d.n_experts_used;
    const Tensor logits = m_logits.slice_rows(0, n), ids = m_ids.slice_rows(0, n), wts = m_wts.slice_rows(0, n);
    const Tensor g = m_g.slice_rows(0, n * k), u = m_u.slice_rows(0, n * k), y = m_y.slice_rows(0, n * k);
    // route: k experts per token and their weights
    be.matmul(l.router, xn, logits);
    be.moe_route(logits, l.router_bias, m_route, ids, wts);
    // the chosen experts' SwiGLU FFNs, one row per (token, choice), then their weighted sum
    be.matmul_id(l.gate_exps, d.n_experts, xn, ids, g);
    be.matmul_id(l.up_exps, d.n_experts, xn, ids, u);
    be.swiglu(g, u, g);
    be.matmul_id(l.down_exps, d.n_experts, g, ids, y);
    be.moe_combine(y, wts, out);
    // shared experts: one dense SwiGLU FFN that every token goes through
    if (d.n_shared > 0) {
        const Tensor sg = m_sg.slice_rows(0, n), su = m_su.slice_rows(0, n), sy = m_sy.slice_rows(0, n);
        be.matmul(l.gate_shexp, xn, sg);
        be.matmul(l.up_shexp, xn, su);
        be.swiglu(sg, su, sg);
        be.matmul(l.down_shexp, sg, sy);
        be.add(out, sy, out);
    }
}

}  // namespace ponder
