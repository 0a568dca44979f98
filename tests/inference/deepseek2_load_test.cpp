// deepseek2_load_test.cpp: deepseek2 files whose keys and tensors disagree are refused with an
// error that names the problem (never a crash or an out-of-range read); a consistent tiny one
// loads, runs and reports its latent KV cache.
#include "api/loaded_model.h"
#include "gguf/gguf_file.h"
#include "gguf/synth.h"
#include "support/temp_dir.h"
#include "support/testdata.h"
#include "tiny_deepseek2.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace ponder {
namespace {

using Edit = test::TinyDeepseek2Spec;

std::filesystem::path write_model(const test::TempDir& dir, const Edit& e = {}) {
    const auto path = dir / "ds2.gguf";
    test::write_tiny_deepseek2(path, e);
    return path;
}

std::string load_error(const std::filesystem::path& path) {
    LoadOptions lo;
    lo.path = path;
    lo.backend = BackendKind::Cpu;
    lo.context_length = 64;
    try {
        load_model(lo);
    } catch (const Error& e) {
        return e.what();
    }
    return "(loaded)";
}

void expect_refused(const Edit& edit, const std::string& text) {
    const test::TempDir dir;
    const std::string msg = load_error(write_model(dir, edit));
    EXPECT_NE(msg.find(text), std::string::npos) << "expected an error containing \"" << text << "\", got: " << msg;
}

Edit keys(std::function<void(GgufWriter&)> f) {
    Edit e;
    e.edit = std::move(f);
    return e;
}
Edit omit(const std::string& tensor) {
    Edit e;
    e.omit_tensor = tensor;
    return e;
}
Edit reshape(const std::string& tensor, std::vector<std::int64_t> shape) {
    Edit e;
    e.reshape[tensor] = std::move(shape);
    return e;
}

TEST(Deepseek2Load, ConsistentMiniatureLoadsRunsAndCachesTheLatent) {
    const test::TempDir dir;
    LoadOptions lo;
    lo.path = write_model(dir);
    lo.backend = BackendKind::Cpu;
    lo.context_length = 64;
    const auto model = load_model(lo);
    const LoadedModel& m = loaded_model(*model);
    EXPECT_TRUE(m.m_config.mla());
    EXPECT_EQ(m.m_config.head_dim, 64 + 16);  // one latent row [kv_lora | rope] per position
    EXPECT_EQ(m.m_config.n_kv_heads, 1);
    // DeepSeek's YaRN: the file's log multiplier is 0.1 * mscale_all_dim; the magnitude moves
    // from the angles into the softmax scale, (1 + 0.1 * mscale_all_dim * ln 40)^2 / sqrt(q head).
    EXPECT_NEAR(m.m_config.rope_mscale, 1.0, 1e-6);
    const double mscale = 1.0 + 0.1 * 1.0 * std::log(40.0);
    EXPECT_NEAR(m.m_config.attn_scale, mscale * mscale / std::sqrt(48.0), 1e-6);
    EXPECT_EQ(m.m_config.yarn_ext_factor, 1.0f);
    // F16 cache: (kv_lora + rope) * 2 bytes per layer; ordinary attention would need
    // heads * (key_length_mla + value_length_mla) * 2 per layer.
    EXPECT_EQ(model->info().kv_bytes_per_token, 3u * 80 * 2);
    const std::vector<std::int32_t> ids{1, 50, 60, 70, 80, 90, 100, 110, 120};
    const std::vector<float> all = eval_logits(*model, ids);
    for (float v : all) ASSERT_TRUE(std::isfinite(v));
    // Prompt in one batch == token by token (the single-token paths of MLA and MoE agree).
    EvalContext ctx(model, 16, 1);
    std::span<const float> last;
    for (std::int32_t id : ids) last = ctx.eval(std::span<const std::int32_t>(&id, 1));
    double d2 = 0, r2 = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        d2 += (last[i] - all[i]) * (last[i] - all[i]);
        r2 += all[i] * all[i];
    }
    EXPECT_LT(std::sqrt(d2 / r2), 1e-3);
}

TEST(Deepseek2Load, ExpertCountThatDisagreesWithTheTensors) {
    expect_refused(keys([](GgufWriter& w) { w.set("deepseek2.expert_count", std::uint32_t{4}); }),
                   "ffn_gate_inp.weight has shape [64, 8], expected [64, 4]");
    expect_refused(reshape("blk.1.ffn_down_exps.weight", {64, 64, 7}),
                   "blk.1.ffn_down_exps.weight has shape [64, 64, 7], expected [64, 64, 8]");
    // A hostile count far beyond the tensors is refused from the shapes, before any allocation.
    expect_refused(keys([](GgufWriter& w) { w.set("deepseek2.expert_count", std::uint32_t{60000}); }), "expert_count");
}

TEST(Deepseek2Load, TopKLargerThanTheExpertCount) {
    expect_refused(keys([](GgufWriter& w) { w.set("deepseek2.expert_used_count", std::uint32_t{9}); }),
                   "expert_used_count = 9 is larger than expert_count = 8");
    expect_refused(keys([](GgufWriter& w) { w.set("deepseek2.expert_used_count", std::uint32_t{0}); }),
                   "expert_used_count = 0 is out of range");
    // 2 groups of 2 experts cannot provide 5.
    expect_refused(keys([](GgufWriter& w) { w.set("deepseek2.expert_used_count", std::uint32_t{5}); }),
                   "experts cannot come from 2 groups of 2");
}

TEST(Deepseek2Load, GroupSettingsThatDoNotDivideTheExperts) {
    expect_refused(keys([](GgufWriter& w) { w.set("deepseek2.expert_group_count", std::uint32_t{3}); }),
                   "expert_group_count = 3 does not divide expert_count = 8");
    expect_refused(keys([](GgufWriter& w) { w.set("deepseek2.expert_group_used_count", std::uint32_t{5}); }),
                   "expert_group_used_count = 5 is larger than expert_group_count = 4");
}

TEST(Deepseek2Load, MissingMlaTensorsAndKeys) {
    for (const char* t : {"blk.0.attn_k_b.weight", "blk.1.attn_v_b.weight", "blk.2.attn_kv_a_mqa.weight",
                          "blk.0.attn_kv_a_norm.weight", "blk.1.attn_q_b.weight"})
        expect_refused(omit(t), std::string("tensor ") + t + " is missing");
    expect_refused(keys([](GgufWriter& w) { w.remove("deepseek2.attention.key_length_mla"); }),
                   "the old attn_kv_b form");
    expect_refused(keys([](GgufWriter& w) { w.remove("deepseek2.attention.kv_lora_rank"); }), "kv_lora_rank");
    expect_refused(keys([](GgufWriter& w) { w.set("deepseek2.attention.key_length", std::uint32_t{96}); }),
                   "key_length 96 (expected kv_lora_rank + rope = 80)");
    expect_refused(reshape("blk.0.attn_k_b.weight", {32, 64, 3}), "attn_k_b.weight has shape [32, 64, 3]");
}

TEST(Deepseek2Load, UnsupportedGatingAndBadYarn) {
    expect_refused(keys([](GgufWriter& w) { w.set("deepseek2.expert_gating_func", std::uint32_t{3}); }),
                   "expert_gating_func = 3 is not supported");
    expect_refused(keys([](GgufWriter& w) { w.set("deepseek2.rope.scaling.factor", -2.0f); }), "rope.scaling.factor");
    expect_refused(keys([](GgufWriter& w) { w.set("deepseek2.rope.scaling.type", "ntk-by-parts"); }),
                   "RoPE scaling type 'ntk-by-parts' is not supported");
}

// DeepSeek-V3's own vocabulary and chat template on a deepseek2 model, through Session::reply
// (what `ponder-cli chat` and the app use): the prompt is the template's rendering with the
// special tokens as single ids, and the reply streams.
SynthPreset tiny_v3_vocab_preset() {
    SynthPreset p = test::tiny_deepseek2_preset();
    p.name = "tiny-ds2-v3";
    p.vocab = 129280;
    p.vocab_file = "ggml-vocab-deepseek-v3.gguf";
    p.tokenizer_pre = "deepseek-v3";
    return p;
}

TEST(Deepseek2Load, DeepSeekV3TemplateEndToEnd) {
    PONDER_REQUIRE_TESTDATA();
    const GgufFile vocab = GgufFile::open(*test::testdata_dir() / "tokenizer" / "ggml-vocab-deepseek-v3.gguf");
    const SynthPreset preset = tiny_v3_vocab_preset();
    SynthOptions o;
    o.preset = &preset;
    o.ftype = 7;  // Q8_0
    o.vocab = &vocab;
    const test::TempDir dir;
    build_synth_model(o).write_file(dir / "v3.gguf");
    LoadOptions lo;
    lo.path = dir / "v3.gguf";
    lo.backend = BackendKind::Cpu;
    lo.context_length = 256;
    const auto model = load_model(lo);
    EXPECT_TRUE(model->info().has_chat_template);
    const std::vector<Message> history{{Role::System, "Be brief.", {}}, {Role::User, "What is 2+2?", {}}};
    GenerateOptions g;
    g.max_tokens = 4;
    g.sampling.temperature = 0.0f;
    Session s(model);
    std::string streamed;
    const GenerationStats st = s.reply(history, g, [&](const Piece& p) {
        streamed += p.text;
        return true;
    });
    EXPECT_GE(st.generated_tokens, 1);  // random weights may end the turn early
    EXPECT_LE(st.generated_tokens, 4);
    // DeepSeek-V3's template: BOS, the system text, <｜User｜>question<｜Assistant｜>.
    const std::vector<std::int32_t> expected =
        tokenize(*model, "<｜begin▁of▁sentence｜>Be brief.<｜User｜>What is 2+2?<｜Assistant｜>", false, true);
    const auto cached = SessionAccess::cached_tokens(s);
    ASSERT_GE(cached.size(), expected.size());
    EXPECT_EQ(std::vector<std::int32_t>(cached.begin(), cached.begin() + static_cast<std::ptrdiff_t>(expected.size())),
              expected);
    EXPECT_EQ(expected.front(), 0);  // <｜begin▁of▁sentence｜> is one token
    EXPECT_EQ(std::count(expected.begin(), expected.end(), tokenize(*model, "<｜User｜>", false, true).at(0)), 1);
}

}  // namespace
}  // namespace ponder
