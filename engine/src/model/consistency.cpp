// consistency.cpp: the loader's cross-checks of hyper-parameters, vocabulary and tensor shapes
// (see consistency.h). Every message names the file, the key or tensor, and both numbers.
#include "model/consistency.h"

#include "gguf/gguf_file.h"
#include "util/error.h"
#include "util/path_text.h"

#include <charconv>
#include <string>
#include <unordered_map>
#include <vector>

namespace ponder {

namespace {

// A tensor the architecture uses: its shape in ggml order (cols = ne[0]) and where each number
// comes from, for the message.
struct ExpectedTensor {
    std::string name;
    std::int64_t cols = 0;
    std::int64_t rows = 1;     // 1: a vector (stored 1-D, or 2-D with one row)
    std::string why;           // "rows = attention.head_count 4 x head dimension 16"
    bool required = true;
    bool f32 = false;          // norms, biases and RoPE factors
};

std::string num(std::int64_t v) { return std::to_string(v); }

// llama, qwen2 and qwen3: one dense pre-norm transformer with optional q/k/v biases (required by
// qwen2) and optional per-head q/k norms (required by qwen3).
std::vector<ExpectedTensor> dense_transformer_tensors(const ModelConfig& c) {
    const std::string a = c.arch_name + ".";
    const std::string dim = a + "embedding_length " + num(c.dim);
    const std::string vocab = "the vocabulary size " + num(c.vocab_size);
    const std::string q = a + "attention.head_count " + num(c.n_heads) + " x head dimension " + num(c.head_dim);
    const std::string kv = a + "attention.head_count_kv " + num(c.n_kv_heads) + " x head dimension " + num(c.head_dim);
    const std::string ff = a + "feed_forward_length " + num(c.hidden_dim);
    const std::string hd = "head dimension " + num(c.head_dim);
    std::vector<ExpectedTensor> t;
    t.push_back({"token_embd.weight", c.dim, c.vocab_size, "cols = " + dim});
    t.push_back({"output_norm.weight", c.dim, 1, "length = " + dim, true, true});
    t.push_back({"output.weight", c.dim, c.vocab_size, "cols = " + dim + ", rows = " + vocab, false});
    t.push_back({"rope_freqs.weight", c.rope_dim / 2, 1,
                 "length = " + a + "rope.dimension_count " + num(c.rope_dim) + " / 2", false, true});
    for (int i = 0; i < c.n_layers; ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        t.push_back({p + "attn_norm.weight", c.dim, 1, "length = " + dim, true, true});
        t.push_back({p + "attn_q.weight", c.dim, c.q_dim(), "cols = " + dim + ", rows = " + q});
        t.push_back({p + "attn_k.weight", c.dim, c.kv_dim(), "cols = " + dim + ", rows = " + kv});
        t.push_back({p + "attn_v.weight", c.dim, c.kv_dim(), "cols = " + dim + ", rows = " + kv});
        t.push_back({p + "attn_q.bias", c.q_dim(), 1, "length = " + q, c.qkv_bias, true});
        t.push_back({p + "attn_k.bias", c.kv_dim(), 1, "length = " + kv, c.qkv_bias, true});
        t.push_back({p + "attn_v.bias", c.kv_dim(), 1, "length = " + kv, c.qkv_bias, true});
        t.push_back({p + "attn_q_norm.weight", c.head_dim, 1, "length = " + hd, c.qk_norm, true});
        t.push_back({p + "attn_k_norm.weight", c.head_dim, 1, "length = " + hd, c.qk_norm, true});
        t.push_back({p + "attn_output.weight", c.q_dim(), c.dim, "cols = " + q + ", rows = " + dim});
        t.push_back({p + "ffn_norm.weight", c.dim, 1, "length = " + dim, true, true});
        t.push_back({p + "ffn_gate.weight", c.dim, c.hidden_dim, "cols = " + dim + ", rows = " + ff});
        t.push_back({p + "ffn_up.weight", c.dim, c.hidden_dim, "cols = " + dim + ", rows = " + ff});
        t.push_back({p + "ffn_down.weight", c.hidden_dim, c.dim, "cols = " + ff + ", rows = " + dim});
    }
    return t;
}

bool is_dense_transformer(Architecture arch) {
    return arch == Architecture::Llama || arch == Architecture::Qwen2 || arch == Architecture::Qwen3;
}

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

}  // namespace

void check_hyperparameters(const GgufFile& f, const ModelConfig& c) {
    const std::string a = c.arch_name + ".";
    // Without attention.key_length the head dimension is embedding_length / head_count: a
    // remainder would silently drop columns of every projection.
    if (!f.has(a + "attention.key_length") && c.dim % c.n_heads != 0)
        fail("%s: %sembedding_length %d is not a multiple of %sattention.head_count %d (and %sattention.key_length "
             "is absent)",
             path_to_utf8(f.path()).c_str(), a.c_str(), c.dim, a.c_str(), c.n_heads, a.c_str());
}

void check_vocabulary(const GgufFile& f, const ModelConfig& c, int n_tokens) {
    const std::string file = path_to_utf8(f.path());
    if (n_tokens != c.vocab_size)
        fail("%s: tokenizer.ggml.tokens has %d tokens but tensor token_embd.weight has %d rows", file.c_str(),
             n_tokens, c.vocab_size);
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
    if (!is_dense_transformer(c.arch)) return;
    const std::string file = path_to_utf8(f.path());
    const std::vector<ExpectedTensor> expected = dense_transformer_tensors(c);
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
            fail("%s: tensor %s is not part of a %s model (unexpected tensor)", file.c_str(), name.c_str(),
                 c.arch_name.c_str());
        }
        const ExpectedTensor& e = *it->second;
        const std::int64_t rows = t.n_dims == 1 ? 1 : t.n_rows();
        if (t.n_dims > 2 || t.ne[0] != e.cols || rows != e.rows) {
            const std::string want = e.rows == 1 ? "[" + num(e.cols) + "]" : "[" + num(e.cols) + ", " + num(e.rows) + "]";
            fail("%s: tensor %s has shape %s, expected %s (ggml order; %s)", file.c_str(), e.name.c_str(),
                 shape_text(t).c_str(), want.c_str(), e.why.c_str());
        }
        if (e.f32 && t.type != DType::F32)
            fail("%s: tensor %s has type %s, expected F32 (norms, biases and RoPE factors are F32)", file.c_str(),
                 e.name.c_str(), std::string(to_string(t.type)).c_str());
    }
    for (const ExpectedTensor& e : expected)
        if (e.required && !f.find_tensor(e.name))
            fail("%s: tensor %s is missing (a %s model with %s.block_count %d needs it)", file.c_str(), e.name.c_str(),
                 c.arch_name.c_str(), c.arch_name.c_str(), c.n_layers);
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
