// deepseek2_weights.cpp: binding the MLA and MoE tensors of a deepseek2 GGUF (their shapes are
// checked before, from model/expected_tensors.cpp).
#include "model/deepseek2_weights.h"

#include "gguf/gguf_file.h"
#include "model/config.h"
#include "model/weight_binder.h"
#include "model/weights.h"

#include <string>

namespace ponder {

namespace {

std::uint64_t tensor_bytes(const Tensor& t) {
    return t.empty() ? 0 : t.row_size() * static_cast<std::uint64_t>(t.rows);
}

}  // namespace

void bind_deepseek2_weights(const GgufFile& file, const ModelConfig& c, WeightBinder& b, ModelWeights& w) {
    const Deepseek2Config& d = c.ds2;
    const std::int64_t E = d.n_experts;
    w.token_embd = b.bind("token_embd.weight");
    w.output_norm = b.bind("output_norm.weight");
    w.output = b.bind("output.weight");
    if (!file.find_tensor("output.weight")) {
        w.output = w.token_embd;
        w.tied_output = true;
    }
    std::uint64_t per_token = tensor_bytes(w.output) + tensor_bytes(w.output_norm) + w.token_embd.row_size();
    w.layers.resize(c.n_layers);
    for (int i = 0; i < c.n_layers; ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        LayerWeights& l = w.layers[i];
        Deepseek2Layer& m = l.ds2;
        l.attn_norm = b.bind(p + "attn_norm.weight");
        if (d.q_lora > 0) {
            m.wq_a = b.bind(p + "attn_q_a.weight");
            m.q_a_norm = b.bind(p + "attn_q_a_norm.weight");
            m.wq_b = b.bind(p + "attn_q_b.weight");
        } else {
            m.wq = b.bind(p + "attn_q.weight");
        }
        m.wkv_a = b.bind(p + "attn_kv_a_mqa.weight");
        m.kv_a_norm = b.bind(p + "attn_kv_a_norm.weight");
        m.wk_b = b.bind(p + "attn_k_b.weight");
        m.wv_b = b.bind(p + "attn_v_b.weight");
        l.wo = b.bind(p + "attn_output.weight");
        l.ffn_norm = b.bind(p + "ffn_norm.weight");
        for (const Tensor* t : {&l.attn_norm, &m.wq_a, &m.q_a_norm, &m.wq_b, &m.wq, &m.wkv_a, &m.kv_a_norm, &m.wk_b,
                                &m.wv_b, &l.wo, &l.ffn_norm})
            per_token += tensor_bytes(*t);
        if (!d.moe_layer(i)) {
            l.w_gate = b.bind(p + "ffn_gate.weight");
            l.w_up = b.bind(p + "ffn_up.weight");
            l.w_down = b.bind(p + "ffn_down.weight");
            per_token += tensor_bytes(l.w_gate) + tensor_bytes(l.w_up) + tensor_bytes(l.w_down);
            continue;
        }
        m.router = b.bind(p + "ffn_gate_inp.weight");
        m.router_bias = b.bind(p + "exp_probs_b.bias");
        m.gate_exps = b.bind(p + "ffn_gate_exps.weight");
        m.up_exps = b.bind(p + "ffn_up_exps.weight");
        m.down_exps = b.bind(p + "ffn_down_exps.weight");
        if (d.n_shared > 0) {
            m.gate_shexp = b.bind(p + "ffn_gate_shexp.weight");
            m.up_shexp = b.bind(p + "ffn_up_shexp.weight");
            m.down_shexp = b.bind(p + "ffn_down_shexp.weight");
        }
        // A token reads the router, the shared experts and n_used of the E routed experts.
        for (const Tensor* t : {&m.router, &m.router_bias, &m.gate_shexp, &m.up_shexp, &m.down_shexp})
            per_token += tensor_bytes(*t);
        for (const Tensor* t : {&m.gate_exps, &m.up_exps, &m.down_exps})
            per_token +=
                tensor_bytes(*t) / static_cast<std::uint64_t>(E) * static_cast<std::uint64_t>(d.n_experts_used);
    }
    w.weight_bytes = b.bytes();
    w.bytes_per_token = per_token;
}

}  // namespace ponder
