// config.cpp: reading and checking ModelConfig from "<arch>.*" GGUF keys.
#include "model/config.h"
#include "util/path_text.h"

#include "gguf/gguf_file.h"
#include "gguf/model_info.h"
#include "model/rope_scaling.h"
#include "util/error.h"

namespace ponder {

// One list for the loader and for inspect_model() (which the UI uses to warn before loading).
bool architecture_supported(const std::string& name) { return is_supported_architecture(name); }

namespace {

int require_positive(const GgufFile& f, const std::string& key, int max_value) {
    const std::uint32_t v = f.require_u32(key);
    if (v == 0 || v > static_cast<std::uint32_t>(max_value))
        fail("%s: key %s = %u is out of range (1..%d)", path_to_utf8(f.path()).c_str(), key.c_str(), v, max_value);
    return static_cast<int>(v);
}

}  // namespace

ModelConfig read_config(const GgufFile& f) {
    const std::string file = path_to_utf8(f.path());
    ModelConfig c;
    c.arch_name = std::string(f.require_string("general.architecture"));
    if (c.arch_name == "deepseek2") return read_deepseek2_config(f);  // MLA + MoE: its own keys
    if (c.arch_name == "llama") {
        c.arch = Architecture::Llama;
    } else if (c.arch_name == "qwen2") {
        c.arch = Architecture::Qwen2;
        c.rope_neox = true;
        c.qkv_bias = true;
    } else if (c.arch_name == "qwen3") {
        c.arch = Architecture::Qwen3;
        c.rope_neox = true;
        c.qk_norm = true;
    } else {
        fail_coded(ErrorCode::UnsupportedArchitecture, {file, c.arch_name},
                   "%s: architecture %s is not supported yet (supported: llama, qwen2, qwen3, deepseek2)", file.c_str(),
                   c.arch_name.c_str());
    }
    const std::string a = c.arch_name + ".";
    constexpr int kMaxDim = 1 << 20;
    c.dim = require_positive(f, a + "embedding_length", kMaxDim);
    c.n_layers = require_positive(f, a + "block_count", 4096);
    c.n_heads = require_positive(f, a + "attention.head_count", 4096);
    c.n_kv_heads = static_cast<int>(f.get_u32(a + "attention.head_count_kv", static_cast<std::uint32_t>(c.n_heads)));
    if (c.n_kv_heads <= 0 || c.n_kv_heads > c.n_heads || c.n_heads % c.n_kv_heads != 0)
        fail("%s: %sattention.head_count_kv = %d must divide head_count = %d", file.c_str(), a.c_str(), c.n_kv_heads,
             c.n_heads);
    c.hidden_dim = require_positive(f, a + "feed_forward_length", kMaxDim);
    c.context_length = static_cast<int>(f.get_u32(a + "context_length", 2048));
    if (c.context_length <= 0) fail("%s: %scontext_length must be positive", file.c_str(), a.c_str());

    const int default_head_dim = c.dim / c.n_heads;
    c.head_dim = static_cast<int>(f.get_u32(a + "attention.key_length", static_cast<std::uint32_t>(default_head_dim)));
    const int value_dim =
        static_cast<int>(f.get_u32(a + "attention.value_length", static_cast<std::uint32_t>(c.head_dim)));
    if (c.head_dim <= 0 || c.head_dim > 1024 || c.head_dim % 2 != 0)
        fail("%s: head dimension %d is not supported (positive, even, at most 1024)", file.c_str(), c.head_dim);
    if (value_dim != c.head_dim)
        fail("%s: %sattention.value_length %d differs from key_length %d (not supported)", file.c_str(), a.c_str(),
             value_dim, c.head_dim);
    c.rope_dim = static_cast<int>(f.get_u32(a + "rope.dimension_count", static_cast<std::uint32_t>(c.head_dim)));
    if (c.rope_dim <= 0 || c.rope_dim > c.head_dim || c.rope_dim % 2 != 0)
        fail("%s: %srope.dimension_count = %d must be even and at most the head dimension %d", file.c_str(), a.c_str(),
             c.rope_dim, c.head_dim);
    c.rope_theta = f.get_f32(a + "rope.freq_base", 10000.0f);
    if (!(c.rope_theta > 0)) fail("%s: %srope.freq_base must be positive", file.c_str(), a.c_str());
    c.norm_eps = f.get_f32(a + "attention.layer_norm_rms_epsilon", 1e-5f);
    if (!(c.norm_eps > 0) || c.norm_eps > 1)
        fail("%s: %sattention.layer_norm_rms_epsilon is out of range", file.c_str(), a.c_str());

    read_rope_scaling(f, a, c);

    const GgufTensor& embd = f.require_tensor("token_embd.weight");
    if (embd.n_dims != 2 || embd.ne[0] != c.dim)
        fail("%s: tensor token_embd.weight has row length %lld, expected embedding_length %d", file.c_str(),
             static_cast<long long>(embd.ne[0]), c.dim);
    if (embd.ne[1] <= 0 || embd.ne[1] > (1 << 24))
        fail("%s: tensor token_embd.weight has an absurd vocabulary size %lld", file.c_str(),
             static_cast<long long>(embd.ne[1]));
    c.vocab_size = static_cast<int>(embd.ne[1]);
    return c;
}

}  // namespace ponder
