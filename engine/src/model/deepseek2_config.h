// deepseek2_config.h: DeepSeek V2/V3 hyper-parameters (MLA attention, mixture of experts) and
// their reader. ModelConfig carries them in `ds2` when arch == Deepseek2.
#pragma once

#include <string>

namespace ponder {

class GgufFile;
struct ModelConfig;

enum class ExpertGating { Softmax, Sigmoid };

struct Deepseek2Config {
    // Multi-head latent attention (llama.cpp's split GGUF form: attn_kv_a_mqa, attn_k_b, attn_v_b).
    int q_lora = 0;   // attention.q_lora_rank; 0: plain attn_q (Lite)
    int kv_lora = 0;  // attention.kv_lora_rank: width of the cached latent
    int qk_nope = 0;  // key_length_mla - rope part: per-head query dims without RoPE
    int qk_rope = 0;  // rope.dimension_count: the RoPE part shared by all heads
    int v_head = 0;   // value_length_mla: per-head value dims after attn_v_b
    // Mixture of experts.
    int n_dense_lead = 0;    // leading_dense_block_count: layers [0, n) have a dense FFN
    int n_experts = 0;       // expert_count
    int n_experts_used = 0;  // expert_used_count (top-k)
    int n_shared = 0;        // expert_shared_count: always-on experts, one fused FFN
    int expert_ff = 0;       // expert_feed_forward_length
    int n_groups = 1;        // expert_group_count
    int n_groups_used = 1;   // expert_group_used_count
    ExpertGating gating = ExpertGating::Softmax;
    bool weights_norm = false;  // expert_weights_norm
    float weights_scale = 1;    // expert_weights_scale (routed scaling factor; 1 when absent or 0)

    int q_head() const { return qk_nope + qk_rope; }     // per-head query/key width
    int cache_row() const { return kv_lora + qk_rope; }  // cached values per position and layer
    bool moe_layer(int layer) const { return layer >= n_dense_lead; }
};

// Reads and checks every "deepseek2.*" key (called by read_config for that architecture).
// Throws ponder::Error naming the file and key on missing or inconsistent values.
ModelConfig read_deepseek2_config(const GgufFile& file);

}  // namespace ponder
