// vocab.h: the plain vocabulary description every tokenizer is built from (GGUF `tokenizer.*` keys).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ponder {

class GgufFile;  // gguf/gguf_file.h

// Token types as stored in `tokenizer.ggml.token_type` (llama.cpp's numbering).
enum class TokenType : std::int32_t {
    Undefined = 0,
    Normal = 1,
    Unknown = 2,
    Control = 3,      // <s>, <|im_start|>, ...: only matched in text when parse_special is on
    UserDefined = 4,  // <think> in R1 distills: always matched in text, decoded verbatim
    Unused = 5,       // padding entries such as [PAD151665]: never produced, decoded as ""
    Byte = 6,         // SentencePiece byte fallback <0xXX>
};

// Which algorithm the vocabulary uses (`tokenizer.ggml.model`).
enum class VocabKind {
    BytePairBpe,    // "gpt2": byte-level BPE, merges by rank, regex pre-tokenizer chosen by `pre`
    SentencePiece,  // "llama": BPE by score over code points, U+2581 for spaces, <0xXX> byte fallback
};

// Everything a tokenizer needs, independent of where it came from (GGUF file or a test fixture).
// Optional fields left empty take llama.cpp's defaults for the kind/pre-tokenizer.
struct Vocab {
    VocabKind kind = VocabKind::BytePairBpe;
    std::string model;  // tokenizer.ggml.model as written ("gpt2", "llama")
    std::string pre;    // tokenizer.ggml.pre ("qwen2", "llama-bpe", ...; "" = default)
    std::string name;   // general.name, for messages only

    std::vector<std::string> tokens;  // id -> text as stored (byte-level or U+2581-escaped)
    std::vector<float> scores;        // id -> score (SentencePiece merge priority); may be empty
    std::vector<TokenType> types;     // id -> type; empty means all Normal
    std::vector<std::string> merges;  // "left right", rank = index (byte-level BPE only)

    std::int32_t bos = -1, eos = -1, unk = -1, pad = -1, eot = -1, eom = -1;  // -1 = none
    std::optional<bool> add_bos;           // unset: true for SentencePiece and llama-bpe, else false
    std::optional<bool> add_eos;           // unset: false
    std::optional<bool> add_space_prefix;  // SentencePiece: prefix text with a space (unset: true)
};

// Reads the vocabulary from a GGUF file's `tokenizer.*` metadata. Throws ponder::Error naming the
// file and key when something is missing or inconsistent (e.g. scores shorter than tokens).
Vocab load_vocab(const GgufFile& file);

}  // namespace ponder
