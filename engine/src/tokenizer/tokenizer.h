// tokenizer.h: text <-> token ids for byte-level BPE and SentencePiece vocabularies (llama.cpp-exact).
#pragma once

#include "tokenizer/vocab.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ponder {

// Immutable after construction; all const methods are safe to call from several threads.
//
// Conventions (llama.cpp's, which the reference data follows):
// - Byte-level BPE ("gpt2") is lossless: decode(encode(x)) == x for any bytes, except that a
//   vocabulary whose byte-level characters exist only as UserDefined tokens (DeepSeek LLM's
//   U+00C0/U+00C1/U+00F5..U+00FF stand-ins for bytes that never occur in valid UTF-8) decodes those
//   as their text, so invalid UTF-8 input does not survive there. No "clean up tokenization
//   spaces" is applied on decode (it would break round trips).
// - SentencePiece ("llama"): encode puts a space in front of the text and after every special
//   token (add_space_prefix); decode drops the space again from the first piece of text unless a
//   rendered Control token (e.g. "<s>") comes first. Lossless except for a literal U+2581 in the
//   input (read back as a space) and characters with neither a piece nor a byte token (<unk>).
// - Tokens whose text marks the end of a turn (see is_end_of_generation) are treated as Control
//   tokens even if the file says otherwise, as llama.cpp does.
class Tokenizer {
public:
    // Validates the vocabulary (sizes, special ids in range, merges refer to tokens) and builds the
    // lookup tables. Throws ponder::Error with a clear message on bad input or an unknown pre-tokenizer.
    static std::unique_ptr<Tokenizer> from_vocab(Vocab vocab);
    static std::unique_ptr<Tokenizer> from_gguf(const GgufFile& file);
    // Opens the GGUF file itself (convenience for tools and tests).
    static std::unique_ptr<Tokenizer> from_file(const std::filesystem::path& gguf_path);

    ~Tokenizer();
    Tokenizer(const Tokenizer&) = delete;
    Tokenizer& operator=(const Tokenizer&) = delete;

    // add_special: prepend BOS / append EOS when the vocabulary asks for it (add_bos()/add_eos()).
    // parse_special: text of Control tokens (<|im_start|>, <｜User｜>, <s>) becomes their ids; when
    // off they are tokenized as plain text. UserDefined tokens (<think> in R1) are always matched.
    std::vector<std::int32_t> encode(std::string_view text, bool add_special, bool parse_special) const;

    // The whole text of a token sequence. render_special: Control tokens print their text (else "").
    // SentencePiece: the space prefix that encode() adds is removed from the first piece, so
    // decode(encode(x)) == x. Ids out of range throw ponder::Error.
    std::string decode(std::span<const std::int32_t> ids, bool render_special = true) const;

    // The bytes one token stands for (may be a partial UTF-8 sequence for byte tokens / byte-level
    // pieces). No space stripping. Out-of-range ids throw ponder::Error.
    std::string token_piece(std::int32_t id, bool render_special = true) const;

    // The token's text as stored in the vocabulary (e.g. "Ġhello", "▁hello", "<0x0A>").
    std::string_view token_text(std::int32_t id) const;
    std::optional<std::int32_t> find_token(std::string_view stored_text) const;
    TokenType token_type(std::int32_t id) const;

    std::int32_t bos() const;  // -1 when the vocabulary has none
    std::int32_t eos() const;
    bool add_bos() const;
    bool add_eos() const;
    // eos, eot, eom and end-of-turn tokens found by text (<|eot_id|>, <|im_end|>, <|endoftext|>,
    // <｜end▁of▁sentence｜>, <end_of_turn>, <|end|>, ...).
    bool is_end_of_generation(std::int32_t id) const;
    bool is_control(std::int32_t id) const;  // Control or Unknown type: hidden unless rendered
    int vocab_size() const;

    const Vocab& vocab() const;

private:
    struct Impl;
    explicit Tokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Incremental, UTF-8-safe detokenizer for streaming: push() returns only complete code points and
// holds back a partial UTF-8 sequence (byte tokens, a character split across byte-level pieces)
// until it is completed; flush() returns what is left (invalid bytes become U+FFFD).
// One per stream; the tokenizer must outlive it.
class StreamDecoder {
public:
    struct Options {
        bool render_special = true;
        // Drop the leading space of the first non-empty piece (SentencePiece prompt-style decoding).
        // Leave off when streaming a continuation after a prompt.
        bool strip_leading_space = false;
    };
    explicit StreamDecoder(const Tokenizer& tokenizer);
    StreamDecoder(const Tokenizer& tokenizer, Options options);

    std::string push(std::int32_t id);
    std::string flush();
    void reset();
    // Bytes held back waiting for the rest of a code point (0..3).
    std::size_t pending_bytes() const { return m_pending.size(); }

private:
    const Tokenizer* m_tokenizer;
    Options m_options;
    std::string m_pending;
    bool m_seen_text = false;
};

}  // namespace ponder
