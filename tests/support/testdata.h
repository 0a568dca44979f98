// testdata.h: where the llama.cpp reference data lives, and how tests skip without it.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ponder::test {

// The reference data folder (env PONDER_TESTDATA_DIR overrides the CMake cache variable), or
// nullopt when it is absent.
std::optional<std::filesystem::path> testdata_dir();

// Path inside the reference data; empty when the data is absent.
std::filesystem::path testdata_path(const std::string& relative);

std::string read_file(const std::filesystem::path& path);
std::vector<float> read_f32_file(const std::filesystem::path& path);

}  // namespace ponder::test

// Skips the current test, with a visible message, when the reference data is missing.
#define PONDER_REQUIRE_TESTDATA()                                                                   \
    do {                                                                                            \
        if (!::ponder::test::testdata_dir())                                                        \
            GTEST_SKIP() << "reference data not found (set PONDER_TESTDATA_DIR or the CMake cache " \
                            "variable PONDER_TESTDATA_DIR); skipping";                              \
    } while (0)
