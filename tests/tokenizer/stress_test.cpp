// stress_test.cpp: the generated tokenizer stress set (scripts/tokenizer-stress: random mixes of
// Unicode whitespace classes, digits, punctuation, CJK, emoji and combining marks) against the ids
// llama.cpp's llama-tokenize gave for each of the nine reference vocabularies. The texts and ids
// are committed in tests/tokenizer/stress/; the vocabularies come from the reference data.
// <vocab>.departures lists the texts where llama.cpp departs from the tokenizer's own definition
// (it matches non-ASCII whitespace as U+000B, see scripts/tokenizer-stress) with the ids of the
// definition (its pieces, each tokenized by llama-tokenize): there Ponder must give those.
#include "tokenizer/tokenizer.h"

#include "support/testdata.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>

namespace ponder {
namespace {

using Ids = std::vector<std::int32_t>;

const std::filesystem::path kStressDir = PONDER_STRESS_DIR;

std::vector<std::string> read_cases() {
    std::ifstream in(kStressDir / "cases.jsonl", std::ios::binary);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line).get<std::string>());
    return out;
}

std::vector<Ids> read_ids(const std::string& vocab) {
    std::ifstream in(kStressDir / (vocab + ".ids"));
    std::vector<Ids> out;
    for (std::string line; std::getline(in, line);) {
        std::istringstream ls(line);
        Ids ids;
        for (std::int32_t id; ls >> id;) ids.push_back(id);
        out.push_back(std::move(ids));
    }
    return out;
}

// Case index -> ids of the tokenizer's definition where llama.cpp departs from it (no file: none).
std::map<std::size_t, Ids> read_departures(const std::string& vocab) {
    std::ifstream in(kStressDir / (vocab + ".departures"));
    std::map<std::size_t, Ids> out;
    for (std::string line; std::getline(in, line);) {
        std::istringstream ls(line);
        std::size_t index = 0;
        ls >> index;
        Ids ids;
        for (std::int32_t id; ls >> id;) ids.push_back(id);
        out[index] = std::move(ids);
    }
    return out;
}

std::string escaped(const std::string& s) { return nlohmann::json(s).dump(-1, ' ', true); }

std::string join(const Ids& ids) {
    std::string out;
    for (std::int32_t id : ids) out += (out.empty() ? "" : " ") + std::to_string(id);
    return out;
}

class StressSet : public testing::TestWithParam<const char*> {};

TEST_P(StressSet, MatchesLlamaTokenize) {
    const std::vector<std::string> cases = read_cases();
    const std::vector<Ids> expected = read_ids(GetParam());
    ASSERT_GE(cases.size(), 100u) << "stress set missing in " << kStressDir;
    ASSERT_EQ(expected.size(), cases.size()) << GetParam() << ".ids does not match cases.jsonl";
    PONDER_REQUIRE_TESTDATA();
    const auto tok =
        Tokenizer::from_file(test::testdata_path(std::string("tokenizer/ggml-vocab-") + GetParam() + ".gguf"));
    const std::map<std::size_t, Ids> departures = read_departures(GetParam());
    int agree = 0, definition = 0;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const Ids got = tok->encode(cases[i], /*add_special=*/false, /*parse_special=*/false);
        const auto dep = departures.find(i);
        if (dep != departures.end()) {
            EXPECT_NE(dep->second, expected[i]) << "case " << i << " is listed as a departure but is none";
            if (got == dep->second) {
                ++definition;
                continue;
            }
            ADD_FAILURE() << GetParam() << " case " << i << " " << escaped(cases[i])
                          << "\n  definition: " << join(dep->second) << "\n  ponder:     " << join(got);
            continue;
        }
        if (got == expected[i]) {
            ++agree;
            continue;
        }
        ADD_FAILURE() << GetParam() << " case " << i << " " << escaped(cases[i])
                      << "\n  llama.cpp: " << join(expected[i]) << "\n  ponder:    " << join(got);
    }
    std::printf(
        "[ stress   ] %s: %zu cases: %d agree with llama-tokenize, %d with the tokenizer's definition where "
        "llama.cpp departs from it (%zu listed)\n",
        GetParam(), cases.size(), agree, definition, departures.size());
}

INSTANTIATE_TEST_SUITE_P(Vocabularies, StressSet,
                         testing::Values("deepseek-coder", "deepseek-llm", "deepseek-r1-qwen", "deepseek-v3", "gpt-2",
                                         "llama-bpe", "llama-spm", "qwen2", "qwen3"),
                         [](const auto& info) {
                             std::string name = info.param;
                             for (char& c : name)
                                 if (c == '-') c = '_';
                             return name;
                         });

}  // namespace
}  // namespace ponder
