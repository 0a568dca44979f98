// deepseek2_config.cpp: "deepseek2.*" keys -> ModelConfig + Deepseek2Config, cross-checked.
#include "model/config.h"

#include "gguf/gguf_file.h"
#include "model/rope_scaling.h"
#include "util/error.h"
#include "util/path_text.h"

#include <cmath>

namespace ponder {

namespace {

class Keys {
public:
    Keys(const GgufFile& f) : m_f(f), m_file(path_to_utf8(f.path())) {}

    int required(const char* key, int lo, int hi) const {
        return check(key, static_cast<std::int64_t>(m_f.require_u32(name(key))), lo, hi);
    }
    int optional(const char* key, int fallback, int lo, int hi) const {
        const auto v = m_f.get_u32(name(key));
        return v ? check(key, static_cast<std::int64_t>(*v), lo, hi) : fallback;
    }
    std::string name(const char* key) const { return std::string("deepseek2.") + key; }
    const char* file() const { return m_file.c_str(); }

private:
    int check(const char* key, std::int64_t v, int lo, int hi) const {
        if (v < lo || v > hi)
            fail("%s: key deepseek2.%s = %lld is out of range (%d..%d)", m_file.c_str(), key, static_cast<long long>(v),
                 lo, hi);
        return static_cast<int>(v);
    }
    const GgufFile& m_f;
    std::string m_file;
};

}  // namespace

ModelConfig read_deepseek2_config(const GgufFile& f) {
    const Keys k(f);
    const char* file = k.file();
    ModelConfig c;
    c.arch = Architecture::Deepseek2;
    c.arch_name = "deepseek2";
    Deepseek2Config& d = c.ds2;
    constexpr int kMaxDim = 1 << 20;
    c.dim = k.required("embedding_length", 1, kMaxDim);
    c.n_layers = k.required("block_count", 1, 4096);
    c.n_heads = k.required("attention.head_count", 1, 4096);
    c.context_length = k.optional("context_length", 2048, 1, 1 << 28);
    c.norm_eps = f.get_f32(k.name("attention.layer_norm_rms_epsilon"), 1e-6f);
    if (!(c.norm_eps > 0) || c.norm_eps > 1)
        fail("%s: deepseek2.attention.layer_norm_rms_epsilon is out of range", file);
    c.rope_theta = f.get_f32(k.name("rope.freq_base"), 10000.0f);
    if (!(c.rope_theta > 0)) fail("%s: deepseek2.rope.freq_base must be positive", file);

    // MLA. Files converted before llama.cpp split attn_kv_b into attn_k_b / attn_v_b have no
    // *_mla lengths; they would need the un-absorbed attention, which this engine does not have.
    if (!f.has(k.name("attention.key_length_mla")) || !f.has(k.name("attention.value_length_mla")))
        fail(
            "%s: deepseek2 file without attention.key_length_mla / value_length_mla (the old attn_kv_b form); "
            "convert it again with a current llama.cpp to get attn_k_b / attn_v_b",
            file);
    d.q_lora = k.optional("attention.q_lora_rank", 0, 0, kMaxDim);
    d.kv_lora = k.required("attention.kv_lora_rank", 1, kMaxDim);
    d.qk_rope = k.required("rope.dimension_count", 2, 1024);
    if (d.qk_rope % 2 != 0) fail("%s: deepseek2.rope.dimension_count = %d must be even", file, d.qk_rope);
    const int k_mla = k.required("attention.key_length_mla", 1, 4096);
    if (k_mla <= d.qk_rope)
        fail("%s: deepseek2.attention.key_length_mla = %d must exceed rope.dimension_count = %d", file, k_mla,
             d.qk_rope);
    d.qk_nope = k_mla - d.qk_rope;
    d.v_head = k.required("attention.value_length_mla", 1, 4096);
    // In the split form the cache holds one shared "head" [latent | rope]: the converter writes
    // key_length = kv_lora + rope, value_length = kv_lora and head_count_kv = 1.
    const int key_length = k.optional("attention.key_length", d.cache_row(), 1, kMaxDim);
    const int value_length = k.optional("attention.value_length", d.kv_lora, 1, kMaxDim);
    const int kv_heads = k.optional("attention.head_count_kv", 1, 1, 4096);
    if (key_length != d.cache_row() || value_length != d.kv_lora || kv_heads != 1)
        fail(
            "%s: deepseek2 attention keys disagree: key_length %d (expected kv_lora_rank + rope = %d), value_length %d "
            "(expected kv_lora_rank = %d), head_count_kv %d (expected 1)",
            file, key_length, d.cache_row(), value_length, d.kv_lora, kv_heads);
    c.n_kv_heads = 1;
    c.head_dim = d.cache_row();
    c.rope_dim = d.qk_rope;
    if (c.head_dim % 2 != 0 || c.head_dim > 8192) fail("%s: deepseek2 cache row %d is not supported", file, c.head_dim);

    // Mixture of experts.
    d.n_dense_lead = k.optional("leading_dense_block_count", 0, 0, c.n_layers);
    if (d.n_dense_lead > 0)
        c.hidden_dim = k.required("feed_forward_length", 1, kMaxDim);
    else
        c.hidden_dim = k.optional("feed_forward_length", 0, 0, kMaxDim);
    if (d.n_dense_lead < c.n_layers) {
        d.n_experts = k.required("expert_count", 1, 1 << 16);
        d.n_experts_used = k.required("expert_used_count", 1, 1 << 16);
        if (d.n_experts_used > d.n_experts)
            fail("%s: deepseek2.expert_used_count = %d is larger than expert_count = %d", file, d.n_experts_used,
                 d.n_experts);
        d.n_shared = k.optional("expert_shared_count", 0, 0, 1 << 10);
        d.expert_ff = k.required("expert_feed_forward_length", 1, kMaxDim);
        d.n_groups = k.optional("expert_group_count", 1, 1, 1 << 16);
        if (d.n_groups == 0 || d.n_experts % d.n_groups != 0)
            fail("%s: deepseek2.expert_group_count = %d does not divide expert_count = %d", file, d.n_groups,
                 d.n_experts);
        d.n_groups_used = k.optional("expert_group_used_count", d.n_groups, 1, 1 << 16);
        if (d.n_groups_used > d.n_groups)
            fail("%s: deepseek2.expert_group_used_count = %d is larger than expert_group_count = %d", file,
                 d.n_groups_used, d.n_groups);
        if (d.n_experts_used > d.n_groups_used * (d.n_experts / d.n_groups))
            fail("%s: deepseek2.expert_used_count = %d experts cannot come from %d groups of %d", file,
                 d.n_experts_used, d.n_groups_used, d.n_experts / d.n_groups);
        // llama.cpp's gating ids: 1 softmax, 2 sigmoid; files from before the key mean softmax.
        const int gating = k.optional("expert_gating_func", 1, 0, 1 << 10);
        if (gating == 0 || gating == 1)
            d.gating = ExpertGating::Softmax;
        else if (gating == 2)
            d.gating = ExpertGating::Sigmoid;
        else
            fail("%s: deepseek2.expert_gating_func = %d is not supported (1 softmax, 2 sigmoid)", file, gating);
        d.weights_norm = f.get_bool(k.name("expert_weights_norm"), false);
        const float scale = f.get_f32(k.name("expert_weights_scale"), 0.0f);
        if (!(scale >= 0) || scale > 1e4f) fail("%s: deepseek2.expert_weights_scale is out of range", file);
        d.weights_scale = scale == 0.0f ? 1.0f : scale;
    }

    read_rope_scaling(f, "deepseek2.", c);
    if (c.attn_scale == 0.0f) c.attn_scale = 1.0f / std::sqrt(static_cast<float>(d.q_head()));

    const GgufTensor& embd = f.require_tensor("token_embd.weight");
    if (embd.n_dims != 2 || embd.ne[0] != c.dim)
        fail("%s: tensor token_embd.weight has row length %lld, expected embedding_length %d", file,
             static_cast<long long>(embd.ne[0]), c.dim);
    if (embd.ne[1] <= 0 || embd.ne[1] > (1 << 24))
        fail("%s: tensor token_embd.weight has an absurd vocabulary size %lld", file,
             static_cast<long long>(embd.ne[1]));
    c.vocab_size = static_cast<int>(embd.ne[1]);
    return c;
}

}  // namespace ponder
