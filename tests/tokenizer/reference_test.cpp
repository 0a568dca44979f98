// reference_test.cpp: llama.cpp's tokenizer cases (.inp/.out) for every vocab, and the prompt ids of the
// reference runs (chat templates with parse_special, text prompts with BOS, the t512/stories vocab).
#include "tokenizer/tokenizer.h"
#include "util/utf8.h"

#include "support/testdata.h"

#include <ponder/engine.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <sstream>

namespace ponder {
namespace {

using Ids = std::vector<std::int32_t>;

// The test strings of an .inp file: separated (and terminated) by "\n__ggml_vocab_test__\n".
std::vector<std::string> read_inputs(const std::filesystem::path& path) {
    const std::string all = test::read_file(path);
    const std::string sep = "\n__ggml_vocab_test__\n";
    std::vector<std::string> out;
    std::size_t pos = 0;
    for (std::size_t hit; (hit = all.find(sep, pos)) != std::string::npos; pos = hit + sep.size())
        out.push_back(all.substr(pos, hit - pos));
    return out;
}

// One line of ids per case (each id preceded by a space; an empty line for no ids).
std::vector<Ids> read_outputs(const std::filesystem::path& path) {
    std::istringstream in(test::read_file(path));
    std::vector<Ids> out;
    for (std::string line; std::getline(in, line);) {
        std::istringstream ls(line);
        Ids ids;
        for (std::int32_t id; ls >> id;) ids.push_back(id);
        out.push_back(std::move(ids));
    }
    return out;
}

std::string hex(const std::string& s) {
    std::string out;
    char buf[4];
    for (unsigned char c : s) {
        std::snprintf(buf, sizeof buf, "%02x", c);
        out += buf;
    }
    return out;
}

class VocabCases : public testing::TestWithParam<const char*> {};

TEST_P(VocabCases, MatchesLlamaCppAndRoundTrips) {
    PONDER_REQUIRE_TESTDATA();
    const std::string base = std::string("tokenizer/ggml-vocab-") + GetParam() + ".gguf";
    const auto t0 = std::chrono::steady_clock::now();
    auto tok = Tokenizer::from_file(test::testdata_path(base));
    const double load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("[ vocab    ] %-16s %7d tokens, %6zu merges, loaded in %.1f ms\n", GetParam(), tok->vocab_size(),
                tok->vocab().merges.size(), load_ms);

    const auto inputs = read_inputs(test::testdata_path(base + ".inp"));
    const auto expected = read_outputs(test::testdata_path(base + ".out"));
    ASSERT_EQ(inputs.size(), expected.size());
    ASSERT_GE(inputs.size(), 40u);
    const bool spm = tok->vocab().kind == VocabKind::SentencePiece;
    int passed = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const Ids ids = tok->encode(inputs[i], false, false);
        EXPECT_EQ(ids, expected[i]) << "case " << i << " input hex " << hex(inputs[i]);
        if (ids == expected[i]) ++passed;
        // Lossless: byte-level BPE always; SentencePiece after removing the space prefix, except that
        // a literal U+2581 in the input reads back as a space.
        if (!(spm && inputs[i].find("\xE2\x96\x81") != std::string::npos)) {
            EXPECT_EQ(tok->decode(ids), inputs[i]) << "round trip of case " << i;
        }
    }
    std::printf("[ vocab    ] %-16s %d/%zu cases identical\n", GetParam(), passed, inputs.size());
}

INSTANTIATE_TEST_SUITE_P(Reference, VocabCases,
                         testing::Values("llama-spm", "llama-bpe", "qwen2", "qwen3", "deepseek-r1-qwen", "deepseek-llm",
                                         "deepseek-coder", "deepseek-v3", "gpt-2"),
                         [](const testing::TestParamInfo<const char*>& info) {
                             std::string name = info.param;
                             for (char& c : name)
                                 if (c == '-') c = '_';
                             return name;
                         });

// Reference runs: prompt_text tokenized with the recorded add_special/parse_special must give
// prompt_ids, and each id's piece must equal the recorded prompt_pieces.
struct PromptCase {
    const char* reference_dir;
    const char* model;  // the shipped model with the same tokenizer keys
};

void PrintTo(const PromptCase& c, std::ostream* os) { *os << c.reference_dir; }

class PromptIds : public testing::TestWithParam<PromptCase> {};

TEST_P(PromptIds, MatchLlamaCpp) {
    PONDER_REQUIRE_TESTDATA();
    auto tok = Tokenizer::from_file(test::testdata_path(GetParam().model));
    const auto dir = test::testdata_path(std::string("reference/") + GetParam().reference_dir);
    int checked = 0;
    for (const char* prompt : {"story1", "story2", "long", "text", "mixed", "chat"}) {
        const auto path = dir / (std::string(prompt) + ".json");
        if (!std::filesystem::exists(path)) continue;
        const auto j = nlohmann::json::parse(test::read_file(path));
        const std::string text = j.at("prompt_text");
        const Ids want = j.at("prompt_ids").get<Ids>();
        const Ids got = tok->encode(text, j.at("tokenize_add_special"), j.at("tokenize_parse_special"));
        EXPECT_EQ(got, want) << GetParam().reference_dir << "/" << prompt;
        const auto pieces = j.at("prompt_pieces").get<std::vector<std::string>>();
        ASSERT_EQ(pieces.size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i)
            // The JSON pieces have invalid UTF-8 (partial characters) replaced by U+FFFD.
            EXPECT_EQ(utf8::sanitize(tok->token_piece(want[i])), pieces[i]) << prompt << " piece " << i;
        // llama.cpp's detokenization of the greedy continuation (special tokens rendered; for
        // SentencePiece the first piece's leading space removed), compared byte for byte.
        const Ids greedy = j.at("greedy_ids").get<Ids>();
        EXPECT_EQ(hex(tok->decode(greedy)), j.at("greedy_text_hex").get<std::string>()) << prompt << " greedy text";
        // Streamed token by token: every piece is valid UTF-8 and together they are the same text
        // (with invalid bytes of these random models' output shown as U+FFFD).
        const bool spm = tok->vocab().kind == VocabKind::SentencePiece;
        StreamDecoder stream(*tok, {.render_special = true, .strip_leading_space = spm});
        std::string streamed;
        for (std::int32_t id : greedy) {
            const std::string piece = stream.push(id);
            EXPECT_TRUE(utf8::is_valid(piece)) << prompt << " streamed piece " << hex(piece);
            streamed += piece;
        }
        streamed += stream.flush();
        EXPECT_EQ(streamed, utf8::sanitize(tok->decode(greedy))) << prompt << " streamed";
        ++checked;
    }
    EXPECT_GE(checked, 3) << "expected at least three prompts in " << dir;
}

INSTANTIATE_TEST_SUITE_P(Reference, PromptIds,
                         testing::Values(PromptCase{"stories260K", "models/stories260K.gguf"},
                                         PromptCase{"llama-t512-F32", "models/synthetic/llama-t512-F32.gguf"},
                                         PromptCase{"qwen3-t512-F32", "models/synthetic/qwen3-t512-F32.gguf"},
                                         PromptCase{"llama3-fv-F32", "models/synthetic/llama3-fv-Q4_K_M.gguf"},
                                         PromptCase{"llama3-fv-Q4_K_M", "models/synthetic/llama3-fv-Q4_K_M.gguf"},
                                         PromptCase{"qwen2-r1-fv-F32", "models/synthetic/qwen2-r1-fv-Q4_K_M.gguf"},
                                         PromptCase{"qwen2-r1-fv-Q4_K_M", "models/synthetic/qwen2-r1-fv-Q4_K_M.gguf"}),
                         [](const testing::TestParamInfo<PromptCase>& info) {
                             std::string name = info.param.reference_dir;
                             for (char& c : name)
                                 if (c == '-') c = '_';
                             return name;
                         });

// The chat prompt files hold exactly the rendered templates whose ids the references list.
TEST(PromptIds, ChatPromptFilesMatchRecordedText) {
    PONDER_REQUIRE_TESTDATA();
    for (const char* model : {"llama3-fv", "qwen2-r1-fv"}) {
        const std::string file = test::read_file(test::testdata_path(std::string("prompts/chat-") + model + ".txt"));
        const auto j = nlohmann::json::parse(
            test::read_file(test::testdata_path(std::string("reference/") + model + "-F32/chat.json")));
        EXPECT_EQ(file, j.at("prompt_text").get<std::string>()) << model;
        const auto vocab = std::string("models/synthetic/") + model + "-Q4_K_M.gguf";
        auto tok = Tokenizer::from_file(test::testdata_path(vocab));
        EXPECT_EQ(tok->encode(file, false, true), j.at("prompt_ids").get<Ids>()) << model;
    }
}

// Special tokens of the reasoning models are single ids with parse_special; <think> in R1 is
// UserDefined, so it is one id even without parse_special.
TEST(SpecialTokens, ReasoningMarkersAreSingleIds) {
    PONDER_REQUIRE_TESTDATA();
    auto r1 = Tokenizer::from_file(test::testdata_path("tokenizer/ggml-vocab-deepseek-r1-qwen.gguf"));
    const std::string text =
        "<\xEF\xBD\x9CUser\xEF\xBD\x9C>hi<\xEF\xBD\x9C"
        "Assistant\xEF\xBD\x9C><think>\nok</think>";
    const Ids with = r1->encode(text, false, true);
    ASSERT_GE(with.size(), 5u);
    EXPECT_EQ(with[0], 151644);
    EXPECT_EQ(std::count(with.begin(), with.end(), 151645), 1);
    EXPECT_EQ(std::count(with.begin(), with.end(), 151648), 1);
    EXPECT_EQ(with.back(), 151649);
    const Ids without = r1->encode(text, false, false);
    EXPECT_EQ(std::count(without.begin(), without.end(), 151644), 0);  // Control: plain text
    EXPECT_EQ(std::count(without.begin(), without.end(), 151648), 1);  // UserDefined: still one id
    EXPECT_TRUE(r1->add_bos());
    EXPECT_EQ(r1->encode("hi", true, false).front(), 151646);
    EXPECT_TRUE(r1->is_end_of_generation(151643));

    auto qwen3 = Tokenizer::from_file(test::testdata_path("tokenizer/ggml-vocab-qwen3.gguf"));
    const Ids im = qwen3->encode("<|im_start|>user\nhi<|im_end|>", false, true);
    EXPECT_EQ(im.front(), *qwen3->find_token("<|im_start|>"));
    EXPECT_EQ(im.back(), *qwen3->find_token("<|im_end|>"));
    EXPECT_TRUE(qwen3->is_end_of_generation(im.back()));
    EXPECT_FALSE(qwen3->add_bos());
    EXPECT_EQ(qwen3->encode("hi", true, false), qwen3->encode("hi", false, false));

    auto llama3 = Tokenizer::from_file(test::testdata_path("tokenizer/ggml-vocab-llama-bpe.gguf"));
    EXPECT_TRUE(llama3->is_end_of_generation(*llama3->find_token("<|eot_id|>")));
    EXPECT_EQ(llama3->encode("hi", true, false).front(), 128000);
}

}  // namespace
}  // namespace ponder
