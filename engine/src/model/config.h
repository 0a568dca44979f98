// config.h: a transformer's hyper-parameters, read and validated from GGUF metadata.
#pragma once

#include <cstdint>
#include <string>

namespace ponder {

class GgufFile;

enum class Architecture { Llama, Qwen2, Qwen3 };

struct ModelConfig {
    Architecture arch = Architecture::Llama;
    std::string arch_name;      // general.architecture as written in the file
    int vocab_size = 0;         // rows of token_embd
    int dim = 0;                // embedding_length
    int n_layers = 0;           // block_count
    int n_heads = 0;            // attention.head_count
    int n_kv_heads = 0;         // attention.head_count_kv (GQA: n_heads is a multiple of it)
    int head_dim = 0;           // attention.key_length; usually dim / n_heads
    int hidden_dim = 0;         // feed_forward_length
    int context_length = 0;     // trained context
    int rope_dim = 0;           // rope.dimension_count: leading dims of each head that rotate
    float rope_theta = 10000;   // rope.freq_base
    float rope_freq_scale = 1;  // 1 / rope.scaling.factor for linear scaling, else 1
    bool rope_neox = false;     // NeoX pairs (i, i + n/2) for qwen2/qwen3; adjacent pairs for llama
    float norm_eps = 1e-5f;     // attention.layer_norm_rms_epsilon
    bool qkv_bias = false;      // qwen2: q/k/v projections carry biases
    bool qk_norm = false;       // qwen3: per-head RMSNorm of q and k before RoPE

    int q_dim() const { return n_heads * head_dim; }     // (n_heads * head_dim)
    int kv_dim() const { return n_kv_heads * head_dim; } // (n_kv_heads * head_dim)
};

// Architectures this engine runs ("llama", "qwen2", "qwen3").
bool architecture_supported(const std::string& name);

// Reads "<arch>.*" keys and checks them against each other (and against token_embd's shape).
// Throws ponder::Error naming the file and key for missing/inconsistent values, and
// "architecture X is not supported yet" for anything but llama/qwen2/qwen3.
ModelConfig read_config(const GgufFile& file);

}  // namespace ponder
