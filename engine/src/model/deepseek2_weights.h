// deepseek2_weights.h: the per-layer tensors of MLA attention and mixture-of-experts FFNs.
#pragma once

#include "backend/backend.h"

#include <cstdint>

namespace ponder {

class GgufFile;
struct ModelConfig;
struct ModelWeights;
class WeightBinder;

// Shapes as backend matrices [rows, cols]; H = heads, E = experts. Stacked 3-D GGUF tensors
// (per head, per expert) are one matrix of H or E blocks of rows.
struct Deepseek2Layer {
    Tensor wq;                    // Lite: [H * q_head, dim]; empty when q_lora > 0
    Tensor wq_a, q_a_norm, wq_b;  // [q_lora, dim], F32 [1, q_lora], [H * q_head, q_lora]
    Tensor wkv_a;                 // attn_kv_a_mqa [kv_lora + rope, dim]
    Tensor kv_a_norm;             // F32 [1, kv_lora]
    Tensor wk_b;                  // [H * kv_lora, qk_nope]: absorbs q_nope into latent space
    Tensor wv_b;                  // [H * v_head, kv_lora]: latent attention output -> values
    // MoE layers (the dense ones use LayerWeights' w_gate / w_up / w_down).
    Tensor router;                // ffn_gate_inp [E, dim]
    Tensor router_bias;           // optional exp_probs_b F32 [1, E]
    Tensor gate_exps, up_exps;    // [E * expert_ff, dim]
    Tensor down_exps;             // [E * dim, expert_ff]
    Tensor gate_shexp, up_shexp;  // [n_shared * expert_ff, dim]
    Tensor down_shexp;            // [dim, n_shared * expert_ff]
};

// bind_weights() for deepseek2: fills w.layers[i].ds2 plus the shared fields, through a binder
// over a file that check_tensor_shapes() has accepted (the shapes are in model/expected_tensors.cpp).
void bind_deepseek2_weights(const GgufFile& file, const ModelConfig& c, WeightBinder& binder, ModelWeights& w);

}  // namespace ponder
