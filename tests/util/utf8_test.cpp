// utf8_test.cpp: decoding, validation and the streaming "complete prefix" rule.
#include "util/utf8.h"

#include <gtest/gtest.h>

using namespace ponder;

TEST(Utf8, DecodesAndEncodesRoundTrip) {
    const std::string text = "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80";  // a é 中 😀
    std::size_t pos = 0;
    std::u32string cps;
    while (pos < text.size()) cps += utf8::decode(text, pos);
    EXPECT_EQ(cps, U"a\u00E9\u4E2D\U0001F600");
    std::string back;
    for (char32_t cp : cps) utf8::append(back, cp);
    EXPECT_EQ(back, text);
}

TEST(Utf8, RejectsOverlongsSurrogatesAndStrayBytes) {
    EXPECT_TRUE(utf8::is_valid("plain \xE4\xB8\xAD"));
    EXPECT_FALSE(utf8::is_valid("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(utf8::is_valid("\xED\xA0\x80"));      // UTF-16 surrogate
    EXPECT_FALSE(utf8::is_valid("\x80"));              // lone continuation
    EXPECT_FALSE(utf8::is_valid("\xF4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_EQ(utf8::sanitize("a\xFF"
                             "b"),
              "a\xEF\xBF\xBD"
              "b");
}

TEST(Utf8, CompletePrefixHoldsBackOnlyUnfinishedSequences) {
    EXPECT_EQ(utf8::complete_prefix_length("abc"), 3u);
    EXPECT_EQ(utf8::complete_prefix_length("ab\xE4\xB8"), 2u);  // 中 missing its last byte
    EXPECT_EQ(utf8::complete_prefix_length("ab\xE4\xB8\xAD"), 5u);
    EXPECT_EQ(utf8::complete_prefix_length("\xF0\x9F\x98"), 0u);  // 😀 missing one byte
    EXPECT_EQ(utf8::complete_prefix_length("x\xFF"), 2u);         // invalid, not "unfinished"
}
