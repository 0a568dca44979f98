// deepseek2_blocks.h: the two blocks deepseek2 layers have in place of GQA and the dense FFN:
// multi-head latent attention (absorbed form over the latent KV cache) and the mixture of
// experts with shared experts. Used by Transformer::step; scratch for up to max_batch tokens.
#pragma once

#include "backend/backend.h"
#include "kv_cache/kv_cache.h"
#include "model/config.h"
#include "model/weights.h"

namespace ponder {

class Deepseek2Blocks {
public:
    Deepseek2Blocks(Backend& backend, const ModelConfig& config, const ModelWeights& weights, int max_batch);
    ~Deepseek2Blocks();
    Deepseek2Blocks(const Deepseek2Blocks&) = delete;
    Deepseek2Blocks& operator=(const Deepseek2Blocks&) = delete;

    // xn [n, dim] (normed input) at positions pos: appends the layer's latent rows to the
    // cache and overwrites xn with the attention output (after attn_output).
    void attention(int layer, const Tensor& xn, const StepPositions& pos, KvCache& cache);
    // out [n, dim] = routed experts (weighted) + shared experts of xn [n, dim].
    void moe(int layer, const Tensor& xn, const Tensor& out);

private:
    Backend& m_backend;
    const ModelConfig& m_config;
    const ModelWeights& m_weights;
    int m_max_batch;
    RopeParams m_rope_q, m_rope_k;
    AttentionParams m_attn;
    MoeRouting m_route;
    // Attention scratch, rows = tokens: q_a [q_lora], q [H * q_head], kv [kv_lora + rope],
    // q_lat [H * (kv_lora + rope)] (absorbed queries), lat (their attention output), v [H * v_head].
    Tensor m_q_a, m_q, m_kv, m_q_lat, m_lat, m_v;
    Tensor m_head_ids;  // I32 [max_batch * H]: row i -> head i % H (per-head matrices via matmul_id)
    // MoE scratch: router logits [E], chosen ids / weights [k], expert activations [n * k, ff],
    // expert outputs [n * k, dim], shared experts [ff * n_shared] and their output [dim].
    Tensor m_logits, m_ids, m_wts, m_g, m_u, m_y, m_sg, m_su, m_sy;
};

}  // namespace ponder
