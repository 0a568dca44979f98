// reference_test.cpp: every llama/qwen2/qwen3/deepseek2 model of the reference data against llama.cpp:
// prompt token ids, last-position logits (relative rms, argmax, top-10 overlap), greedy tokens.
#include "api/loaded_model.h"
#include "logit_comparison.h"
#include "routing_probe.h"
#include "support/testdata.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numeric>

namespace ponder {
namespace {

namespace fs = std::filesystem;

using test::compare_logits;
using test::top_k_ids;
using Comparison = test::LogitComparison;

fs::path model_path(const fs::path& data, const std::string& stem) {
    for (const fs::path& p : {data / "models" / (stem + ".gguf"), data / "models" / "synthetic" / (stem + ".gguf")})
        if (fs::exists(p)) return p;
    return {};
}

// Reference model stems whose GGUF is shipped (deepseek2lite-t512-F32 has references only).
std::vector<std::string> reference_models() {
    std::vector<std::string> out;
    const auto data = test::testdata_dir();
    if (!data) return out;
    for (const auto& entry : fs::directory_iterator(*data / "reference")) {
        const std::string stem = entry.path().filename().string();
        if (!model_path(*data, stem).empty()) out.push_back(stem);
    }
    std::sort(out.begin(), out.end());
    return out;
}

class Reference : public ::testing::TestWithParam<std::string> {};

using test::kRoutingTie;

TEST_P(Reference, MatchesLlamaCpp) {
    PONDER_REQUIRE_TESTDATA();
    const fs::path data = *test::testdata_dir();
    const std::string stem = GetParam();
    // The targets, asserted as they are: 1 % relative rms for F32/F16/BF16 files, 5 % for
    // quantized files. Matching llama.cpp's 8-bit activation arithmetic exactly (Q8_K scale
    // -127 / max included) is what keeps K-quant files near 2-3 %; with -128 they were at 3.5-5.7 %.
    const bool float_file = test::is_float_reference(stem);
    const double target = float_file ? 0.01 : 0.05;
    const double tolerance = target;
    LoadOptions lo;
    lo.path = model_path(data, stem);
    lo.backend = BackendKind::Cpu;
    lo.context_length = 512;
    const auto model = load_model(lo);

    std::vector<fs::path> prompts;
    for (const auto& e : fs::directory_iterator(data / "reference" / stem)) {
        const std::string name = e.path().filename().string();
        if (name.size() > 5 && name.ends_with(".json") && name.find('.') == name.size() - 5)
            prompts.push_back(e.path());
    }
    std::sort(prompts.begin(), prompts.end());
    ASSERT_FALSE(prompts.empty());
    for (const fs::path& jp : prompts) {
        SCOPED_TRACE(jp.string());
        const nlohmann::json j = nlohmann::json::parse(test::read_file(jp));
        const std::vector<std::int32_t> ids = j["prompt_ids"].get<std::vector<std::int32_t>>();
        const std::vector<float> ref = test::read_f32_file(jp.parent_path() / j["last_logits_file"].get<std::string>());
        ASSERT_EQ(ref.size(), j["n_vocab"].get<std::size_t>());

        // 1. tokenization of the prompt text
        const std::vector<std::int32_t> ours_ids =
            tokenize(*model, j["prompt_text"].get<std::string>(), j["tokenize_add_special"].get<bool>(),
                     j["tokenize_parse_special"].get<bool>());
        EXPECT_EQ(ours_ids, ids) << "prompt tokenization differs from llama.cpp";

        // 2. last-position logits of the reference ids
        test::ProbedContext ctx(loaded_model(*model), static_cast<int>(ids.size()) + 32);
        const std::span<const float> first = ctx.eval(ids);
        ASSERT_EQ(first.size(), ref.size());
        const Comparison c = compare_logits(first, ref);
        // MoE models: at a routing near-tie either choice of experts is faithful, and the other
        // choice moves the logits far; then (only then) the logit bounds do not apply.
        const bool routing_close_call = ctx.last_gap < kRoutingTie && (c.rel_rms >= tolerance || c.top10_overlap < 8);
        if (!routing_close_call) {
            EXPECT_LT(c.rel_rms, tolerance);
            EXPECT_GE(c.top10_overlap, 8);
        }
        // Same argmax, unless llama.cpp's own top-1/top-2 gap is below twice our measured error
        // (then either token is a faithful answer; the table marks it).
        const auto& ref_top = j["last_logits_top10"];
        const double ref_gap = ref_top[0]["logit"].get<double>() - ref_top[1]["logit"].get<double>();
        const bool argmax_close_call = !c.same_argmax && (ref_gap < 2.0 * c.max_abs || routing_close_call);
        EXPECT_TRUE(c.same_argmax || argmax_close_call) << "argmax differs although llama.cpp's top-1/top-2 gap "
                                                        << ref_gap << " exceeds twice our error " << c.max_abs;

        // 3. greedy continuation: exact while both our and llama.cpp's top-1/top-2 margins exceed
        // twice our measured logit error; a divergence at a closer call is legitimate. The error
        // is measured at every step too (on the five logits llama.cpp recorded), since generation
        // steps add differences of their own: a prompt that happens to match to 0.0000 must not
        // make every later near-tie a failure.
        const std::vector<std::int32_t> greedy = j["greedy_ids"].get<std::vector<std::int32_t>>();
        const auto& top5 = j["greedy_step_top5"];
        double tau = std::max(1e-3, 2.0 * c.max_abs);
        int matched = 0;
        bool legit_divergence = false;
        // A routing near-tie on the way (prompt or an earlier step) may have changed what later
        // steps see; from then on, only a divergence at a close call is asserted.
        bool routing_tie_seen = routing_close_call;
        const double prompt_gap = ctx.last_gap;
        double step_gap = prompt_gap, min_gap = prompt_gap;
        std::vector<float> logits(first.begin(), first.end());
        for (std::size_t step = 0; step < greedy.size(); ++step) {
            double step_err = 0;
            for (const auto& entry : top5[step])
                step_err = std::max(step_err, std::abs(logits[entry[0].get<std::size_t>()] - entry[1].get<double>()));
            routing_tie_seen = routing_tie_seen || step_gap < kRoutingTie;
            // Generation steps stay as close as the prompt (measured: at most 6x a tiny prompt
            // error, 0.12 at worst); a broken single-token path would be off by far more.
            if (!routing_tie_seen) {
                EXPECT_LE(step_err, std::max(0.05, 3.0 * c.max_abs))
                    << "greedy step " << step << ": logits drifted from llama.cpp's";
            }
            tau = std::max(tau, 2.0 * step_err);
            const std::vector<int> best2 = top_k_ids(logits, 2);
            const int ours = best2[0];
            if (ours != greedy[step]) {
                const double ref_margin = top5[step][0][1].get<double>() - top5[step][1][1].get<double>();
                const double our_margin = logits[best2[0]] - logits[best2[1]];
                legit_divergence = ref_margin < tau || our_margin < tau || routing_tie_seen;
                EXPECT_TRUE(legit_divergence) << "greedy step " << step << ": ours " << ours << ", llama.cpp "
                                              << greedy[step] << ", margins " << our_margin << " / " << ref_margin;
                break;
            }
            ++matched;
            if (step + 1 < greedy.size()) {
                const std::int32_t next = greedy[step];
                const std::span<const float> l = ctx.eval(std::span<const std::int32_t>(&next, 1));
                logits.assign(l.begin(), l.end());
                step_gap = ctx.last_gap;
                min_gap = std::min(min_gap, step_gap);
            }
        }
        char gaps[64] = "";
        if (std::isfinite(min_gap))
            std::snprintf(gaps, sizeof gaps, " | routing gap %.4f, steps %.4f", prompt_gap, min_gap);
        std::printf("| %-22s | %-7s | %4zu | %-3s | %7.3f %%%s | %7.4f | %s | %2d/10 | %2d/%zu%s%s |\n", stem.c_str(),
                    j["prompt_name"].get<std::string>().c_str(), ids.size(), ours_ids == ids ? "yes" : "NO",
                    100.0 * c.rel_rms,
                    routing_close_call    ? " (routing tie)"
                    : c.rel_rms >= target ? " (above target)"
                                          : "",
                    c.max_abs, c.same_argmax ? "yes" : (argmax_close_call ? "close call" : "NO"), c.top10_overlap,
                    matched, greedy.size(), legit_divergence ? " (close call)" : "", gaps);
        if (stem == "stories260K") {
            EXPECT_EQ(matched, 32) << "stories260K must continue exactly as llama.cpp";
        }
    }
}

// F32 models against llama.cpp's purest float32 runs (F32 KV cache, no flash attention): with an
// F32 cache our forward pass should agree to float rounding, which pins down RoPE, GQA, norms and
// masks far more tightly than the default-settings comparison.
TEST(ReferenceData, F32ModelsWithF32CacheMatchTheKvF32Runs) {
    PONDER_REQUIRE_TESTDATA();
    const fs::path data = *test::testdata_dir();
    int compared = 0;
    for (const std::string& stem : reference_models()) {
        std::vector<fs::path> runs;
        for (const auto& e : fs::directory_iterator(data / "reference" / stem))
            if (e.path().filename().string().ends_with(".kvf32.json")) runs.push_back(e.path());
        if (runs.empty()) continue;
        LoadOptions lo;
        lo.path = model_path(data, stem);
        lo.backend = BackendKind::Cpu;
        lo.context_length = 512;
        lo.kv_cache = KvCacheType::F32;
        const auto model = load_model(lo);
        for (const fs::path& jp : runs) {
            SCOPED_TRACE(jp.string());
            const nlohmann::json j = nlohmann::json::parse(test::read_file(jp));
            const std::vector<std::int32_t> ids = j["prompt_ids"].get<std::vector<std::int32_t>>();
            const std::vector<float> ref =
                test::read_f32_file(jp.parent_path() / j["last_logits_file"].get<std::string>());
            const Comparison c = compare_logits(eval_logits(*model, ids), ref);
            std::printf("kvf32 | %-16s | %-6s | rel rms %.5f %% | max|d| %.6f\n", stem.c_str(),
                        j["prompt_name"].get<std::string>().c_str(), 100 * c.rel_rms, c.max_abs);
            EXPECT_LT(c.rel_rms, 1e-5);
            EXPECT_TRUE(c.same_argmax);
            ++compared;
        }
    }
    EXPECT_GT(compared, 0);
}

// The chat prompts of the full-vocabulary models went through the GGUF's own template (Jinja2,
// as HF apply_chat_template does): Session::reply must build exactly the same token ids from the
// same messages (template, BOS handling, special-token parsing) and reach the same logits.
TEST(ReferenceData, ReplyBuildsTheChatPromptIds) {
    PONDER_REQUIRE_TESTDATA();
    const fs::path data = *test::testdata_dir();
    int compared = 0;
    for (const std::string& stem : reference_models()) {
        const fs::path jp = data / "reference" / stem / "chat.json";
        if (!fs::exists(jp)) continue;
        SCOPED_TRACE(jp.string());
        LoadOptions lo;
        lo.path = model_path(data, stem);
        lo.backend = BackendKind::Cpu;
        lo.context_length = 512;
        const auto model = load_model(lo);
        const nlohmann::json j = nlohmann::json::parse(test::read_file(jp));
        const std::vector<Message> history{{Role::System, "You are a helpful assistant.", {}},
                                           {Role::User, "What is the capital of France? Answer in one word.", {}}};
        GenerateOptions g;
        g.max_tokens = 0;
        Session s(model);
        const GenerationStats st = s.reply(history, g, {});
        const auto cached = SessionAccess::cached_tokens(s);
        EXPECT_EQ(std::vector<std::int32_t>(cached.begin(), cached.end()),
                  j["prompt_ids"].get<std::vector<std::int32_t>>());
        EXPECT_EQ(st.prompt_tokens, j["n_prompt_tokens"].get<int>());
        const std::vector<float> ref = test::read_f32_file(jp.parent_path() / j["last_logits_file"].get<std::string>());
        const Comparison c = compare_logits(SessionAccess::last_logits(s), ref);
        EXPECT_LT(c.rel_rms, test::is_float_reference(stem) ? 0.01 : 0.05);
        ++compared;
    }
    EXPECT_GT(compared, 0);
}

std::string param_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string s = info.param;
    for (char& ch : s)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return s;
}

// The per-prompt rows printed by MatchesLlamaCpp form one markdown table.
class TableHeader : public ::testing::Environment {
public:
    void SetUp() override {
        std::printf(
            "| model                  | prompt  | toks | ids | rel rms   | max|d|  | top1 | top10 | greedy |\n"
            "|---|---|---|---|---|---|---|---|---|\n");
    }
};
const auto* const kHeader = ::testing::AddGlobalTestEnvironment(new TableHeader);

INSTANTIATE_TEST_SUITE_P(Models, Reference, ::testing::ValuesIn(reference_models()), param_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Reference);

// Every deepseek2 file of the reference data is among the models compared above (MLA, MoE with
// groups and sigmoid gating, YaRN); a missing one would silently shrink the coverage.
TEST(ReferenceData, DeepSeek2ModelsAreCompared) {
    PONDER_REQUIRE_TESTDATA();
    int n = 0;
    for (const std::string& stem : reference_models()) n += stem.rfind("deepseek2", 0) == 0 ? 1 : 0;
    EXPECT_GE(n, 7);
}

}  // namespace
}  // namespace ponder
