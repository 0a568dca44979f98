// devices_cli_test.cpp: `ponder-cli devices [--json]` run as a process.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

namespace {

std::string run(const std::string& args, int& status) {
    std::string out;
    FILE* p = popen((std::string(PONDER_CLI_PATH) + " " + args + " 2>&1").c_str(), "r");
    if (!p) return out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    status = pclose(p);
    return out;
}

TEST(DevicesCli, JsonListsTheCpuAndTheAutoChoice) {
    int status = -1;
    const std::string out = run("devices --json", status);
    ASSERT_EQ(status, 0) << out;
    const auto j = nlohmann::json::parse(out);
    ASSERT_TRUE(j["devices"].is_array());
    ASSERT_FALSE(j["devices"].empty());
    const auto& cpu = j["devices"].back();
    EXPECT_EQ(cpu["backend"], "cpu");
    EXPECT_GT(cpu["physical_cores"].get<int>(), 0);
    EXPECT_GT(cpu["memory_bytes"].get<std::uint64_t>(), 0u);
    EXPECT_TRUE(cpu["isa_flags"].is_array());
    const std::string kernels = cpu["kernels"];
    EXPECT_TRUE(kernels == "scalar" || kernels == "avx2" || kernels == "avx512") << kernels;
    // A Vulkan device says whether generation can use the integer dot product (and how), and
    // whether prompts use 16-bit float tiles (never on a software device such as lavapipe).
    for (const auto& d : j["devices"])
        if (d["backend"] == "vulkan") {
            const std::string dot = d["integer_dot_product"];
            EXPECT_TRUE(dot == "no" || dot == "emulated" || dot == "accelerated") << dot;
            const std::string full = d["full_subgroups"];  // required wherever Vulkan 1.3 offers it
            EXPECT_TRUE(full == "required" || full == "not available") << full;
            if (d["api_version"].get<std::string>().rfind("1.3", 0) == 0 && d["device_type"] == "software (CPU)")
                EXPECT_EQ(full, "required") << "lavapipe has computeFullSubgroups";
            const std::string f16 = d["float16_arithmetic"];
            if (d["device_type"] == "software (CPU)")
                EXPECT_TRUE(f16 == "no" || f16 == "not used (software device)") << f16;
            else
                EXPECT_TRUE(f16 == "no" || f16 == "used for prompt tiles") << f16;
        }
    EXPECT_TRUE(j["auto"]["backend"] == "cpu" || j["auto"]["backend"] == "vulkan") << j["auto"];
    EXPECT_NE(j["auto"]["reason"].get<std::string>().find("auto"), std::string::npos);
}

TEST(DevicesCli, TextFormAndBadOption) {
    int status = -1;
    const std::string out = run("devices", status);
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(out.find("cpu"), std::string::npos);
    EXPECT_NE(out.find("auto:"), std::string::npos);
    const std::string bad = run("devices --frobnicate", status);
    EXPECT_NE(status, 0);
    EXPECT_NE(bad.find("unknown option"), std::string::npos) << bad;
}

}  // namespace
