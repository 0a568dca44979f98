// gguf_vocab_test.cpp: Vocab from GGUF metadata (written with GgufWriter): keys, defaults, clear errors.
#include "fixtures.h"
#include "gguf_fixture.h"
#include "tokenizer/tokenizer.h"

#include "gguf/gguf_file.h"
#include "support/temp_dir.h"

#include <ponder/engine.h>

#include <gtest/gtest.h>

namespace ponder {
namespace {

using Ids = std::vector<std::int32_t>;

Vocab hello_vocab() {
    Vocab v = test::hello_fixture().vocab();
    v.bos = 270;
    v.eos = 268;
    v.add_bos = true;
    return v;
}

std::string load_error(const GgufWriter& w) {
    const std::vector<std::uint8_t> bytes = w.to_bytes();
    try {
        const GgufFile file = GgufFile::from_memory(bytes, "bad.gguf");
        Tokenizer::from_gguf(file);
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(GgufVocab, ReadsEveryTokenizerKey) {
    test::TempDir dir;
    test::write_vocab_gguf(hello_vocab(), dir / "v.gguf");
    const GgufFile file = GgufFile::open(dir / "v.gguf");
    const Vocab v = load_vocab(file);
    EXPECT_EQ(v.kind, VocabKind::BytePairBpe);
    EXPECT_EQ(v.pre, "gpt-2");
    EXPECT_EQ(v.tokens.size(), 273u);
    EXPECT_EQ(v.merges.size(), 12u);
    EXPECT_EQ(v.types[269], TokenType::UserDefined);
    EXPECT_EQ(v.bos, 270);
    EXPECT_EQ(v.eos, 268);
    EXPECT_EQ(v.add_bos, std::optional<bool>(true));
    EXPECT_FALSE(v.add_eos.has_value());

    auto tok = Tokenizer::from_file(dir / "v.gguf");
    EXPECT_EQ(tok->encode("hello world", true, false), (Ids{270, 259, 264}));
}

TEST(GgufVocab, SentencePieceDefaultsAndBadSpecialIds) {
    Vocab v = test::spm_fixture();
    v.bos = v.eos = v.unk = -1;  // not written: SentencePiece defaults 1/2/0 apply
    GgufWriter w = test::vocab_writer(v);
    w.set("tokenizer.ggml.padding_token_id", std::uint32_t{0xFFFFFFFF});  // as in stories260K: ignored
    w.set("tokenizer.ggml.eot_token_id", std::int32_t{-1});               // ignored too
    w.set("tokenizer.ggml.eom_token_id", "2");                            // not an integer: ignored
    const auto bytes = w.to_bytes();
    const GgufFile file = GgufFile::from_memory(bytes, "spm.gguf");
    auto tok = Tokenizer::from_gguf(file);
    EXPECT_EQ(tok->bos(), 1);
    EXPECT_EQ(tok->eos(), 2);
    EXPECT_EQ(tok->vocab().unk, 0);
    EXPECT_EQ(tok->vocab().pad, -1);
    EXPECT_EQ(tok->vocab().eot, -1);
    EXPECT_EQ(tok->vocab().eom, -1);
    EXPECT_EQ(tok->encode("ab", true, false), (Ids{1, 265}));
}

TEST(GgufVocab, ErrorsNameTheKey) {
    GgufWriter no_tokens = test::vocab_writer(hello_vocab());
    no_tokens.remove("tokenizer.ggml.tokens");
    EXPECT_NE(load_error(no_tokens).find("tokenizer.ggml.tokens"), std::string::npos);

    GgufWriter bert = test::vocab_writer(hello_vocab());
    bert.set("tokenizer.ggml.model", "bert");
    EXPECT_NE(load_error(bert).find("'bert' is not supported"), std::string::npos);

    GgufWriter no_merges = test::vocab_writer(hello_vocab());
    no_merges.remove("tokenizer.ggml.merges");
    EXPECT_NE(load_error(no_merges).find("tokenizer.ggml.merges"), std::string::npos);

    GgufWriter short_types = test::vocab_writer(hello_vocab());
    short_types.set_array("tokenizer.ggml.token_type", std::vector<std::int32_t>{1, 1, 1});
    EXPECT_NE(load_error(short_types).find("token_type has 3 entries"), std::string::npos);

    GgufWriter bad_type = test::vocab_writer(hello_vocab());
    std::vector<std::int32_t> types(273, 1);
    types[7] = 9;
    bad_type.set_array("tokenizer.ggml.token_type", types);
    EXPECT_NE(load_error(bad_type).find("token_type[7] = 9"), std::string::npos);

    GgufWriter wrong_kind = test::vocab_writer(hello_vocab());
    wrong_kind.set("tokenizer.ggml.tokens", "not an array");
    EXPECT_NE(load_error(wrong_kind).find("tokenizer.ggml.tokens"), std::string::npos);

    GgufWriter bad_pre = test::vocab_writer(hello_vocab());
    bad_pre.set("tokenizer.ggml.pre", "mystery");
    const std::string msg = load_error(bad_pre);
    EXPECT_NE(msg.find("mystery"), std::string::npos) << msg;
    EXPECT_NE(msg.find("bad.gguf"), std::string::npos) << msg;
}

}  // namespace
}  // namespace ponder
