// weights.cpp: tensor lookup, shape/type checks and zero-copy binding through Backend::map_weights.
#include "model/weights.h"

#include "gguf/gguf_file.h"
#include "util/error.h"

#include <string>

namespace ponder {

namespace {

class Binder {
public:
    Binder(const GgufFile& file, Backend& backend, const std::function<bool(int, int)>& on_tensor, int total)
        : m_file(file), m_backend(backend), m_on_tensor(on_tensor), m_total(total) {}

    // A matrix (rows, cols) in any type, or a vector (1, cols) when rows == 1 and it is 1-D.
    Tensor bind(const std::string& name, std::int64_t rows, std::int64_t cols, bool optional = false,
                bool f32_only = false) {
        const GgufTensor* t = m_file.find_tensor(name);
        if (!t) {
            if (optional) return {};
            fail("%s: tensor %s is missing", m_file.path().string().c_str(), name.c_str());
        }
        const std::int64_t t_rows = t->n_dims == 1 ? 1 : t->n_rows();
        if (t->ne[0] != cols || t_rows != rows || t->n_dims > 2)
            fail("%s: tensor %s has shape [%lld, %lld], expected [%lld, %lld] (ggml order)",
                 m_file.path().string().c_str(), name.c_str(), static_cast<long long>(t->ne[0]),
                 static_cast<long long>(t_rows), static_cast<long long>(cols), static_cast<long long>(rows));
        if (f32_only && t->type != DType::F32)
            fail("%s: tensor %s has type %s; norms, biases and rope factors must be F32",
                 m_file.path().string().c_str(), name.c_str(), std::string(to_string(t->type)).c_str());
        if (!m_backend.supports(t->type))
            fail("%s: weight type %s of tensor %s is not supported by the %s backend",
                 m_file.path().string().c_str(), std::string(to_string(t->type)).c_str(), name.c_str(),
                 std::string(m_backend.name()).c_str());
        Tensor out = m_backend.map_weights(t->data, t->type, rows, cols);
        // Where the backend copied the tensor (a GPU upload, a CPU repack) it read every page:
        // let go of them at once, so resident memory counts the copy and not the file as well,
        // even at the peak of loading. Pages used in place were not touched and are unaffected.
        m_file.drop_resident_pages(t->data, t->n_bytes);
        bytes += t->n_bytes;
        ++m_done;
        if (m_on_tensor && !m_on_tensor(m_done, m_total)) throw Cancelled("model loading was cancelled");
        return out;
    }

    std::uint64_t bytes = 0;

private:
    const GgufFile& m_file;
    Backend& m_backend;
    const std::function<bool(int, int)>& m_on_tensor;
    int m_total;
    int m_done = 0;
};

std::uint64_t tensor_bytes(const Tensor& t) { return t.empty() ? 0 : t.row_size() * static_cast<std::uint64_t>(t.rows); }

}  // namespace

ModelWeights bind_weights(const GgufFile& file, const ModelConfig& c, Backend& backend,
                          const std::function<bool(int, int)>& on_tensor) {
    ModelWeights w;
    if (c.mla()) {
        bind_deepseek2_weights(file, c, backend, w, on_tensor);
        return w;
    }
    Binder b(file, backend, on_tensor, static_cast<int>(file.tensors().size()));
    w.token_embd = b.bind("token_embd.weight", c.vocab_size, c.dim);
    w.output_norm = b.bind("output_norm.weight", 1, c.dim, false, true);
    w.output = b.bind("output.weight", c.vocab_size, c.dim, /*optional=*/true);
    if (w.output.empty()) {
        w.output = w.token_embd;
        w.tied_output = true;
    }
    w.rope_freqs = b.bind("rope_freqs.weight", 1, c.rope_dim / 2, true, true);

    const std::uint64_t fixed_per_token = tensor_bytes(w.output) + tensor_bytes(w.output_norm);
    std::uint64_t per_token = fixed_per_token + w.token_embd.row_size();
    w.layers.resize(c.n_layers);
    for (int i = 0; i < c.n_layers; ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        LayerWeights& l = w.layers[i];
        l.attn_norm = b.bind(p + "attn_norm.weight", 1, c.dim, false, true);
        l.wq = b.bind(p + "attn_q.weight", c.q_dim(), c.dim);
        l.wk = b.bind(p + "attn_k.weight", c.kv_dim(), c.dim);
        l.wv = b.bind(p + "attn_v.weight", c.kv_dim(), c.dim);
        // Biases are required by qwen2 and accepted wherever a file has them.
        l.bq = b.bind(p + "attn_q.bias", 1, c.q_dim(), !c.qkv_bias, true);
        l.bk = b.bind(p + "attn_k.bias", 1, c.kv_dim(), !c.qkv_bias, true);
        l.bv = b.bind(p + "attn_v.bias", 1, c.kv_dim(), !c.qkv_bias, true);
        l.q_norm = b.bind(p + "attn_q_norm.weight", 1, c.head_dim, !c.qk_norm, true);
        l.k_norm = b.bind(p + "attn_k_norm.weight", 1, c.head_dim, !c.qk_norm, true);
        l.wo = b.bind(p + "attn_output.weight", c.dim, c.q_dim());
        l.ffn_norm = b.bind(p + "ffn_norm.weight", 1, c.dim, false, true);
        l.w_gate = b.bind(p + "ffn_gate.weight", c.hidden_dim, c.dim);
        l.w_up = b.bind(p + "ffn_up.weight", c.hidden_dim, c.dim);
        l.w_down = b.bind(p + "ffn_down.weight", c.dim, c.hidden_dim);
        for (const Tensor* t : {&l.attn_norm, &l.wq, &l.wk, &l.wv, &l.bq, &l.bk, &l.bv, &l.q_norm, &l.k_norm,
                                &l.wo, &l.ffn_norm, &l.w_gate, &l.w_up, &l.w_down})
            per_token += tensor_bytes(*t);
    }
    w.weight_bytes = b.bytes;
    w.bytes_per_token = per_token;
    return w;
}

}  // namespace ponder
