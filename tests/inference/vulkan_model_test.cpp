// vulkan_model_test.cpp: every llama/qwen2/qwen3 reference model end to end on the Vulkan backend
// (lavapipe in CI): last-position logits against llama.cpp's with the CPU backend's tolerances
// (1 % relative rms for float files, 5 % for quantized ones, top-10 overlap >= 8, same argmax
// except at the reference's own near-ties), and the same greedy tokens as the CPU backend for 8
// steps (except where the CPU's own top-1/top-2 margin is within twice the two backends'
// difference). A model with a format the Vulkan backend has no shader for must be refused at load
// with a message naming it. Skips, saying why, without a Vulkan device or the reference data.
#include "api/loaded_model.h"
#include "logit_comparison.h"
#include "support/testdata.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace ponder {
namespace {

namespace fs = std::filesystem;

using test::top_k_ids;


std::shared_ptr<const Model> load(const fs::path& path, BackendKind backend) {
    LoadOptions lo;
    lo.path = path;
    lo.backend = backend;
    lo.context_length = 512;
    lo.threads = 2;
    return load_model(lo);
}

TEST(VulkanModels, EveryReferenceModelMatchesLlamaCppOrIsRefused) {
    const BackendChoice vk = choose_backend(BackendKind::Vulkan, 0);
    if (vk.backend != BackendKind::Vulkan) GTEST_SKIP() << "no Vulkan device: " << vk.reason;
    PONDER_REQUIRE_TESTDATA();
    const fs::path data = *test::testdata_dir();
    std::vector<std::string> stems;
    // deepseek2 files are in the list too: Vulkan has no MoE ops yet, so they must be refused.
    for (const auto& e : fs::directory_iterator(data / "reference")) stems.push_back(e.path().filename().string());
    std::sort(stems.begin(), stems.end());
    int compared = 0, refused = 0;
    std::printf("| model | vulkan vs llama.cpp rel rms | max|d| | top1 | top10 | greedy = cpu |\n|---|---|---|---|---|---|\n");
    for (const std::string& stem : stems) {
        SCOPED_TRACE(stem);
        fs::path path = data / "models" / "synthetic" / (stem + ".gguf");
        if (!fs::exists(path)) path = data / "models" / (stem + ".gguf");
        const fs::path jp = data / "reference" / stem / "story1.json";
        if (!fs::exists(path) || !fs::exists(jp)) continue;
        std::shared_ptr<const Model> gpu;
        try {
            gpu = load(path, BackendKind::Vulkan);
        } catch (const Error& e) {
            // Refused before loading, naming what it lacks: fine, and never wrong numbers.
            const std::string msg = e.what();
            EXPECT_NE(msg.find("cannot run"), std::string::npos) << msg;
            std::printf("| %s | refused: %s |\n", stem.c_str(), msg.substr(msg.find("it has no") + 10, 60).c_str());
            ++refused;
            continue;
        }
        ASSERT_EQ(gpu->backend().backend, BackendKind::Vulkan);
        const auto cpu = load(path, BackendKind::Cpu);
        const nlohmann::json j = nlohmann::json::parse(test::read_file(jp));
        const std::vector<std::int32_t> ids = j["prompt_ids"].get<std::vector<std::int32_t>>();
        const std::vector<float> ref = test::read_f32_file(jp.parent_path() / j["last_logits_file"].get<std::string>());

        EvalContext g(gpu, static_cast<int>(ids.size()) + 16), c(cpu, static_cast<int>(ids.size()) + 16);
        const std::span<const float> once = g.eval(ids);
        std::vector<float> gl(once.begin(), once.end());
        g.truncate(0);
        const std::span<const float> first = g.eval(ids);
        // The same prompt twice gives the same logits (the second run replays recorded steps).
        EXPECT_EQ(std::vector<float>(first.begin(), first.end()), gl);
        gl.assign(first.begin(), first.end());
        const test::LogitComparison d = test::compare_logits(gl, ref);
        EXPECT_LT(d.rel_rms, test::is_float_reference(stem) ? 0.01 : 0.05);
        EXPECT_GE(d.top10_overlap, 8);
        const auto& top = j["last_logits_top10"];
        const double ref_gap = top[0]["logit"].get<double>() - top[1]["logit"].get<double>();
        EXPECT_TRUE(d.same_argmax || ref_gap < 2.0 * d.max_abs) << "argmax differs; llama.cpp's gap " << ref_gap;

        // Greedy decoding, both backends fed their own choice.
        std::vector<float> cl;
        {
            const std::span<const float> l = c.eval(ids);
            cl.assign(l.begin(), l.end());
        }
        int same = 0;
        for (int step = 0; step < 8; ++step) {
            const auto gt = top_k_ids(gl, 2), ct = top_k_ids(cl, 2);
            if (gt[0] != ct[0]) {
                const double backend_diff = test::compare_logits(gl, cl).max_abs;
                EXPECT_LT(cl[ct[0]] - cl[ct[1]], 2.0 * backend_diff)
                    << "step " << step << ": vulkan chose " << gt[0] << ", cpu " << ct[0] << " by a clear margin";
                break;
            }
            ++same;
            const std::int32_t next = gt[0];
            const std::span<const float> a = g.eval(std::span<const std::int32_t>(&next, 1));
            gl.assign(a.begin(), a.end());
            const std::span<const float> b = c.eval(std::span<const std::int32_t>(&next, 1));
            cl.assign(b.begin(), b.end());
        }
        std::printf("| %s | %.3f %% | %.4f | %s | %d/10 | %d/8 |\n", stem.c_str(), 100 * d.rel_rms, d.max_abs,
                    d.same_argmax ? "yes" : "close call", d.top10_overlap, same);
        ++compared;
    }
    std::printf("%d models compared on %s, %d refused\n", compared, vk.device_name.c_str(), refused);
    EXPECT_GT(compared, 0);
}

}  // namespace
}  // namespace ponder
