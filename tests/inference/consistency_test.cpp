// consistency_test.cpp: every loader consistency check, driven by the inconsistent-model
// generator: each faulty file fails with a message naming the file, the key or tensor and both
// numbers, and fails before any weight is bound (load progress never passes the binding stage).
#include "gguf/gguf_writer.h"
#include "inconsistent_models.h"
#include "support/temp_dir.h"
#include "tiny_model.h"

#include <ponder/engine.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace ponder {
namespace {

struct LoadOutcome {
    std::string error;       // empty when the model loaded
    float max_progress = 0;  // 0.1 = backend ready; above it, weights are being bound
};

LoadOutcome try_load(const std::filesystem::path& path) {
    LoadOutcome out;
    LoadOptions lo;
    lo.path = path;
    lo.backend = BackendKind::Cpu;
    lo.threads = 1;
    try {
        load_model(lo, [&](float f) {
            out.max_progress = std::max(out.max_progress, f);
            return true;
        });
    } catch (const Error& e) {
        out.error = e.what();
    }
    return out;
}

class InconsistentModelTest : public ::testing::TestWithParam<test::InconsistentModel> {};

TEST_P(InconsistentModelTest, FailsBeforeAnyWeightIsBoundAndNamesBothNumbers) {
    const test::InconsistentModel& c = GetParam();
    test::TempDir dir;
    const auto path = dir / (c.name + ".gguf");
    test::write_inconsistent_model(path, c);
    const LoadOutcome r = try_load(path);
    ASSERT_FALSE(r.error.empty()) << c.name << " loaded";
    EXPECT_NE(r.error.find(path.filename().string()), std::string::npos)
        << "message does not name the file: " << r.error;
    for (const std::string& fragment : c.expect)
        EXPECT_NE(r.error.find(fragment), std::string::npos) << "missing \"" << fragment << "\" in: " << r.error;
    EXPECT_LE(r.max_progress, 0.1f) << "weights were bound before the fault was found: " << r.error;
}

INSTANTIATE_TEST_SUITE_P(Loader, InconsistentModelTest, ::testing::ValuesIn(test::inconsistent_models()),
                         [](const auto& info) { return info.param.name; });

TEST(InconsistentModels, BaseModelsLoadAndCaseNamesAreUnique) {
    // The generator's faults are the only faults: the unmodified fixtures load.
    test::TempDir dir;
    for (const char* arch : {"llama", "qwen2", "qwen3"}) {
        test::TinyModelSpec spec;
        spec.arch = arch;
        const auto path = dir / (std::string(arch) + ".gguf");
        test::write_tiny_model(path, spec);
        const LoadOutcome r = try_load(path);
        EXPECT_EQ(r.error, "") << arch;
        EXPECT_FLOAT_EQ(r.max_progress, 1.0f) << arch;
    }
    for (const bool lite : {false, true}) {
        test::TinyDeepseek2Spec spec;
        spec.lite = lite;
        const auto path = dir / (lite ? "ds2-lite.gguf" : "ds2.gguf");
        test::write_tiny_deepseek2(path, spec);
        const LoadOutcome r = try_load(path);
        EXPECT_EQ(r.error, "") << path.filename();
        EXPECT_FLOAT_EQ(r.max_progress, 1.0f) << path.filename();
    }
    std::set<std::string> names;
    for (const auto& c : test::inconsistent_models()) EXPECT_TRUE(names.insert(c.name).second) << c.name;
}

TEST(InconsistentModels, NoneTokenIdsAreAccepted) {
    // Converters write -1 or 0xFFFFFFFF for "no such token" (stories260K's padding id): not an error.
    test::TempDir dir;
    test::TinyModelSpec spec;
    spec.edit = [](GgufWriter& w) {
        w.set("tokenizer.ggml.padding_token_id", std::uint32_t{0xFFFFFFFF});
        w.set("tokenizer.ggml.eot_token_id", std::int32_t{-1});
    };
    const auto path = dir / "none_ids.gguf";
    test::write_tiny_model(path, spec);
    EXPECT_EQ(try_load(path).error, "");
}

}  // namespace
}  // namespace ponder
