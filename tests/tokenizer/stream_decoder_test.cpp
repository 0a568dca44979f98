// stream_decoder_test.cpp: streamed pieces are whole code points: byte tokens, split characters, emoji, CJK.
#include "fixtures.h"
#include "tokenizer/tokenizer.h"
#include "util/utf8.h"

#include <ponder/engine.h>

#include <gtest/gtest.h>

namespace ponder {
namespace {

using test::spm_byte;

// Pushes ids one by one and records every non-empty piece.
std::vector<std::string> stream(StreamDecoder& d, const std::vector<std::int32_t>& ids) {
    std::vector<std::string> pieces;
    for (std::int32_t id : ids) {
        std::string p = d.push(id);
        if (!p.empty()) pieces.push_back(p);
    }
    std::string rest = d.flush();
    if (!rest.empty()) pieces.push_back(rest);
    return pieces;
}

TEST(StreamDecoder, HoldsBackSplitByteFallbackCharacters) {
    auto tok = Tokenizer::from_vocab(test::spm_fixture());
    StreamDecoder d(*tok);
    // 🙂 = F0 9F 99 82 as four byte tokens: nothing comes out until the last one.
    EXPECT_EQ(d.push(spm_byte(0xF0)), "");
    EXPECT_EQ(d.pending_bytes(), 1u);
    EXPECT_EQ(d.push(spm_byte(0x9F)), "");
    EXPECT_EQ(d.push(spm_byte(0x99)), "");
    EXPECT_EQ(d.push(spm_byte(0x82)), "\xF0\x9F\x99\x82");
    EXPECT_EQ(d.pending_bytes(), 0u);
    // é split in two, then a normal piece.
    EXPECT_EQ(d.push(spm_byte(0xC3)), "");
    EXPECT_EQ(d.push(spm_byte(0xA9)), "\xC3\xA9");
    EXPECT_EQ(d.push(268), "\xE4\xB8\x96");
    EXPECT_EQ(d.push(265), " ab");  // continuation: the space is kept
    EXPECT_EQ(d.flush(), "");
}

TEST(StreamDecoder, CharacterSplitAcrossByteLevelPieces) {
    // A byte-level token "B8 96 E7" holds the tail of 世 (E4 B8 96) and the head of 界 (E7 95 8C).
    auto bl = [](std::string_view bytes) {
        std::string t;
        tokenizer::append_byte_level(t, bytes);
        return t;
    };
    test::BpeFixture f;
    f.merges = {bl("\xB8") + " " + bl("\x96"), bl("\xB8\x96") + " " + bl("\xE7")};  // ids 256, 257
    auto tok = Tokenizer::from_vocab(f.vocab());
    const std::vector<std::int32_t> ids = {0xE4, 257, 0x95, 0x8C, 'x'};
    ASSERT_EQ(tok->encode("\xE4\xB8\x96\xE7\x95\x8Cx", false, false), ids);
    StreamDecoder d(*tok);
    EXPECT_EQ(d.push(0xE4), "");
    EXPECT_EQ(d.push(257), "\xE4\xB8\x96");
    EXPECT_EQ(d.pending_bytes(), 1u);
    EXPECT_EQ(d.push(0x95), "");
    EXPECT_EQ(d.push(0x8C), "\xE7\x95\x8C");
    EXPECT_EQ(d.push('x'), "x");
}

TEST(StreamDecoder, EmojiSequenceAndCjkMatchWholeDecode) {
    auto tok = Tokenizer::from_vocab(test::spm_fixture());
    // 👩‍💻 (woman technologist, ZWJ sequence) 世界 a: every piece is valid UTF-8 on its own.
    const std::string text = "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB \xE4\xB8\x96\xE7\x95\x8C ab";
    const auto ids = tok->encode(text, false, false);
    StreamDecoder d(*tok, {.render_special = true, .strip_leading_space = true});
    std::string joined;
    for (const std::string& p : stream(d, ids)) {
        EXPECT_TRUE(utf8::is_valid(p)) << p;
        joined += p;
    }
    EXPECT_EQ(joined, text);
    EXPECT_EQ(joined, tok->decode(ids));
}

TEST(StreamDecoder, InvalidBytesBecomeReplacementCharacters) {
    auto tok = Tokenizer::from_vocab(test::spm_fixture());
    StreamDecoder d(*tok);
    // A lead byte followed by a non-continuation byte can never complete: U+FFFD, then 'A'.
    EXPECT_EQ(d.push(spm_byte(0xE4)), "");
    EXPECT_EQ(d.push(spm_byte('A')),
              "\xEF\xBF\xBD"
              "A");
    // A truncated sequence at the end comes out as U+FFFD on flush.
    EXPECT_EQ(d.push(spm_byte(0xF0)), "");
    EXPECT_EQ(d.push(spm_byte(0x9F)), "");
    EXPECT_EQ(d.flush(), "\xEF\xBF\xBD\xEF\xBF\xBD");
    EXPECT_EQ(d.pending_bytes(), 0u);
}

TEST(StreamDecoder, SpecialTokensAndReset) {
    auto tok = Tokenizer::from_vocab(test::spm_fixture());
    StreamDecoder hidden(*tok, {.render_special = false, .strip_leading_space = true});
    EXPECT_EQ(hidden.push(1), "");
    EXPECT_EQ(hidden.push(265), "ab");  // first text: prefix space dropped
    EXPECT_EQ(hidden.push(265), " ab");
    hidden.reset();
    EXPECT_EQ(hidden.push(265), "ab");
    StreamDecoder shown(*tok);
    EXPECT_EQ(shown.push(2), "</s>");
    EXPECT_THROW(shown.push(100000), Error);
}

}  // namespace
}  // namespace ponder
