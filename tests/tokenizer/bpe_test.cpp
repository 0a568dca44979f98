// bpe_test.cpp: byte-level BPE on a hand-made vocabulary: merge order, specials, BOS/EOS, round trips, errors.
#include "fixtures.h"
#include "tokenizer/tokenizer.h"

#include <ponder/engine.h>

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

namespace ponder {
namespace {

using Ids = std::vector<std::int32_t>;

std::unique_ptr<Tokenizer> hello(std::string pre = "gpt-2") {
    return Tokenizer::from_vocab(test::hello_fixture().vocab(std::move(pre)));
}

TEST(BpeTokenizer, MergesByRank) {
    auto tok = hello();
    // "hello" -> he, ll, hell, hello; " world" -> Ġw, or, ld, Ġwor, Ġworld.
    EXPECT_EQ(tok->encode("hello world", false, false), (Ids{259, 264}));
    // "hellos": the merges still build "hello", then the lone 's'.
    EXPECT_EQ(tok->encode("hellos", false, false), (Ids{259, 's'}));
    // No merges apply: one token per byte.
    EXPECT_EQ(tok->encode("xyz", false, false), (Ids{'x', 'y', 'z'}));
    EXPECT_TRUE(tok->encode("", false, false).empty());
}

TEST(BpeTokenizer, EqualRanksMergeLeftmostFirst) {
    auto tok = hello();
    EXPECT_EQ(tok->encode("aaa", false, false), (Ids{265, 'a'}));
    EXPECT_EQ(tok->encode("aaaa", false, false), (Ids{265, 265}));
}

TEST(BpeTokenizer, LowerRankWinsOverPosition) {
    auto tok = hello();
    // "b c" (rank 10) is applied before "a b" (rank 11) although "ab" is further left.
    EXPECT_EQ(tok->encode("abc", false, false), (Ids{'a', 266}));
}

TEST(BpeTokenizer, PreTokenizerBoundsMerges) {
    auto tok = hello();
    // "hello" and "world" without a space: "world" is its own piece and has no Ġ, so no Ġw merge.
    EXPECT_EQ(tok->encode("hello,world", false, false), (Ids{259, ',', 'w', 261, 263}));
}

TEST(BpeTokenizer, ControlTokensOnlyWithParseSpecial) {
    auto tok = hello();
    EXPECT_EQ(tok->encode("x<|end|>y", false, true), (Ids{'x', 268, 'y'}));
    EXPECT_EQ(tok->encode("x<|end|>y", false, false), (Ids{'x', '<', '|', 'e', 'n', 'd', '|', '>', 'y'}));
}

TEST(BpeTokenizer, UserDefinedTokensAlwaysMatched) {
    auto tok = hello();
    EXPECT_EQ(tok->encode("a<think>b", false, false), (Ids{'a', 269, 'b'}));
    EXPECT_EQ(tok->encode("<think>hello", false, true), (Ids{269, 259}));
    EXPECT_EQ(tok->decode(Ids{269, 259}), "<think>hello");
}

TEST(BpeTokenizer, AddSpecialFollowsVocabularyFlags) {
    Vocab v = test::hello_fixture().vocab();
    v.bos = 270;
    v.eos = 268;
    auto plain = Tokenizer::from_vocab(v);  // gpt-2 pre: no BOS by default
    EXPECT_FALSE(plain->add_bos());
    EXPECT_EQ(plain->encode("hello", true, false), (Ids{259}));

    v.add_bos = true;
    v.add_eos = true;
    auto both = Tokenizer::from_vocab(v);
    EXPECT_EQ(both->encode("hello", true, false), (Ids{270, 259, 268}));
    EXPECT_EQ(both->encode("hello", false, false), (Ids{259}));
    EXPECT_EQ(both->encode("", true, false), (Ids{270, 268}));

    Vocab l3 = test::hello_fixture().vocab("llama-bpe");
    l3.bos = 270;
    EXPECT_TRUE(Tokenizer::from_vocab(l3)->add_bos());  // llama-bpe defaults to BOS
}

TEST(BpeTokenizer, IgnoreMergesForLlama3) {
    // "hello" is a token: Llama 3 takes it whole even when merges would not reach it.
    test::BpeFixture f;
    f.merges = {"h e", "l l"};
    f.extra = {{"hello", TokenType::Normal}};  // id 258, no merge path
    auto gpt2 = Tokenizer::from_vocab(f.vocab("gpt-2"));
    auto llama3 = Tokenizer::from_vocab(f.vocab("llama-bpe"));
    EXPECT_EQ(gpt2->encode("hello", false, false), (Ids{256, 257, 'o'}));
    EXPECT_EQ(llama3->encode("hello", false, false), (Ids{258}));
}

TEST(BpeTokenizer, DecodeRendersSpecialsOnRequest) {
    auto tok = hello();
    EXPECT_EQ(tok->decode(Ids{259, 268, 264}), "hello<|end|> world");
    EXPECT_EQ(tok->decode(Ids{259, 268, 264}, false), "hello world");
    EXPECT_EQ(tok->decode(Ids{259, 272}), "hello");  // unused padding decodes to nothing
    EXPECT_EQ(tok->token_text(260), "\xC4\xA0w");
    EXPECT_EQ(tok->token_piece(260), " w");
    EXPECT_EQ(tok->find_token("\xC4\xA0world"), 264);
    EXPECT_FALSE(tok->find_token("nope").has_value());
}

TEST(BpeTokenizer, RoundTripsAnyBytes) {
    auto tok = hello();
    const std::string samples[] = {
        "hello world",
        "  leading and trailing  ",
        "tabs\tand\nnewlines\r\n\n",
        "caf\xC3\xA9 \xE4\xB8\x96\xE7\x95\x8C \xF0\x9F\x99\x82!",  // café 世界 🙂
        std::string("nul\0byte", 8),
        "\xFF\xFE invalid \xC3 utf8 \xE4\xB8",
        "<|end|> stays text",
    };
    for (const std::string& s : samples) EXPECT_EQ(tok->decode(tok->encode(s, false, false)), s) << s;
}

TEST(BpeTokenizer, RandomBytesRoundTripAndLongRuns) {
    auto tok = hello();
    std::mt19937 rng(1234);
    for (int i = 0; i < 300; ++i) {
        std::string s(rng() % 64, '\0');
        for (char& c : s) c = static_cast<char>(rng() % 8 == 0 ? "hel o<|"[rng() % 7] : rng() % 256);
        ASSERT_EQ(tok->decode(tok->encode(s, false, true)), s) << "sample " << i;
    }
    // One huge pre-token and one huge whitespace run: merging stays correct (and not quadratic).
    const std::string long_word(20000, 'a'), spaces = std::string(20000, ' ') + "x";
    const auto ids = tok->encode(long_word, false, false);
    EXPECT_EQ(ids, Ids(10000, 265));
    EXPECT_EQ(tok->decode(tok->encode(spaces, false, false)), spaces);
}

TEST(BpeTokenizer, ConcurrentEncodeIsSafe) {
    auto tok = hello("llama-bpe");
    const std::string text = "hello world, hello <think> again 12345 \xE4\xB8\x96\xE7\x95\x8C";
    const Ids want = tok->encode(text, false, false);
    std::vector<std::thread> threads;
    std::atomic<int> mismatches{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i)
                if (tok->encode(text, false, false) != want) ++mismatches;
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(mismatches.load(), 0);
}

TEST(BpeTokenizer, EndOfGenerationAndControl) {
    Vocab v = test::hello_fixture().vocab();
    v.eos = 268;
    auto tok = Tokenizer::from_vocab(v);
    EXPECT_TRUE(tok->is_end_of_generation(268));
    EXPECT_TRUE(tok->is_end_of_generation(271));  // found by its text <|endoftext|>
    EXPECT_FALSE(tok->is_end_of_generation(259));
    EXPECT_FALSE(tok->is_end_of_generation(-5));
    EXPECT_TRUE(tok->is_control(268));
    EXPECT_TRUE(tok->is_control(271));  // promoted to Control
    EXPECT_FALSE(tok->is_control(269));
    EXPECT_EQ(tok->token_type(269), TokenType::UserDefined);
    EXPECT_EQ(tok->vocab_size(), 273);
}

TEST(BpeTokenizer, RejectsBadVocabularies) {
    auto expect_error = [](Vocab v, const char* needle) {
        try {
            Tokenizer::from_vocab(std::move(v));
            ADD_FAILURE() << "expected an error mentioning " << needle;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    Vocab v = test::hello_fixture().vocab();
    v.scores = {1.0f, 2.0f};
    expect_error(v, "scores");
    v = test::hello_fixture().vocab();
    v.merges.push_back("nospace");
    expect_error(v, "merge 12");
    v = test::hello_fixture().vocab("no-such-pre");
    expect_error(v, "no-such-pre");
    v = test::hello_fixture().vocab();
    v.bos = 100000;
    expect_error(v, "bos");
    v = test::hello_fixture().vocab();
    v.types[3] = static_cast<TokenType>(42);
    expect_error(v, "token type");
    expect_error(Vocab{}, "no tokens");

    auto tok = hello();
    EXPECT_THROW(tok->decode(Ids{259, 99999}), Error);
    EXPECT_THROW(tok->token_piece(-1), Error);
}

}  // namespace
}  // namespace ponder
