// weights.cpp: tensor lookup, shape/type checks and zero-copy binding through Backend::map_weights
// (or, for the capability check, the list of what binding would ask of the backend).
#include "model/weights.h"
#include "util/path_text.h"

#include "gguf/gguf_file.h"
#include "util/error.h"

#include <string>

namespace ponder {

namespace {

// Binds tensors through the backend, or (backend == nullptr) only lists what binding would ask
// of a backend, so the loader can check a device's capabilities before it uploads anything.
class Binder {
public:
    Binder(const GgufFile& file, Backend* backend, const std::function<bool(int, int)>& on_tensor, int total,
           std::vector<WeightUse>* plan = nullptr)
        : m_file(file), m_backend(backend), m_on_tensor(on_tensor), m_total(total), m_plan(plan) {}

    // A matrix (rows, cols) in any type, or a vector (1, cols) when rows == 1 and it is 1-D; `op`
    // is what the transformer does with it (MatMul/GetRows take any type, the rest only F32).
    Tensor bind(const std::string& name, std::int64_t rows, std::int64_t cols, BackendOp op, bool optional = false) {
        const GgufTensor* t = m_file.find_tensor(name);
        if (!t) {
            if (optional) return {};
            fail("%s: tensor %s is missing", path_to_utf8(m_file.path()).c_str(), name.c_str());
        }
        const std::int64_t t_rows = t->n_dims == 1 ? 1 : t->n_rows();
        if (t->ne[0] != cols || t_rows != rows || t->n_dims > 2)
            fail("%s: tensor %s has shape [%lld, %lld], expected [%lld, %lld] (ggml order)",
                 path_to_utf8(m_file.path()).c_str(), name.c_str(), static_cast<long long>(t->ne[0]),
                 static_cast<long long>(t_rows), static_cast<long long>(cols), static_cast<long long>(rows));
        if (op != BackendOp::MatMul && op != BackendOp::GetRows && t->type != DType::F32)
            fail("%s: tensor %s has type %s; norms, biases and rope factors must be F32",
                 path_to_utf8(m_file.path()).c_str(), name.c_str(), std::string(to_string(t->type)).c_str());
        if (m_plan) {
            m_plan->push_back({name, op, t->type});
            return {};
        }
        if (!m_backend->supports(op, t->type))
            fail("%s: weight type %s of tensor %s is not supported by the %s backend",
                 path_to_utf8(m_file.path()).c_str(), std::string(to_string(t->type)).c_str(), name.c_str(),
                 std::string(m_backend->name()).c_str());
        Tensor out = m_backend->map_weights(t->data, t->type, rows, cols);
        // Where the backend copied the tensor (a GPU upload, a CPU repack) it read every page:
        // let go of them at once, so resident memory counts the copy and not the file as well,
        // even at the peak of loading. Pages used in place were not touched and are unaffected.
        m_file.drop_resident_pages(t->data, t->n_bytes);
        bytes += t->n_bytes;
        ++m_done;
        if (m_on_tensor && !m_on_tensor(m_done, m_total)) throw Cancelled("model loading was cancelled");
        return out;
    }

    // A tensor bound once and used by a second op as well (tied embeddings: get_rows and matmul).
    void also_used_by(const std::string& name, BackendOp op) {
        if (!m_plan) return;
        if (const GgufTensor* t = m_file.find_tensor(name)) m_plan->push_back({name, op, t->type});
    }

    std::uint64_t bytes = 0;

private:
    const GgufFile& m_file;
    Backend* m_backend;
    const std::function<bool(int, int)>& m_on_tensor;
    int m_total;
    int m_done = 0;
    std::vector<WeightUse>* m_plan;
};

std::uint64_t tensor_bytes(const Tensor& t) { return t.empty() ? 0 : t.row_size() * static_cast<std::uint64_t>(t.rows); }

ModelWeights bind_all(const GgufFile& file, const ModelConfig& c, Binder& b) {
    ModelWeights w;
    w.token_embd = b.bind("token_embd.weight", c.vocab_size, c.dim, BackendOp::GetRows);
    w.output_norm = b.bind("output_norm.weight", 1, c.dim, BackendOp::RmsNorm);
    w.output = b.bind("output.weight", c.vocab_size, c.dim, BackendOp::MatMul, /*optional=*/true);
    if (!file.find_tensor("output.weight")) {
        w.output = w.token_embd;
        w.tied_output = true;
        b.also_used_by("token_embd.weight", BackendOp::MatMul);
    }
    w.rope_freqs = b.bind("rope_freqs.weight", 1, c.rope_dim / 2, BackendOp::Rope, true);

    const std::uint64_t fixed_per_token = tensor_bytes(w.output) + tensor_bytes(w.output_norm);
    std::uint64_t per_token = fixed_per_token + w.token_embd.row_size();
    w.layers.resize(c.n_layers);
    for (int i = 0; i < c.n_layers; ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        LayerWeights& l = w.layers[i];
        l.attn_norm = b.bind(p + "attn_norm.weight", 1, c.dim, BackendOp::RmsNorm);
        l.wq = b.bind(p + "attn_q.weight", c.q_dim(), c.dim, BackendOp::MatMul);
        l.wk = b.bind(p + "attn_k.weight", c.kv_dim(), c.dim, BackendOp::MatMul);
        l.wv = b.bind(p + "attn_v.weight", c.kv_dim(), c.dim, BackendOp::MatMul);
        // Biases are required by qwen2 and accepted wherever a file has them.
        l.bq = b.bind(p + "attn_q.bias", 1, c.q_dim(), BackendOp::Add, !c.qkv_bias);
        l.bk = b.bind(p + "attn_k.bias", 1, c.kv_dim(), BackendOp::Add, !c.qkv_bias);
        l.bv = b.bind(p + "attn_v.bias", 1, c.kv_dim(), BackendOp::Add, !c.qkv_bias);
        l.q_norm = b.bind(p + "attn_q_norm.weight", 1, c.head_dim, BackendOp::RmsNorm, !c.qk_norm);
        l.k_norm = b.bind(p + "attn_k_norm.weight", 1, c.head_dim, BackendOp::RmsNorm, !c.qk_norm);
        l.wo = b.bind(p + "attn_output.weight", c.dim, c.q_dim(), BackendOp::MatMul);
        l.ffn_norm = b.bind(p + "ffn_norm.weight", 1, c.dim, BackendOp::RmsNorm);
        l.w_gate = b.bind(p + "ffn_gate.weight", c.hidden_dim, c.dim, BackendOp::MatMul);
        l.w_up = b.bind(p + "ffn_up.weight", c.hidden_dim, c.dim, BackendOp::MatMul);
        l.w_down = b.bind(p + "ffn_down.weight", c.dim, c.hidden_dim, BackendOp::MatMul);
        for (const Tensor* t : {&l.attn_norm, &l.wq, &l.wk, &l.wv, &l.bq, &l.bk, &l.bv, &l.q_norm, &l.k_norm,
                                &l.wo, &l.ffn_norm, &l.w_gate, &l.w_up, &l.w_down})
            per_token += tensor_bytes(*t);
    }
    w.weight_bytes = b.bytes;
    w.bytes_per_token = per_token;
    return w;
}

}  // namespace

ModelWeights bind_weights(const GgufFile& file, const ModelConfig& c, Backend& backend,
                          const std::function<bool(int, int)>& on_tensor) {
    if (c.mla()) {
        ModelWeights w;
        bind_deepseek2_weights(file, c, &backend, w, on_tensor, nullptr);
        return w;
    }
    Binder b(file, &backend, on_tensor, static_cast<int>(file.tensors().size()));
    return bind_all(file, c, b);
}

std::vector<WeightUse> plan_weights(const GgufFile& file, const ModelConfig& c) {
    std::vector<WeightUse> plan;
    const std::function<bool(int, int)> none;
    // Not a tensor, but a need the backend must be asked about all the same: RoPE with YaRN
    // scaling, or over a range of each head that does not start at dim 0 (deepseek2's rope part).
    if (c.yarn_ext_factor != 0.0f || c.rope_mscale != 1.0f || c.mla())
        plan.push_back({"rotary embedding: YaRN or partial", BackendOp::RopeScaled, DType::F32});
    if (c.mla()) {
        ModelWeights unused;
        bind_deepseek2_weights(file, c, nullptr, unused, none, &plan);
        return plan;
    }
    Binder b(file, nullptr, none, 0, &plan);
    bind_all(file, c, b);
    return plan;
}

}  // namespace ponder
