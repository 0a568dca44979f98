// cli_test.cpp: ponder-cli run/logits/chat/bench as processes (exit codes, exact output).
#include "support/temp_dir.h"
#include "support/testdata.h"
#include "tiny_model.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <cmath>
#include <cstdio>
#include <string>

namespace ponder {
namespace {

struct Result {
    int status = -1;
    std::string out;
};

std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) {
        if (c == '\'')
            q.append("'\\''");
        else
            q.push_back(c);
    }
    return q + "'";
}

// Runs ponder-cli with args (stderr discarded unless asked for); stdin from `input` when given;
// `env` ("NAME=value ...") set for it alone.
Result cli(const std::vector<std::string>& args, const std::string& input = {}, bool with_stderr = false,
           const std::string& env = {}) {
    std::string cmd;
    if (!input.empty()) cmd = "printf '%s' " + quote(input) + " | ";
    if (!env.empty()) cmd += "env " + env + " ";
    cmd += quote(PONDER_CLI_PATH);
    for (const std::string& a : args) {
        cmd.push_back(' ');
        cmd.append(quote(a));
    }
    cmd += with_stderr ? " 2>&1" : " 2>/dev/null";
    Result r;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

TEST(InferenceCli, RunRawContinuesStoriesExactly) {
    PONDER_REQUIRE_TESTDATA();
    const auto model = test::testdata_path("models/stories260K.gguf").string();
    const Result r = cli({"run", "-m", model, "-p", "Once upon a time", "-n", "32", "--temp", "0", "--raw", "-q"});
    ASSERT_EQ(r.status, 0);
    // llama.cpp's greedy continuation (testdata README, models/stories260K.gguf)
    EXPECT_EQ(r.out, ", there was a little girl named Lily. She loved to play outside in the park. One day, she saw\n");
}

TEST(InferenceCli, LogitsMatchTheReferenceFile) {
    PONDER_REQUIRE_TESTDATA();
    const auto model = test::testdata_path("models/stories260K.gguf").string();
    const auto ref_json = test::testdata_path("reference/stories260K/story1.json");
    const nlohmann::json j = nlohmann::json::parse(test::read_file(ref_json));
    const std::vector<float> ref = test::read_f32_file(test::testdata_path("reference/stories260K/story1.logits.f32"));
    test::TempDir dir;
    for (bool by_text : {true, false}) {
        std::string ids;
        for (int id : j["prompt_ids"]) {
            if (!ids.empty()) ids.push_back(' ');
            ids.append(std::to_string(id));
        }
        const auto out = (dir / "out.f32").string();
        const Result r = by_text
                             ? cli({"logits", "-m", model, "--text", j["prompt_text"].get<std::string>(), "-o", out})
                             : cli({"logits", "-m", model, "--tokens", ids, "-o", out});
        ASSERT_EQ(r.status, 0);
        const std::vector<float> ours = test::read_f32_file(out);
        ASSERT_EQ(ours.size(), ref.size());
        double d2 = 0, r2 = 0;
        for (std::size_t i = 0; i < ref.size(); ++i) {
            d2 += (ours[i] - ref[i]) * (ours[i] - ref[i]);
            r2 += ref[i] * ref[i];
        }
        EXPECT_LT(std::sqrt(d2 / r2), 0.01);
    }
}

TEST(InferenceCli, BadUsageAndBadFiles) {
    EXPECT_EQ(cli({"run"}).status, 2);
    EXPECT_EQ(cli({"logits", "-m", "x.gguf", "-o", "y"}).status, 2);  // neither --text nor --tokens
    const Result r = cli({"run", "-m", "/nonexistent/model.gguf", "-p", "hi"}, {}, true);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.out.find("error:"), std::string::npos);
}

TEST(InferenceCli, ChatReadsTurnsFromAPipeAndBenchPrintsJson) {
    test::TempDir dir;
    const auto path = dir / "tiny.gguf";
    test::write_tiny_model(path, test::TinyModelSpec{});
    const Result chat = cli({"chat", "-m", path.string(), "-n", "4", "--temp", "0", "-q"}, "hello\nsecond question\n");
    ASSERT_EQ(chat.status, 0);
    // two answers, one line each (the tiny model never ends a turn by itself)
    EXPECT_EQ(std::count(chat.out.begin(), chat.out.end(), '\n'), 2) << chat.out;

    const Result bench = cli({"bench", "-m", path.string(), "-p", "16", "-n", "8", "-r", "2", "--json"});
    ASSERT_EQ(bench.status, 0);
    const nlohmann::json j = nlohmann::json::parse(bench.out);
    for (const char* key : {"pp_tokens_per_s", "tg_tokens_per_s", "ttft_ms", "load_ms", "tg_bandwidth_gb_per_s"}) {
        ASSERT_TRUE(j.contains(key)) << key;
        EXPECT_GT(j[key].get<double>(), 0.0) << key;
    }
    EXPECT_EQ(j["backend"], "cpu");
}

// ---------------------------------------------------------------------------------------------
// Device choice: no Vulkan driver at all, a device too small for the model, bench on Vulkan.

// The loader pointed at no driver (both variables: older and newer loaders).
const std::string kNoVulkanDriver = "VK_ICD_FILENAMES=/nonexistent/icd.json VK_DRIVER_FILES=/nonexistent/icd.json";

bool has_vulkan_device() {
    const Result r = cli({"devices", "--json"});
    if (r.status != 0) return false;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    for (const auto& d : j["devices"])
        if (d["backend"] == "vulkan") return true;
    return false;
}

TEST(InferenceCli, WithoutAVulkanDriverEverythingRunsOnTheCpuAndSaysWhy) {
    const Result devices = cli({"devices", "--json"}, {}, false, kNoVulkanDriver);
    ASSERT_EQ(devices.status, 0) << devices.out;
    const nlohmann::json j = nlohmann::json::parse(devices.out);
    ASSERT_EQ(j["devices"].size(), 1u);  // the CPU only
    EXPECT_EQ(j["auto"]["backend"], "cpu");
    const std::string reason = j["auto"]["reason"];
    EXPECT_TRUE(reason.find("no Vulkan driver found") != std::string::npos ||
                reason.find("this build has no GPU backend") != std::string::npos)
        << reason;

    test::TempDir dir;
    const auto path = dir / "tiny.gguf";
    test::write_tiny_model(path, test::TinyModelSpec{});
    const Result run = cli({"run", "-m", path.string(), "-p", "hi", "-n", "3", "--temp", "0", "--backend", "vulkan"},
                           {}, true, kNoVulkanDriver);
    EXPECT_EQ(run.status, 0) << run.out;
    EXPECT_NE(run.out.find("[cpu]"), std::string::npos) << run.out;
}

TEST(InferenceCli, AVulkanDeviceTooSmallForTheModelIsRefusedWithTheReason) {
    if (!has_vulkan_device()) GTEST_SKIP() << "no Vulkan device on this machine";
    test::TempDir dir;
    const auto path = dir / "tiny.gguf";
    test::write_tiny_model(path, test::TinyModelSpec{});
    const Result run = cli({"run", "-m", path.string(), "-p", "hi", "-n", "3", "--backend", "vulkan"}, {}, true,
                           "PONDER_VULKAN_MEMORY_BUDGET_MIB=1");
    EXPECT_NE(run.status, 0) << run.out;
    EXPECT_NE(run.out.find("needs about"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("has 1 MiB"), std::string::npos) << run.out;
}

TEST(InferenceCli, BenchRunsOnVulkanAndNamesTheDevice) {
    if (!has_vulkan_device()) GTEST_SKIP() << "no Vulkan device on this machine";
    test::TempDir dir;
    const auto path = dir / "tiny.gguf";
    test::write_tiny_model(path, test::TinyModelSpec{});
    const Result bench =
        cli({"bench", "-m", path.string(), "-p", "16", "-n", "4", "-r", "1", "--json", "--backend", "vulkan"});
    ASSERT_EQ(bench.status, 0) << bench.out;
    const nlohmann::json j = nlohmann::json::parse(bench.out);
    EXPECT_EQ(j["backend"], "vulkan");
    EXPECT_FALSE(j["device"].get<std::string>().empty());
    EXPECT_GT(j["tg_tokens_per_s"].get<double>(), 0.0);
    EXPECT_GT(j["pp_tokens_per_s"].get<double>(), 0.0);
    // The device's own bandwidth probe, for the share of it generation reached.
    ASSERT_TRUE(j.contains("machine_read_gb_per_s"));
    EXPECT_GT(j["machine_read_gb_per_s"].get<double>(), 0.0);
    // The probe ran on the device the bench names ("... on <device>"; the bench's name adds the
    // matmul paths in use: "<device> (8-bit integer dot, emulated)").
    const std::string probe = j["machine_read_probe"], device = j["device"];
    ASSERT_NE(probe.rfind(" on "), std::string::npos) << probe;
    EXPECT_EQ(device.rfind(probe.substr(probe.rfind(" on ") + 4), 0), 0u) << probe << " | " << device;
}

}  // namespace
}  // namespace ponder
