// spm_test.cpp: SentencePiece-style tokenizer on a hand-made vocabulary: score order, byte fallback, spaces.
#include "fixtures.h"
#include "tokenizer/tokenizer.h"

#include <ponder/engine.h>

#include <gtest/gtest.h>

namespace ponder {
namespace {

using Ids = std::vector<std::int32_t>;
using test::spm_byte;

TEST(SpmTokenizer, MergesHighestScoreFirst) {
    auto tok = Tokenizer::from_vocab(test::spm_fixture());
    // "▁ab": ▁a (-0.5) beats ab (-1.5), then ▁a+b = ▁ab (-0.1).
    EXPECT_EQ(tok->encode("ab", false, false), (Ids{265}));
    // "▁abc": bc (-0.2) goes first, then ▁a (-0.5); "▁abc" is no token, so two pieces remain.
    EXPECT_EQ(tok->encode("abc", false, false), (Ids{263, 266}));
    EXPECT_TRUE(tok->encode("", false, false).empty());
}

TEST(SpmTokenizer, ByteFallbackForUnknownCharacters) {
    auto tok = Tokenizer::from_vocab(test::spm_fixture());
    // é is not in the vocabulary: its two UTF-8 bytes become <0xC3> <0xA9>; 世 is a piece.
    EXPECT_EQ(tok->encode("\xC3\xA9\xE4\xB8\x96", false, false), (Ids{259, spm_byte(0xC3), spm_byte(0xA9), 268}));
    EXPECT_EQ(tok->decode(Ids{259, spm_byte(0xC3), spm_byte(0xA9), 268}), "\xC3\xA9\xE4\xB8\x96");
}

TEST(SpmTokenizer, SpacePrefixAndBos) {
    auto tok = Tokenizer::from_vocab(test::spm_fixture());
    EXPECT_TRUE(tok->add_bos());  // SentencePiece default
    EXPECT_FALSE(tok->add_eos());
    EXPECT_EQ(tok->encode("ab", true, false), (Ids{1, 265}));
    EXPECT_EQ(tok->encode("", true, false), (Ids{1}));
    // Spaces become ▁ and stay separate pieces; the prefix space is added once.
    EXPECT_EQ(tok->encode("a b", false, false), (Ids{263, 259, 261}));
    // A space after a special token's text, as SentencePiece sees each text piece on its own.
    EXPECT_EQ(tok->encode("<s>ab", false, true), (Ids{1, 265}));
    EXPECT_EQ(tok->encode("<s>ab", false, false), (Ids{259, spm_byte('<'), spm_byte('s'), spm_byte('>'), 264}));

    Vocab no_prefix = test::spm_fixture();
    no_prefix.add_space_prefix = false;
    EXPECT_EQ(Tokenizer::from_vocab(no_prefix)->encode("ab", false, false), (Ids{264}));
}

TEST(SpmTokenizer, DecodeRemovesThePrefixSpace) {
    auto tok = Tokenizer::from_vocab(test::spm_fixture());
    EXPECT_EQ(tok->decode(Ids{265}), "ab");
    EXPECT_EQ(tok->token_piece(265), " ab");
    EXPECT_EQ(tok->decode(Ids{1, 265}), "<s> ab");  // a rendered BOS keeps the space after it
    EXPECT_EQ(tok->decode(Ids{1, 265}, false), "ab");
    const std::string samples[] = {"ab abc", " leading space", "two  spaces ",
                                   "caf\xC3\xA9 \xE4\xB8\x96 \xF0\x9F\x99\x82", "line\nbreak\ttab"};
    for (const std::string& s : samples) EXPECT_EQ(tok->decode(tok->encode(s, false, false)), s) << s;
    for (const std::string& s : samples) EXPECT_EQ(tok->decode(tok->encode(s, true, false), false), s) << s;
}

TEST(SpmTokenizer, UnknownWithoutByteTokens) {
    Vocab v;
    v.kind = VocabKind::SentencePiece;
    v.tokens = {"<unk>", "<s>", "</s>", "\xE2\x96\x81", "a"};
    v.types = {TokenType::Unknown, TokenType::Control, TokenType::Control, TokenType::Normal, TokenType::Normal};
    v.bos = 1;
    v.eos = 2;
    v.unk = 0;
    auto tok = Tokenizer::from_vocab(v);
    EXPECT_EQ(tok->encode("az", false, false), (Ids{3, 4, 0}));
    EXPECT_TRUE(tok->is_end_of_generation(2));
    EXPECT_TRUE(tok->is_control(0));
}

}  // namespace
}  // namespace ponder
