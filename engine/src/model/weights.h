// weights.h: binds a GGUF file's tensors ("blk.N.attn_q.weight", ...) to backend tensors, checked.
// What binding will ask of a backend, without binding, is plan_weights() in model/capabilities.h.
#pragma once

#include "backend/backend.h"
#include "model/config.h"
#include "model/deepseek2_weights.h"

#include <functional>
#include <string>
#include <vector>

namespace ponder {

class GgufFile;

struct LayerWeights {
    Tensor attn_norm;       // F32 (1, dim)
    Tensor wq, wk, wv;      // (q_dim, dim), (kv_dim, dim), (kv_dim, dim)
    Tensor bq, bk, bv;      // optional biases (1, q_dim) / (1, kv_dim) (qwen2)
    Tensor q_norm, k_norm;  // optional per-head norms (1, head_dim) (qwen3)
    Tensor wo;              // (dim, q_dim)
    Tensor ffn_norm;        // F32 (1, dim)
    Tensor w_gate, w_up;    // (hidden_dim, dim)
    Tensor w_down;          // (dim, hidden_dim)
    Deepseek2Layer ds2;     // deepseek2: MLA and MoE tensors (attn_norm, wo, ffn_norm above)
};

struct ModelWeights {
    Tensor token_embd;   // (vocab, dim), any type (rows are dequantized by get_rows)
    Tensor output_norm;  // F32 (1, dim)
    Tensor output;       // (vocab, dim); the token_embd tensor when embeddings are tied
    Tensor rope_freqs;   // optional F32 (1, rope_dim / 2) (Llama 3.1 rope scaling)
    bool tied_output = false;
    std::vector<LayerWeights> layers;
    std::uint64_t weight_bytes = 0;     // all bound tensors
    std::uint64_t bytes_per_token = 0;  // weights a generation step reads (matmuls + norms;
                                        // MoE: the shared and the chosen experts only)
};

// Binds every tensor of the architecture's table (model/expected_tensors.h), after checking the
// directory against it (check_tensor_shapes) and that the backend supports each type. Throws
// ponder::Error naming the tensor ("weight type IQ2_XXS of blk.0.attn_q.weight is not supported").
// on_tensor(i, n) is called after each tensor (for load progress); returning false cancels (Cancelled).
ModelWeights bind_weights(const GgufFile& file, const ModelConfig& config, Backend& backend,
                          const std::function<bool(int done, int total)>& on_tensor = {});

}  // namespace ponder
