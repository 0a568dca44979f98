// synth.h: random-weight models with the exact shapes, keys, tensor names and llama-quantize type
// mix of real ones (`ponder-cli synth`), for benchmarking at realistic sizes without downloads.
#pragma once

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ponder {

// deepseek2 (MLA + mixture of experts) shape; the preset's n_ff is the dense layers' FFN width,
// head_dim unused, n_kv_head 1.
struct SynthMla {
    int q_lora, kv_lora, qk_nope, qk_rope, v_head;
    int n_dense_lead, n_experts, n_used, n_shared, expert_ff, n_groups, n_groups_used;
    int gating;  // llama.cpp's expert_gating_func: 1 softmax, 2 sigmoid
    bool weights_norm;
    float weights_scale;
    float yarn_factor;  // 0: no YaRN
    int yarn_orig_ctx;
    float yarn_log_mul;  // as the converter writes it (0.1 * mscale_all_dim)
};

struct SynthPreset {
    const char* name;  // "qwen2.5-0.5b"
    const char* like;  // "Qwen2.5-0.5B"
    const char* arch;  // "qwen2" / "llama"
    int n_embd, n_layer, n_head, n_kv_head, head_dim, n_ff;
    std::int64_t vocab;
    int context_length;
    float rope_base;
    float rms_eps;
    bool tied_embeddings;
    bool qkv_bias;
    bool llama3_rope_freqs;         // Llama 3.1 "llama3" RoPE scaling factors tensor (rope_freqs.weight)
    const char* vocab_file;         // tokenizer source in the reference data's tokenizer/ folder
    const char* tokenizer_pre;      // for the placeholder vocabulary
    const SynthMla* mla = nullptr;  // deepseek2 only
};

std::span<const SynthPreset> synth_presets();
const SynthPreset* find_synth_preset(std::string_view name);

// The tensor type llama-quantize (no imatrix) gives `tensor` for file type `ftype` (a llama_ftype,
// see parse_file_type): per-name rules for output/embeddings, attn_v and ffn_down (Q4_K_M/Q5_K_M
// give "more bits" layers Q6_K), then fall-backs when the row length is not a multiple of the
// block size (Q4_K -> Q5_0, Q5_K -> Q5_1, Q6_K -> Q8_0). 1-D tensors stay F32.
// `output_matrix` is true for output.weight, and for token_embd.weight when embeddings are tied.
DType quantized_tensor_type(std::uint32_t ftype, std::string_view tensor, int layer, int n_layer,
                            std::int64_t row_length, int n_dims, bool output_matrix);

// File types synth can produce (those whose tensor types all have quantizers).
bool synth_supports_file_type(std::uint32_t ftype);

struct SynthOptions {
    const SynthPreset* preset = nullptr;
    std::uint32_t ftype = 15;  // Q4_K_M
    std::uint64_t seed = 1;
    const GgufFile* vocab = nullptr;  // tokenizer.* keys are copied from here; null: placeholder
    int n_layer_override = 0;         // > 0: fewer layers (tests)
};

// The tensors a synthetic model will hold, in file order, with their types and shapes (ggml
// order). Lets callers (and tests) check the type mix without producing any data.
struct SynthTensor {
    enum class Kind { Matrix, Norm, Bias, RopeFreqs };
    std::string name;
    DType type = DType::F32;
    std::int64_t ne0 = 0, ne1 = 1;  // ne1 == 1 for vectors
    Kind kind = Kind::Matrix;
    std::int64_t ne2 = 1;  // stacked heads / experts (deepseek2)
};
std::vector<SynthTensor> synth_tensor_plan(const SynthOptions& options);

// Builds the model (tensor data is produced lazily, while the writer streams the file). Weights
// are N(0, 0.02), norms 1 + N(0, 0.02). To keep multi-GB files fast to write, each tensor's rows
// are drawn (seeded) from a pool of pre-quantized random rows per (type, row length).
// `notes` receives human-readable remarks (e.g. "placeholder vocabulary").
GgufWriter build_synth_model(const SynthOptions& options, std::string* notes = nullptr);

}  // namespace ponder
