// rope_scaling.h: "<arch>.rope.scaling.*" (linear, llama3, YaRN) into ModelConfig's RoPE fields.
#pragma once

#include <string>

namespace ponder {

class GgufFile;
struct ModelConfig;

// Sets rope_freq_scale and the YaRN fields of `c` (rope_dim, rope_theta and context_length must
// already be read). For YaRN it follows llama.cpp's resolution of the file's keys (factor,
// original_context_length, yarn_ext_factor, yarn_beta_fast/slow, yarn_log_multiplier,
// attn_factor), including DeepSeek-V2's mscale = mscale_all_dim convention, so logits match it.
// Throws ponder::Error on unknown scaling types and out-of-range values.
void read_rope_scaling(const GgufFile& f, const std::string& prefix, ModelConfig& c);

// YaRN correction range (pair indices) for n_rot rotated dims, as ggml computes it.
void yarn_corr_dims(int n_rot, int n_ctx_orig, float freq_base, float beta_fast, float beta_slow, float out[2]);

}  // namespace ponder
