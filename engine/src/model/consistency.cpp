// consistency.cpp: the loader's cross-checks of hyper-parameters, vocabulary and tensor shapes
// (see consistency.h). Every message names the file, the key or tensor, and both numbers.
#include "model/consistency.h"

#include "gguf/gguf_file.h"
#include "model/expected_tensors.h"
#include "util/error.h"
#include "util/path_text.h"

#include <charconv>
#include <string>
#include <unordered_map>
#include <vector>

namespace ponder {

namespace {

std::string num(std::int64_t v) { return std::to_string(v); }

std::string shape_text(const GgufTensor& t) {
    std::string s = "[";
    for (int d = 0; d < t.n_dims; ++d) s += (d ? ", " : "") + num(t.ne[d]);
    return s + "]";
}

// "blk.12.attn_q.weight" -> 12; -1 for names outside a layer.
long long layer_of(std::string_view name) {
    if (!name.starts_with("blk.")) return -1;
    name.remove_prefix(4);
    long long layer = -1;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), layer);
    if (ec != std::errc() || end == name.data() || end == name.data() + name.size() || *end != '.') return -1;
    return layer;
}

// deepseek2: which kind of layer a tensor that does not belong there was found in, so "unexpected
// tensor blk.0.ffn_up_exps.weight" also says that layer 0 is one of the leading dense layers.
std::string layer_kind_note(const ModelConfig& c, long long layer) {
    if (!c.mla() || layer < 0 || layer >= c.n_layers) return {};
    return strprintf("; layer %lld is %s: %s.leading_dense_block_count is %d", layer,
                     c.ds2.moe_layer(static_cast<int>(layer)) ? "a mixture-of-experts layer" : "a dense layer",
                     c.arch_name.c_str(), c.ds2.n_dense_lead);
}

std::string expected_shape_text(const ExpectedTensor& e) {
    const int dims = e.ne[2] != 1 ? 3 : e.ne[1] != 1 ? 2 : 1;
    std::string s = "[";
    for (int d = 0; d < dims; ++d) s += (d ? ", " : "") + num(e.ne[d]);
    return s + "]";
}

}  // namespace

void check_hyperparameters(const GgufFile& f, const ModelConfig& c) {
    const std::string a = c.arch_name + ".";
    // Without attention.key_length the head dimension is embedding_length / head_count: a
    // remainder would silently drop columns of every projection.
    if (!f.has(a + "attention.key_length") && c.dim % c.n_heads != 0)
        fail(
            "%s: %sembedding_length %d is not a multiple of %sattention.head_count %d (and %sattention.key_length "
            "is absent)",
            path_to_utf8(f.path()).c_str(), a.c_str(), c.dim, a.c_str(), c.n_heads, a.c_str());
}

void check_vocabulary(const GgufFile& f, const ModelConfig& c, int n_tokens) {
    const std::string file = path_to_utf8(f.path());
    if (n_tokens != c.vocab_size)
        fail("%s: tokenizer.ggml.tokens has %d tokens but tensor token_embd.weight has %d rows", file.c_str(), n_tokens,
             c.vocab_size);
    const std::string vocab_key = c.arch_name + ".vocab_size";
    if (const GgufValue* v = f.find(vocab_key)) {
        const auto n = v->as_i64();
        if (!n || *n != n_tokens)
            fail("%s: key %s = %lld but tokenizer.ggml.tokens has %d tokens", file.c_str(), vocab_key.c_str(),
                 static_cast<long long>(n.value_or(-1)), n_tokens);
    }
    // Special tokens (bos, eos, eot, padding, fim_*, ...): ids index the embedding table.
    for (const GgufKeyValue& kv : f.metadata()) {
        if (!kv.key.starts_with("tokenizer.ggml.") || !kv.key.ends_with("_token_id")) continue;
        const std::string key(kv.key);
        if (!kv.value.is_integer())
            fail("%s: key %s is %s, not a token id", file.c_str(), key.c_str(),
                 std::string(to_string(kv.value.type())).c_str());
        const auto id = kv.value.as_i64();
        if (id && (*id == -1 || *id == 0xFFFFFFFFll)) continue;  // converters' "none"
        if (!id || *id < 0 || *id >= n_tokens)
            fail("%s: key %s = %lld is outside the vocabulary of %d tokens (ids 0..%d)", file.c_str(), key.c_str(),
                 static_cast<long long>(id.value_or(-1)), n_tokens, n_tokens - 1);
    }
}

void check_tensor_shapes(const GgufFile& f, const ModelConfig& c) {
    const std::string file = path_to_utf8(f.path());
    const std::vector<ExpectedTensor> expected = expected_tensors(c);
    std::unordered_map<std::string_view, const ExpectedTensor*> by_name;
    for (const ExpectedTensor& e : expected) by_name.emplace(e.name, &e);

    for (const GgufTensor& t : f.tensors()) {
        const auto it = by_name.find(t.name);
        if (it == by_name.end()) {
            const std::string name(t.name);
            const long long layer = layer_of(t.name);
            if (layer >= c.n_layers)
                fail("%s: tensor %s belongs to layer %lld but %s.block_count is %d", file.c_str(), name.c_str(), layer,
                     c.arch_name.c_str(), c.n_layers);
            fail("%s: tensor %s is not part of a %s model (unexpected tensor%s)", file.c_str(), name.c_str(),
                 c.arch_name.c_str(), layer_kind_note(c, layer).c_str());
        }
        const ExpectedTensor& e = *it->second;
        // Trailing dimensions of 1 are the same shape: a vector stored as [n, 1], a matrix as
        // [cols, rows, 1]. Anything beyond what the table says is a different tensor.
        if (t.ne[0] != e.ne[0] || t.ne[1] != e.ne[1] || t.ne[2] != e.ne[2] || t.ne[3] != 1)
            fail("%s: tensor %s has shape %s, expected %s (ggml order; %s)", file.c_str(), e.name.c_str(),
                 shape_text(t).c_str(), expected_shape_text(e).c_str(), e.why.c_str());
        if (e.f32_only() && t.type != DType::F32)
            fail("%s: tensor %s has type %s, expected F32 (norms, biases and RoPE factors are F32)", file.c_str(),
                 e.name.c_str(), std::string(to_string(t.type)).c_str());
    }
    for (const ExpectedTensor& e : expected)
        if (e.required && !f.find_tensor(e.name))
            // The shape's keys say why it is needed (attn_q_a: q_lora_rank is set; a shared
            // expert: expert_shared_count is), which the layer count alone does not.
            fail("%s: tensor %s is missing (a %s model with %s.block_count %d needs it: %s, %s)", file.c_str(),
                 e.name.c_str(), c.arch_name.c_str(), c.arch_name.c_str(), c.n_layers, expected_shape_text(e).c_str(),
                 e.why.c_str());
}

void check_model_consistency(const GgufFile& f, const ModelConfig& c) {
    check_hyperparameters(f, c);
    // A missing or mistyped token list is the tokenizer's to report.
    const GgufValue* tokens = f.find("tokenizer.ggml.tokens");
    if (tokens && tokens->is_array() && tokens->element_type() == GgufType::String && tokens->size() <= (1u << 24))
        check_vocabulary(f, c, static_cast<int>(tokens->size()));
    check_tensor_shapes(f, c);
}

}  // namespace ponder
