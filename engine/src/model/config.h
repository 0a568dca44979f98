// config.h: a transformer's hyper-parameters, read and validated from GGUF metadata.
#pragma once

#include "model/deepseek2_config.h"

#include <cstdint>
#include <string>

namespace ponder {

class GgufFile;

enum class Architecture { Llama, Qwen2, Qwen3, Deepseek2 };

struct ModelConfig {
    Architecture arch = Architecture::Llama;
    std::string arch_name;              // general.architecture as written in the file
    int vocab_size = 0;                 // rows of token_embd
    int dim = 0;                        // embedding_length
    int n_layers = 0;                   // block_count
    int n_heads = 0;                    // attention.head_count
    int n_kv_heads = 0;                 // attention.head_count_kv (GQA: n_heads is a multiple of it)
    int head_dim = 0;                   // attention.key_length; usually dim / n_heads
    int hidden_dim = 0;                 // feed_forward_length
    int context_length = 0;             // trained context
    int rope_dim = 0;                   // rope.dimension_count: leading dims of each head that rotate
    float rope_theta = 10000;           // rope.freq_base
    float rope_freq_scale = 1;          // 1 / rope.scaling.factor for linear and YaRN scaling, else 1
    float yarn_ext_factor = 0;          // YaRN: > 0 blends interpolated and extrapolated angles
    float yarn_low = 0, yarn_high = 0;  // YaRN correction dims (pair indices)
    float rope_mscale = 1;              // magnitude of RoPE's cos/sin (YaRN attention factor)
    float attn_scale = 0;               // softmax scale of q.k; 0 = 1 / sqrt(head_dim)
    bool rope_neox = false;             // NeoX pairs (i, i + n/2) for qwen2/qwen3; adjacent pairs for llama
    float norm_eps = 1e-5f;             // attention.layer_norm_rms_epsilon
    bool qkv_bias = false;              // qwen2: q/k/v projections carry biases
    bool qk_norm = false;               // qwen3: per-head RMSNorm of q and k before RoPE
    // deepseek2: n_kv_heads = 1 and head_dim = ds2.cache_row() (the latent KV cache is one
    // "head" of [kv_lora | rope] per position, values read from the same rows as keys).
    Deepseek2Config ds2;
    bool mla() const { return arch == Architecture::Deepseek2; }

    int q_dim() const { return n_heads * head_dim; }      // (n_heads * head_dim)
    int kv_dim() const { return n_kv_heads * head_dim; }  // (n_kv_heads * head_dim)
};

// Architectures this engine runs ("llama", "qwen2", "qwen3", "deepseek2").
bool architecture_supported(const std::string& name);

// Reads "<arch>.*" keys and checks them against each other (and against token_embd's shape).
// Throws ponder::Error naming the file and key for missing/inconsistent values, and
// "architecture X is not supported yet" for anything but llama/qwen2/qwen3/deepseek2.
ModelConfig read_config(const GgufFile& file);

}  // namespace ponder
