// weights.cpp: binds a checked file's tensors to backend tensors by name (llama, qwen2, qwen3;
// deepseek2 in deepseek2_weights.cpp), and counts what a generation step reads.
#include "model/weights.h"

#include "gguf/gguf_file.h"
#include "model/consistency.h"
#include "model/weight_binder.h"

#include <string>

namespace ponder {

namespace {

std::uint64_t tensor_bytes(const Tensor& t) {
    return t.empty() ? 0 : t.row_size() * static_cast<std::uint64_t>(t.rows);
}

ModelWeights bind_dense(const GgufFile& file, const ModelConfig& c, WeightBinder& b) {
    ModelWeights w;
    w.token_embd = b.bind("token_embd.weight");
    w.output_norm = b.bind("output_norm.weight");
    w.output = b.bind("output.weight");
    if (!file.find_tensor("output.weight")) {
        w.output = w.token_embd;
        w.tied_output = true;
    }
    w.rope_freqs = b.bind("rope_freqs.weight");

    const std::uint64_t fixed_per_token = tensor_bytes(w.output) + tensor_bytes(w.output_norm);
    std::uint64_t per_token = fixed_per_token + w.token_embd.row_size();
    w.layers.resize(c.n_layers);
    for (int i = 0; i < c.n_layers; ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        LayerWeights& l = w.layers[i];
        l.attn_norm = b.bind(p + "attn_norm.weight");
        l.wq = b.bind(p + "attn_q.weight");
        l.wk = b.bind(p + "attn_k.weight");
        l.wv = b.bind(p + "attn_v.weight");
        l.bq = b.bind(p + "attn_q.bias");
        l.bk = b.bind(p + "attn_k.bias");
        l.bv = b.bind(p + "attn_v.bias");
        l.q_norm = b.bind(p + "attn_q_norm.weight");
        l.k_norm = b.bind(p + "attn_k_norm.weight");
        l.wo = b.bind(p + "attn_output.weight");
        l.ffn_norm = b.bind(p + "ffn_norm.weight");
        l.w_gate = b.bind(p + "ffn_gate.weight");
        l.w_up = b.bind(p + "ffn_up.weight");
        l.w_down = b.bind(p + "ffn_down.weight");
        for (const Tensor* t : {&l.attn_norm, &l.wq, &l.wk, &l.wv, &l.bq, &l.bk, &l.bv, &l.q_norm, &l.k_norm, &l.wo,
                                &l.ffn_norm, &l.w_gate, &l.w_up, &l.w_down})
            per_token += tensor_bytes(*t);
    }
    w.weight_bytes = b.bytes();
    w.bytes_per_token = per_token;
    return w;
}

}  // namespace

ModelWeights bind_weights(const GgufFile& file, const ModelConfig& c, Backend& backend,
                          const std::function<bool(int, int)>& on_tensor) {
    // The loader has run this already; running it here too (the directory only, no tensor data)
    // means no caller can map a tensor with a shape it does not have.
    check_tensor_shapes(file, c);
    WeightBinder b(file, c, backend, on_tensor);
    if (c.mla()) {
        ModelWeights w;
        bind_deepseek2_weights(file, c, b, w);
        return w;
    }
    return bind_dense(file, c, b);
}

}  // namespace ponder
