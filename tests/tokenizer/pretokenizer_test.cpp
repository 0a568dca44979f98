// pretokenizer_test.cpp: each pre-tokenizer's pattern list splits text as the published patterns do.
#include "tokenizer/pretokenizer.h"

#include <ponder/engine.h>

#include <gtest/gtest.h>

namespace ponder {
namespace {

using Pieces = std::vector<std::string>;

Pieces split(std::string_view pre, std::string_view text) {
    tokenizer::PreTokenizer p(tokenizer::PreTokenizer::patterns_for(pre));
    std::vector<std::string_view> views;
    p.split(text, views);
    return Pieces(views.begin(), views.end());
}

TEST(PreTokenizer, Gpt2) {
    EXPECT_EQ(split("gpt-2", "Hello world's  test"), (Pieces{"Hello", " world", "'s", " ", " test"}));
    EXPECT_EQ(split("gpt-2", "x=12345;\n"), (Pieces{"x", "=", "12345", ";", "\n"}));
    EXPECT_EQ(split("gpt-2", "I'M"), (Pieces{"I", "'", "M"}));  // contractions are lower case only
}

TEST(PreTokenizer, Llama3) {
    EXPECT_EQ(split("llama-bpe", "1234567"), (Pieces{"123", "456", "7"}));
    EXPECT_EQ(split("llama-bpe", "Hello\n\nworld"), (Pieces{"Hello", "\n\n", "world"}));
    EXPECT_EQ(split("llama-bpe", "I'M (ok)"), (Pieces{"I", "'M", " (", "ok", ")"}));
    EXPECT_EQ(split("llama-bpe", "a  \n b"), (Pieces{"a", "  \n", " b"}));
}

TEST(PreTokenizer, Qwen2SplitsEveryDigit) {
    EXPECT_EQ(split("qwen2", "x123"), (Pieces{"x", "1", "2", "3"}));
    EXPECT_EQ(split("deepseek-r1-qwen", "x123"), (Pieces{"x", "1", "2", "3"}));
}

TEST(PreTokenizer, DeepseekV3) {
    // Digits in runs of up to three, CJK/kana runs isolated, then the word pattern.
    EXPECT_EQ(split("deepseek-v3", "abc123456,\xE4\xBD\xA0\xE5\xA5\xBD"),
              (Pieces{"abc", "123", "456", ",", "\xE4\xBD\xA0\xE5\xA5\xBD"}));
    EXPECT_EQ(split("deepseek-v3", ".Net x"), (Pieces{".Net", " x"}));
}

TEST(PreTokenizer, DeepseekCoderAndLlm) {
    EXPECT_EQ(split("deepseek-coder", "a1b\nc"), (Pieces{"a", "1", "b", "\n", "c"}));
    EXPECT_EQ(split("deepseek-coder", "x 42"), (Pieces{"x", " ", "4", "2"}));
    EXPECT_EQ(split("deepseek-llm", "Hi, 42 \xE4\xBD\xA0\xE5\xA5\xBD"),
              (Pieces{"Hi", ",", " ", "42", " ", "\xE4\xBD\xA0\xE5\xA5\xBD"}));
}

TEST(PreTokenizer, OtherFamilies) {
    // llama.cpp's default for byte-level BPE: punctuation runs, GPT-2 pieces, digits in threes.
    EXPECT_EQ(split("default", "x=12345!!"), (Pieces{"x", "=", "123", "45", "!!"}));
    EXPECT_EQ(split("starcoder", "ab12"), (Pieces{"ab", "1", "2"}));
    EXPECT_EQ(split("viking", "Hei, 42"), (Pieces{"Hei", ",", " ", "4", "2"}));
    EXPECT_TRUE(tokenizer::PreTokenizer::config_for("llama-bpe").ignore_merges);
    EXPECT_FALSE(tokenizer::PreTokenizer::config_for("qwen2").ignore_merges);
    EXPECT_FALSE(tokenizer::PreTokenizer::config_for("dbrx").ignore_merges);
}

TEST(PreTokenizer, PiecesCoverTheInputExactly) {
    const std::string inputs[] = {"",
                                  "   ",
                                  "\xFF\xFE broken \xC3",
                                  "tab\there\r\n\r\n end  ",
                                  "\xF0\x9F\x99\x82\xF0\x9F\x99\x82 emoji",
                                  std::string(5000, ' ') + "x"};
    for (const char* pre : {"gpt-2", "llama-bpe", "qwen2", "deepseek-llm", "deepseek-coder", "deepseek-v3", "default",
                            "falcon", "starcoder", "bloom", "viking", "seed-coder"}) {
        for (const std::string& in : inputs) {
            std::string joined;
            for (const std::string& p : split(pre, in)) {
                EXPECT_FALSE(p.empty()) << pre;
                joined += p;
            }
            EXPECT_EQ(joined, in) << pre;
        }
    }
}

TEST(PreTokenizer, UnknownNameIsAnError) {
    EXPECT_THROW(tokenizer::PreTokenizer::patterns_for("made-up"), Error);
    EXPECT_THROW(tokenizer::PreTokenizer(std::vector<std::string>{"(unclosed"}), Error);
}

}  // namespace
}  // namespace ponder
