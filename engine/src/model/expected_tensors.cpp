// expected_tensors.cpp: the tensor tables of expected_tensors.h. Each `why` names the keys (with
// their values) a shape comes from, so a consistency error can say which number disagrees.
#include "model/expected_tensors.h"

namespace ponder {

namespace {

std::string num(std::int64_t v) { return std::to_string(v); }

ExpectedTensor vec(std::string name, std::int64_t n, std::string why, BackendOp op, bool required = true) {
    return {std::move(name), {n, 1, 1}, "length = " + why, op, required};
}

ExpectedTensor mat(std::string name, std::int64_t cols, std::int64_t rows, std::string why,
                   BackendOp op = BackendOp::MatMul, bool required = true) {
    return {std::move(name), {cols, rows, 1}, std::move(why), op, required};
}

// llama, qwen2 and qwen3: one dense pre-norm transformer with optional q/k/v biases (required by
// qwen2) and optional per-head q/k norms (required by qwen3).
void dense_transformer(const ModelConfig& c, std::vector<ExpectedTensor>& t) {
    const std::string a = c.arch_name + ".";
    const std::string dim = a + "embedding_length " + num(c.dim);
    const std::string q = a + "attention.head_count " + num(c.n_heads) + " x head dimension " + num(c.head_dim);
    const std::string kv = a + "attention.head_count_kv " + num(c.n_kv_heads) + " x head dimension " + num(c.head_dim);
    const std::string ff = a + "feed_forward_length " + num(c.hidden_dim);
    const std::string hd = "head dimension " + num(c.head_dim);
    t.push_back(vec("rope_freqs.weight", c.rope_dim / 2, a + "rope.dimension_count " + num(c.rope_dim) + " / 2",
                    BackendOp::Rope, false));
    for (int i = 0; i < c.n_layers; ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        t.push_back(vec(p + "attn_norm.weight", c.dim, dim, BackendOp::RmsNorm));
        t.push_back(mat(p + "attn_q.weight", c.dim, c.q_dim(), "cols = " + dim + ", rows = " + q));
        t.push_back(mat(p + "attn_k.weight", c.dim, c.kv_dim(), "cols = " + dim + ", rows = " + kv));
        t.push_back(mat(p + "attn_v.weight", c.dim, c.kv_dim(), "cols = " + dim + ", rows = " + kv));
        // Biases are required by qwen2 and accepted wherever a file has them.
        t.push_back(vec(p + "attn_q.bias", c.q_dim(), q, BackendOp::Add, c.qkv_bias));
        t.push_back(vec(p + "attn_k.bias", c.kv_dim(), kv, BackendOp::Add, c.qkv_bias));
        t.push_back(vec(p + "attn_v.bias", c.kv_dim(), kv, BackendOp::Add, c.qkv_bias));
        t.push_back(vec(p + "attn_q_norm.weight", c.head_dim, hd, BackendOp::RmsNorm, c.qk_norm));
        t.push_back(vec(p + "attn_k_norm.weight", c.head_dim, hd, BackendOp::RmsNorm, c.qk_norm));
        t.push_back(mat(p + "attn_output.weight", c.q_dim(), c.dim, "cols = " + q + ", rows = " + dim));
        t.push_back(vec(p + "ffn_norm.weight", c.dim, dim, BackendOp::RmsNorm));
        t.push_back(mat(p + "ffn_gate.weight", c.dim, c.hidden_dim, "cols = " + dim + ", rows = " + ff));
        t.push_back(mat(p + "ffn_up.weight", c.dim, c.hidden_dim, "cols = " + dim + ", rows = " + ff));
        t.push_back(mat(p + "ffn_down.weight", c.hidden_dim, c.dim, "cols = " + ff + ", rows = " + dim));
    }
}

// deepseek2 in llama.cpp's split MLA form: q through a low-rank pair (attn_q_a, attn_q_b) or one
// attn_q (Lite), the compressed KV (attn_kv_a_mqa: latent | rope part), per-head attn_k_b and
// attn_v_b stacked as 3-D tensors; leading dense FFN layers, then mixture-of-experts layers with
// stacked experts and optional shared experts.
void deepseek2(const ModelConfig& c, std::vector<ExpectedTensor>& t) {
    const Deepseek2Config& d = c.ds2;
    const std::string a = c.arch_name + ".";
    const std::string dim = a + "embedding_length " + num(c.dim);
    const std::string heads = a + "attention.head_count " + num(c.n_heads);
    const std::string q_lora = a + "attention.q_lora_rank " + num(d.q_lora);
    const std::string q_head = heads + " x " + a + "attention.key_length_mla " + num(d.q_head());
    const std::string kv_lora = a + "attention.kv_lora_rank " + num(d.kv_lora);
    const std::string rope = a + "rope.dimension_count " + num(d.qk_rope);
    const std::string nope = a + "attention.key_length_mla " + num(d.q_head()) + " - " + rope;
    const std::string v_head = a + "attention.value_length_mla " + num(d.v_head);
    const std::string ff = a + "feed_forward_length " + num(c.hidden_dim);
    const std::string experts = a + "expert_count " + num(d.n_experts);
    const std::string expert_ff = a + "expert_feed_forward_length " + num(d.expert_ff);
    const std::string shared_ff = expert_ff + " x " + a + "expert_shared_count " + num(d.n_shared);
    const std::int64_t H = c.n_heads, E = d.n_experts, shared = static_cast<std::int64_t>(d.expert_ff) * d.n_shared;
    for (int i = 0; i < c.n_layers; ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        t.push_back(vec(p + "attn_norm.weight", c.dim, dim, BackendOp::RmsNorm));
        if (d.q_lora > 0) {
            t.push_back(mat(p + "attn_q_a.weight", c.dim, d.q_lora, "cols = " + dim + ", rows = " + q_lora));
            t.push_back(vec(p + "attn_q_a_norm.weight", d.q_lora, q_lora, BackendOp::RmsNorm));
            t.push_back(
                mat(p + "attn_q_b.weight", d.q_lora, H * d.q_head(), "cols = " + q_lora + ", rows = " + q_head));
        } else {
            t.push_back(mat(p + "attn_q.weight", c.dim, H * d.q_head(), "cols = " + dim + ", rows = " + q_head));
        }
        t.push_back(mat(p + "attn_kv_a_mqa.weight", c.dim, d.cache_row(),
                        "cols = " + dim + ", rows = " + kv_lora + " + " + rope));
        t.push_back(vec(p + "attn_kv_a_norm.weight", d.kv_lora, kv_lora, BackendOp::RmsNorm));
        t.push_back({p + "attn_k_b.weight",
                     {d.qk_nope, d.kv_lora, H},
                     "cols = " + nope + ", rows = " + kv_lora + ", one per head: " + heads,
                     BackendOp::MatMulId});
        t.push_back({p + "attn_v_b.weight",
                     {d.kv_lora, d.v_head, H},
                     "cols = " + kv_lora + ", rows = " + v_head + ", one per head: " + heads,
                     BackendOp::MatMulId});
        t.push_back(
            mat(p + "attn_output.weight", H * d.v_head, c.dim, "cols = " + heads + " x " + v_head + ", rows = " + dim));
        t.push_back(vec(p + "ffn_norm.weight", c.dim, dim, BackendOp::RmsNorm));
        if (!d.moe_layer(i)) {
            t.push_back(mat(p + "ffn_gate.weight", c.dim, c.hidden_dim, "cols = " + dim + ", rows = " + ff));
            t.push_back(mat(p + "ffn_up.weight", c.dim, c.hidden_dim, "cols = " + dim + ", rows = " + ff));
            t.push_back(mat(p + "ffn_down.weight", c.hidden_dim, c.dim, "cols = " + ff + ", rows = " + dim));
            continue;
        }
        t.push_back(mat(p + "ffn_gate_inp.weight", c.dim, E, "cols = " + dim + ", rows = " + experts));
        t.push_back(vec(p + "exp_probs_b.bias", E, experts, BackendOp::MoeRoute, false));
        const std::string per_expert = ", one per expert: " + experts;
        t.push_back({p + "ffn_gate_exps.weight",
                     {c.dim, d.expert_ff, E},
                     "cols = " + dim + ", rows = " + expert_ff + per_expert,
                     BackendOp::MatMulId});
        t.push_back({p + "ffn_up_exps.weight",
                     {c.dim, d.expert_ff, E},
                     "cols = " + dim + ", rows = " + expert_ff + per_expert,
                     BackendOp::MatMulId});
        t.push_back({p + "ffn_down_exps.weight",
                     {d.expert_ff, c.dim, E},
                     "cols = " + expert_ff + ", rows = " + dim + per_expert,
                     BackendOp::MatMulId});
        if (d.n_shared > 0) {
            t.push_back(mat(p + "ffn_gate_shexp.weight", c.dim, shared, "cols = " + dim + ", rows = " + shared_ff));
            t.push_back(mat(p + "ffn_up_shexp.weight", c.dim, shared, "cols = " + dim + ", rows = " + shared_ff));
            t.push_back(mat(p + "ffn_down_shexp.weight", shared, c.dim, "cols = " + shared_ff + ", rows = " + dim));
        }
    }
}

}  // namespace

std::vector<ExpectedTensor> expected_tensors(const ModelConfig& c) {
    const std::string a = c.arch_name + ".";
    const std::string dim = a + "embedding_length " + num(c.dim);
    std::vector<ExpectedTensor> t;
    t.push_back(mat("token_embd.weight", c.dim, c.vocab_size, "cols = " + dim, BackendOp::GetRows));
    t.push_back(vec("output_norm.weight", c.dim, dim, BackendOp::RmsNorm));
    t.push_back(mat("output.weight", c.dim, c.vocab_size,
                    "cols = " + dim + ", rows = the vocabulary size " + num(c.vocab_size), BackendOp::MatMul, false));
    if (c.mla())
        deepseek2(c, t);
    else
        dense_transformer(c, t);
    return t;
}

}  // namespace ponder
