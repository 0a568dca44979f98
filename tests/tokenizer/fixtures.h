// fixtures.h: tiny hand-made byte-level BPE and SentencePiece vocabularies for data-free tests.
#pragma once

#include "tokenizer/bpe.h"
#include "tokenizer/spm.h"
#include "tokenizer/vocab.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ponder::test {

// Byte-level BPE: ids 0..255 are the single bytes (id == byte value), then one token per merge in
// the order given (id 256 + rank), then the extra tokens with their types.
struct BpeFixture {
    std::vector<std::string> merges;  // "left right" in byte-level text
    std::vector<std::pair<std::string, TokenType>> extra;

    Vocab vocab(std::string pre = "gpt-2") const {
        Vocab v;
        v.kind = VocabKind::BytePairBpe;
        v.model = "gpt2";
        v.pre = std::move(pre);
        for (int b = 0; b < 256; ++b) {
            std::string t;
            tokenizer::append_byte_level(t, std::string(1, static_cast<char>(b)));
            v.tokens.push_back(t);
            v.types.push_back(TokenType::Normal);
        }
        for (const std::string& m : merges) {
            const auto sep = m.find(' ', 1);
            v.tokens.push_back(m.substr(0, sep) + m.substr(sep + 1));
            v.types.push_back(TokenType::Normal);
        }
        v.merges = merges;
        for (const auto& [text, type] : extra) {
            v.tokens.push_back(text);
            v.types.push_back(type);
        }
        return v;
    }
};

// The "hello world" fixture used by several tests; ids are written out where tests use them.
inline BpeFixture hello_fixture() {
    BpeFixture f;
    f.merges = {"h e",          "l l", "he ll",          "hell o", "\xC4\xA0 w", "o r",
                "\xC4\xA0w or", "l d", "\xC4\xA0wor ld", "a a",    "b c",        "a b"};
    // ids: he 256, ll 257, hell 258, hello 259, Ġw 260, or 261, Ġwor 262, ld 263, Ġworld 264,
    //      aa 265, bc 266, ab 267
    f.extra = {{"<|end|>", TokenType::Control},       // 268
               {"<think>", TokenType::UserDefined},   // 269
               {"<s>", TokenType::Control},           // 270
               {"<|endoftext|>", TokenType::Normal},  // 271 (becomes Control: end-of-generation text)
               {"[PAD272]", TokenType::Unused}};      // 272
    return f;
}

// SentencePiece: 0 <unk>, 1 <s>, 2 </s>, 3..258 <0x00>..<0xFF>, then the pieces below.
inline Vocab spm_fixture() {
    Vocab v;
    v.kind = VocabKind::SentencePiece;
    v.model = "llama";
    auto add = [&](std::string text, float score, TokenType type) {
        v.tokens.push_back(std::move(text));
        v.scores.push_back(score);
        v.types.push_back(type);
    };
    add("<unk>", 0, TokenType::Unknown);
    add("<s>", 0, TokenType::Control);
    add("</s>", 0, TokenType::Control);
    for (int b = 0; b < 256; ++b) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "<0x%02X>", b);
        add(buf, 0, TokenType::Byte);
    }
    add("\xE2\x96\x81", -1.0f, TokenType::Normal);  // 259 ▁
    add("a", -2.0f, TokenType::Normal);             // 260
    add("b", -2.0f, TokenType::Normal);             // 261
    add("c", -2.0f, TokenType::Normal);             // 262
    add("\xE2\x96\x81"
        "a",
        -0.5f, TokenType::Normal);        // 263 ▁a
    add("ab", -1.5f, TokenType::Normal);  // 264
    add("\xE2\x96\x81"
        "ab",
        -0.1f, TokenType::Normal);                  // 265 ▁ab
    add("bc", -0.2f, TokenType::Normal);            // 266
    add("abc", -3.0f, TokenType::Normal);           // 267
    add("\xE4\xB8\x96", -2.5f, TokenType::Normal);  // 268 世
    v.bos = 1;
    v.eos = 2;
    v.unk = 0;
    return v;
}

inline std::int32_t spm_byte(int b) { return 3 + b; }

}  // namespace ponder::test
