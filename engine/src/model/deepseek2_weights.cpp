// deepseek2_weights.cpp: binding and checking the MLA and MoE tensors of a deepseek2 GGUF.
#include "model/deepseek2_weights.h"

#include "gguf/gguf_file.h"
#include "model/config.h"
#include "model/weights.h"
#include "util/error.h"
#include "util/path_text.h"

#include <string>

namespace ponder {

namespace {

std::uint64_t tensor_bytes(const Tensor& t) { return t.empty() ? 0 : t.row_size() * static_cast<std::uint64_t>(t.rows); }

// Like weights.cpp's binder, but for shapes of up to three dims (stacked heads / experts), with
// errors that say which hyper-parameter a wrong shape contradicts.
class Binder3 {
public:
    Binder3(const GgufFile& f, Backend* b, const std::function<bool(int, int)>& on_tensor, std::vector<WeightUse>* plan)
        : m_f(f), m_b(b), m_on_tensor(on_tensor), m_total(static_cast<int>(f.tensors().size())), m_plan(plan) {}

    // ne in ggml order; ne[2] = 1 for matrices, ne[1] = ne[2] = 1 for vectors. The backend sees
    // [ne[1] * ne[2], ne[0]]. `what` names the hyper-parameters behind the shape; `op` is what
    // the layer does with it (MatMul / MatMulId / GetRows take any type, the rest only F32).
    Tensor bind(const std::string& name, std::int64_t ne0, std::int64_t ne1, std::int64_t ne2, const char* what,
                BackendOp op, bool optional = false) {
        const bool f32_only = op != BackendOp::MatMul && op != BackendOp::MatMulId && op != BackendOp::GetRows;
        const GgufTensor* t = m_f.find_tensor(name);
        const std::string path = path_to_utf8(m_f.path());
        if (!t) {
            if (optional) return {};
            fail("%s: tensor %s is missing (deepseek2 needs it: %s)", path.c_str(), name.c_str(), what);
        }
        const std::int64_t got[3] = {t->ne[0], t->n_dims > 1 ? t->ne[1] : 1, t->n_dims > 2 ? t->ne[2] : 1};
        const int want_dims = ne2 > 1 ? 3 : ne1 > 1 ? 2 : 1;
        if (t->n_dims > 3 || (t->n_dims == 3 && want_dims < 3 && t->ne[2] != 1) || got[0] != ne0 || got[1] != ne1 || got[2] != ne2)
            fail("%s: tensor %s has shape [%lld, %lld, %lld], expected [%lld, %lld, %lld] (ggml order; %s)", path.c_str(),
                 name.c_str(), static_cast<long long>(got[0]), static_cast<long long>(got[1]), static_cast<long long>(got[2]),
                 static_cast<long long>(ne0), static_cast<long long>(ne1), static_cast<long long>(ne2), what);
        if (f32_only && t->type != DType::F32)
            fail("%s: tensor %s has type %s; norms and biases must be F32", path.c_str(), name.c_str(),
                 std::string(to_string(t->type)).c_str());
        if (m_plan) {
            m_plan->push_back({name, op, t->type});
            return {};
        }
        if (!m_b->supports(op, t->type))
            fail("%s: weight type %s of tensor %s is not supported by the %s backend", path.c_str(),
                 std::string(to_string(t->type)).c_str(), name.c_str(), std::string(m_b->name()).c_str());
        const Tensor out = m_b->map_weights(t->data, t->type, ne1 * ne2, ne0);
        m_f.drop_resident_pages(t->data, t->n_bytes);
        bytes += t->n_bytes;
        ++m_done;
        if (m_on_tensor && !m_on_tensor(m_done, m_total)) throw Cancelled("model loading was cancelled");
        return out;
    }

    std::uint64_t bytes = 0;

    // A tensor bound once and used by a second op as well (tied embeddings: get_rows and matmul).
    void also_used_by(const std::string& name, BackendOp op) {
        if (!m_plan) return;
        if (const GgufTensor* t = m_f.find_tensor(name)) m_plan->push_back({name, op, t->type});
    }

private:
    const GgufFile& m_f;
    Backend* m_b;
    const std::function<bool(int, int)>& m_on_tensor;
    int m_total;
    int m_done = 0;
    std::vector<WeightUse>* m_plan;
};

}  // namespace

void bind_deepseek2_weights(const GgufFile& file, const ModelConfig& c, Backend* backend, ModelWeights& w,
                            const std::function<bool(int, int)>& on_tensor, std::vector<WeightUse>* plan) {
    const Deepseek2Config& d = c.ds2;
    Binder3 b(file, backend, on_tensor, plan);
    const std::int64_t H = c.n_heads, dim = c.dim, E = d.n_experts;
    w.token_embd = b.bind("token_embd.weight", dim, c.vocab_size, 1, "embedding_length x vocabulary", BackendOp::GetRows);
    w.output_norm = b.bind("output_norm.weight", dim, 1, 1, "embedding_length", BackendOp::RmsNorm);
    w.output = b.bind("output.weight", dim, c.vocab_size, 1, "embedding_length x vocabulary", BackendOp::MatMul, true);
    if (!file.find_tensor("output.weight")) {
        w.output = w.token_embd;
        w.tied_output = true;
        b.also_used_by("token_embd.weight", BackendOp::MatMul);
    }
    std::uint64_t per_token = tensor_bytes(w.output) + tensor_bytes(w.output_norm) + w.token_embd.row_size();
    w.layers.resize(c.n_layers);
    for (int i = 0; i < c.n_layers; ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        LayerWeights& l = w.layers[i];
        Deepseek2Layer& m = l.ds2;
        l.attn_norm = b.bind(p + "attn_norm.weight", dim, 1, 1, "embedding_length", BackendOp::RmsNorm);
        if (d.q_lora > 0) {
            m.wq_a = b.bind(p + "attn_q_a.weight", dim, d.q_lora, 1, "embedding_length x q_lora_rank", BackendOp::MatMul);
            m.q_a_norm = b.bind(p + "attn_q_a_norm.weight", d.q_lora, 1, 1, "q_lora_rank", BackendOp::RmsNorm);
            m.wq_b = b.bind(p + "attn_q_b.weight", d.q_lora, H * d.q_head(), 1, "q_lora_rank x head_count * key_length_mla", BackendOp::MatMul);
        } else {
            m.wq = b.bind(p + "attn_q.weight", dim, H * d.q_head(), 1, "embedding_length x head_count * key_length_mla", BackendOp::MatMul);
        }
        m.wkv_a = b.bind(p + "attn_kv_a_mqa.weight", dim, d.cache_row(), 1, "embedding_length x kv_lora_rank + rope", BackendOp::MatMul);
        m.kv_a_norm = b.bind(p + "attn_kv_a_norm.weight", d.kv_lora, 1, 1, "kv_lora_rank", BackendOp::RmsNorm);
        m.wk_b = b.bind(p + "attn_k_b.weight", d.qk_nope, d.kv_lora, H, "key_length_mla - rope x kv_lora_rank x head_count", BackendOp::MatMulId);
        m.wv_b = b.bind(p + "attn_v_b.weight", d.kv_lora, d.v_head, H, "kv_lora_rank x value_length_mla x head_count", BackendOp::MatMulId);
        l.wo = b.bind(p + "attn_output.weight", H * d.v_head, dim, 1, "head_count * value_length_mla x embedding_length", BackendOp::MatMul);
        l.ffn_norm = b.bind(p + "ffn_norm.weight", dim, 1, 1, "embedding_length", BackendOp::RmsNorm);
        for (const Tensor* t : {&l.attn_norm, &m.wq_a, &m.q_a_norm, &m.wq_b, &m.wq, &m.wkv_a, &m.kv_a_norm, &m.wk_b, &m.wv_b, &l.wo,
                                &l.ffn_norm})
            per_token += tensor_bytes(*t);
        if (!d.moe_layer(i)) {
            l.w_gate = b.bind(p + "ffn_gate.weight", dim, c.hidden_dim, 1, "embedding_length x feed_forward_length", BackendOp::MatMul);
            l.w_up = b.bind(p + "ffn_up.weight", dim, c.hidden_dim, 1, "embedding_length x feed_forward_length", BackendOp::MatMul);
            l.w_down = b.bind(p + "ffn_down.weight", c.hidden_dim, dim, 1, "feed_forward_length x embedding_length", BackendOp::MatMul);
            per_token += tensor_bytes(l.w_gate) + tensor_bytes(l.w_up) + tensor_bytes(l.w_down);
            continue;
        }
        m.router = b.bind(p + "ffn_gate_inp.weight", dim, E, 1, "embedding_length x expert_count", BackendOp::MatMul);
        m.router_bias = b.bind(p + "exp_probs_b.bias", E, 1, 1, "expert_count", BackendOp::MoeRoute, true);
        m.gate_exps = b.bind(p + "ffn_gate_exps.weight", dim, d.expert_ff, E, "embedding_length x expert_feed_forward_length x expert_count", BackendOp::MatMulId);
        m.up_exps = b.bind(p + "ffn_up_exps.weight", dim, d.expert_ff, E, "embedding_length x expert_feed_forward_length x expert_count", BackendOp::MatMulId);
        m.down_exps = b.bind(p + "ffn_down_exps.weight", d.expert_ff, dim, E, "expert_feed_forward_length x embedding_length x expert_count", BackendOp::MatMulId);
        if (d.n_shared > 0) {
            const std::int64_t ff = static_cast<std::int64_t>(d.expert_ff) * d.n_shared;
            m.gate_shexp = b.bind(p + "ffn_gate_shexp.weight", dim, ff, 1, "embedding_length x expert_feed_forward_length * expert_shared_count", BackendOp::MatMul);
            m.up_shexp = b.bind(p + "ffn_up_shexp.weight", dim, ff, 1, "embedding_length x expert_feed_forward_length * expert_shared_count", BackendOp::MatMul);
            m.down_shexp = b.bind(p + "ffn_down_shexp.weight", ff, dim, 1, "expert_feed_forward_length * expert_shared_count x embedding_length", BackendOp::MatMul);
        }
        // A token reads the router, the shared experts and n_used of the E routed experts.
        for (const Tensor* t : {&m.router, &m.router_bias, &m.gate_shexp, &m.up_shexp, &m.down_shexp}) per_token += tensor_bytes(*t);
        for (const Tensor* t : {&m.gate_exps, &m.up_exps, &m.down_exps})
            per_token += tensor_bytes(*t) / static_cast<std::uint64_t>(E) * static_cast<std::uint64_t>(d.n_experts_used);
    }
    w.weight_bytes = b.bytes;
    w.bytes_per_token = per_token;
}

}  // namespace ponder
