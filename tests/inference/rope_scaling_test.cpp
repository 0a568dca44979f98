// rope_scaling_test.cpp: RoPE scaling keys resolve to the angles and magnitudes llama.cpp uses
// (YaRN for every architecture, DeepSeek-V2's mscale convention, linear), computed here by hand.
#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "model/config.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numbers>

namespace ponder {
namespace {

// A qwen2 header (head dim 64, base 1e6, trained context 32768) plus `extra` keys.
ModelConfig qwen2_config(const std::function<void(GgufWriter&)>& extra) {
    GgufWriter w;
    w.set("general.architecture", "qwen2");
    w.set("qwen2.embedding_length", std::uint32_t{128});
    w.set("qwen2.block_count", std::uint32_t{1});
    w.set("qwen2.attention.head_count", std::uint32_t{2});
    w.set("qwen2.attention.head_count_kv", std::uint32_t{1});
    w.set("qwen2.feed_forward_length", std::uint32_t{256});
    w.set("qwen2.context_length", std::uint32_t{131072});
    w.set("qwen2.rope.freq_base", 1e6f);
    extra(w);
    w.add_tensor("token_embd.weight", DType::F32, {128, 4}, std::vector<float>(512, 0.0f));
    const auto bytes = w.to_bytes();
    return read_config(GgufFile::from_memory(bytes));
}

double corr_dim(int n_rot, double ctx, double rotations, double base) {
    return n_rot * std::log(ctx / (rotations * 2 * std::numbers::pi)) / (2 * std::log(base));
}

TEST(RopeScaling, YarnForQwen2AsLlamaCppResolvesIt) {
    const ModelConfig c = qwen2_config([](GgufWriter& w) {
        w.set("qwen2.rope.scaling.type", "yarn");
        w.set("qwen2.rope.scaling.factor", 4.0f);
        w.set("qwen2.rope.scaling.original_context_length", std::uint32_t{32768});
    });
    EXPECT_FLOAT_EQ(c.rope_freq_scale, 0.25f);
    EXPECT_EQ(c.yarn_ext_factor, 1.0f);
    EXPECT_FLOAT_EQ(c.yarn_low, static_cast<float>(std::floor(corr_dim(64, 32768, 32, 1e6))));
    EXPECT_FLOAT_EQ(c.yarn_high, static_cast<float>(std::ceil(corr_dim(64, 32768, 1, 1e6))));
    // Angles' magnitude 1 + 0.1 ln(factor); the softmax scale stays 1 / sqrt(head_dim).
    EXPECT_NEAR(c.rope_mscale, 1.0 + 0.1 * std::log(4.0), 1e-6);
    EXPECT_EQ(c.attn_scale, 0.0f);
}

TEST(RopeScaling, YarnKeysOverrideTheDefaults) {
    const ModelConfig c = qwen2_config([](GgufWriter& w) {
        w.set("qwen2.rope.scaling.type", "yarn");
        w.set("qwen2.rope.scaling.factor", 8.0f);
        w.set("qwen2.rope.scaling.yarn_ext_factor", 0.5f);
        w.set("qwen2.rope.scaling.yarn_beta_fast", 16.0f);
        w.set("qwen2.rope.scaling.yarn_beta_slow", 2.0f);
        w.set("qwen2.rope.scaling.attn_factor", 2.0f);
    });
    EXPECT_EQ(c.yarn_ext_factor, 0.5f);
    // No original_context_length: the trained context.
    EXPECT_FLOAT_EQ(c.yarn_low, static_cast<float>(std::floor(corr_dim(64, 131072, 16, 1e6))));
    EXPECT_FLOAT_EQ(c.yarn_high, std::min(63.0f, static_cast<float>(std::ceil(corr_dim(64, 131072, 2, 1e6)))));
    EXPECT_NEAR(c.rope_mscale, 2.0 * (1.0 + 0.1 * std::log(8.0)), 1e-5);
}

TEST(RopeScaling, LinearAndNone) {
    const ModelConfig lin = qwen2_config([](GgufWriter& w) {
        w.set("qwen2.rope.scaling.type", "linear");
        w.set("qwen2.rope.scaling.factor", 2.0f);
    });
    EXPECT_FLOAT_EQ(lin.rope_freq_scale, 0.5f);
    EXPECT_EQ(lin.yarn_ext_factor, 0.0f);
    EXPECT_EQ(lin.rope_mscale, 1.0f);
    const ModelConfig none = qwen2_config([](GgufWriter&) {});
    EXPECT_EQ(none.rope_freq_scale, 1.0f);
    EXPECT_EQ(none.rope_mscale, 1.0f);
    EXPECT_THROW(qwen2_config([](GgufWriter& w) { w.set("qwen2.rope.scaling.type", "dynamic"); }), Error);
}

}  // namespace
}  // namespace ponder
