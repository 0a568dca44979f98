// rope_scaling.cpp: RoPE scaling keys -> ModelConfig (linear, llama3 via rope_freqs, YaRN).
#include "model/rope_scaling.h"

#include "gguf/gguf_file.h"
#include "model/config.h"
#include "util/error.h"
#include "util/path_text.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ponder {

void yarn_corr_dims(int n_rot, int n_ctx_orig, float freq_base, float beta_fast, float beta_slow, float out[2]) {
    // The dimension pair whose wavelength fits `rotations` times into the original context.
    auto corr_dim = [&](float rotations) {
        return static_cast<float>(n_rot) *
               std::log(static_cast<float>(n_ctx_orig) / (rotations * 2 * std::numbers::pi_v<float>)) /
               (2 * std::log(freq_base));
    };
    out[0] = std::max(0.0f, std::floor(corr_dim(beta_fast)));
    out[1] = std::min(static_cast<float>(n_rot - 1), std::ceil(corr_dim(beta_slow)));
}

namespace {

// YaRN's magnitude correction for a scale factor: 0.1 * mscale * ln(factor) + 1.
float yarn_mscale(float factor, float mscale) {
    return factor <= 1.0f ? 1.0f : 0.1f * mscale * std::log(factor) + 1.0f;
}

}  // namespace

void read_rope_scaling(const GgufFile& f, const std::string& a, ModelConfig& c) {
    const std::string file = path_to_utf8(f.path());
    const std::string scaling(f.get_string(a + "rope.scaling.type", "none"));
    const float attn_factor_key = f.get_f32(a + "rope.scaling.attn_factor", 1.0f);
    if (!(attn_factor_key > 0) || !std::isfinite(attn_factor_key))
        fail("%s: %srope.scaling.attn_factor must be positive", file.c_str(), a.c_str());
    c.rope_freq_scale = 1;
    c.yarn_ext_factor = 0;
    float attn_factor = 1.0f, log_mul = 0.0f;
    // "llama3" is carried by the rope_freqs tensor.
    if (scaling != "none" && scaling != "llama3") {
        const float factor = f.get_f32(a + "rope.scaling.factor", 1.0f);
        if (!(factor > 0) || !std::isfinite(factor) || factor > 1e6f)
            fail("%s: %srope.scaling.factor = %g must be positive", file.c_str(), a.c_str(),
                 static_cast<double>(factor));
        c.rope_freq_scale = 1.0f / factor;
        if (scaling == "yarn") {
            const std::uint32_t orig_ctx =
                f.get_u32(a + "rope.scaling.original_context_length", static_cast<std::uint32_t>(c.context_length));
            const float ext = f.get_f32(a + "rope.scaling.yarn_ext_factor", 1.0f);
            const float beta_fast = f.get_f32(a + "rope.scaling.yarn_beta_fast", 32.0f);
            const float beta_slow = f.get_f32(a + "rope.scaling.yarn_beta_slow", 1.0f);
            log_mul = f.get_f32(a + "rope.scaling.yarn_log_multiplier", 0.0f);
            if (orig_ctx == 0 || orig_ctx > (1u << 28))
                fail("%s: %srope.scaling.original_context_length is out of range", file.c_str(), a.c_str());
            if (!(ext >= 0) || ext > 1e3f)
                fail("%s: %srope.scaling.yarn_ext_factor must be >= 0", file.c_str(), a.c_str());
            if (!(beta_fast > 0) || !(beta_slow > 0) || !std::isfinite(beta_fast) || !std::isfinite(beta_slow))
                fail("%s: %srope.scaling.yarn_beta_fast / yarn_beta_slow must be positive", file.c_str(), a.c_str());
            if (!std::isfinite(log_mul) || log_mul < 0 || log_mul > 100)
                fail("%s: %srope.scaling.yarn_log_multiplier is out of range", file.c_str(), a.c_str());
            // DeepSeek-V2's converter writes 0.1 * mscale_all_dim; other files write mscale_all_dim.
            if (c.arch == Architecture::Deepseek2) log_mul /= 0.1f;
            c.yarn_ext_factor = ext;
            float corr[2];
            yarn_corr_dims(c.rope_dim, static_cast<int>(orig_ctx), c.rope_theta, beta_fast, beta_slow, corr);
            c.yarn_low = corr[0];
            c.yarn_high = corr[1];
            // The attention factor as llama.cpp resolves it: with a log multiplier (mscale_all_dim)
            // mscale(factor, m) / mscale(factor, m_all), where DeepSeek-V2 has m = m_all (so 1);
            // otherwise mscale(factor, 1); the kernel's own 1 + 0.1 ln(factor) divided out.
            if (ext != 0.0f) {
                if (log_mul != 0.0f) {
                    const float m = c.arch == Architecture::Deepseek2 && log_mul != 1.0f ? log_mul : 1.0f;
                    attn_factor = yarn_mscale(factor, m) / yarn_mscale(factor, log_mul);
                } else {
                    attn_factor = yarn_mscale(factor, 1.0f);
                }
                attn_factor *= 1.0f / (1.0f + 0.1f * std::log(factor));
            }
        } else if (scaling != "linear") {
            fail("%s: RoPE scaling type '%s' is not supported (none, linear, llama3, yarn)", file.c_str(),
                 scaling.c_str());
        }
    }
    attn_factor *= attn_factor_key;
    const float ln_factor = std::log(1.0f / c.rope_freq_scale);
    c.rope_mscale = c.yarn_ext_factor != 0.0f ? attn_factor * (1.0f + 0.1f * ln_factor) : attn_factor;
    if (c.arch == Architecture::Deepseek2) {
        // DeepSeek folds YaRN's magnitude into the softmax scale: mscale^2 / sqrt(q head width),
        // mscale = 1 + 0.1 * mscale_all_dim * ln(factor) times the uncorrected attention factor.
        const float attn_factor_org = attn_factor * (1.0f + 0.1f * ln_factor);
        const float mscale = attn_factor_org * (1.0f + 0.1f * log_mul * ln_factor);
        c.attn_scale = mscale * mscale / std::sqrt(static_cast<float>(c.ds2.q_head()));
    }
}

}  // namespace ponder
