// vocab_gguf.cpp: reads a Vocab from a GGUF file's tokenizer.* keys; Tokenizer::from_gguf / from_file.
#include "gguf/gguf_file.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"
#include "util/log.h"
#include "util/path_text.h"

namespace ponder {

namespace {

std::string file_name(const GgufFile& file) { return path_to_utf8(file.path()); }

// A special-token id key. Values that are not a token id (stories260K stores 0xFFFFFFFF for
// "none"; some converters write -1 or a non-integer) are ignored with a warning, as llama.cpp
// does, rather than failing the whole model.
std::int32_t special_id(const GgufFile& file, std::string_view key, std::size_t n_tokens, std::int32_t fallback) {
    const GgufValue* value = file.find(key);
    if (!value) return fallback;
    const std::optional<std::int64_t> id = value->as_i64();
    if (!id || *id < 0 || static_cast<std::uint64_t>(*id) >= n_tokens) {
        PONDER_LOG_WARN("%s: %.*s is not a token id (%s%lld; vocabulary has %zu tokens); ignored",
                        file_name(file).c_str(), static_cast<int>(key.size()), key.data(),
                        id ? "" : "not a small integer, ", static_cast<long long>(id.value_or(0)), n_tokens);
        return -1;
    }
    return static_cast<std::int32_t>(*id);
}

}  // namespace

Vocab load_vocab(const GgufFile& file) {
    Vocab v;
    const std::string name = file_name(file);
    v.model = std::string(file.require_string("tokenizer.ggml.model"));
    if (v.model == "gpt2")
        v.kind = VocabKind::BytePairBpe;
    else if (v.model == "llama")
        v.kind = VocabKind::SentencePiece;
    else
        fail("%s: tokenizer.ggml.model '%s' is not supported (Ponder supports 'gpt2' and 'llama')", name.c_str(),
             v.model.c_str());
    v.pre = std::string(file.get_string("tokenizer.ggml.pre", ""));
    v.name = std::string(file.get_string("general.name", ""));

    const auto tokens = file.get_strings("tokenizer.ggml.tokens");
    if (!tokens) fail("%s: missing key tokenizer.ggml.tokens (or it is not a string array)", name.c_str());
    v.tokens.reserve(tokens->size());
    for (std::string_view t : *tokens) v.tokens.emplace_back(t);
    const std::size_t n = v.tokens.size();

    if (auto scores = file.get_array<float>("tokenizer.ggml.scores")) v.scores = std::move(*scores);
    if (auto types = file.get_array<std::int32_t>("tokenizer.ggml.token_type")) {
        v.types.reserve(types->size());
        for (std::size_t i = 0; i < types->size(); ++i) {
            const std::int32_t t = (*types)[i];
            if (t < 0 || t > 6)
                fail("%s: tokenizer.ggml.token_type[%zu] = %d is not a known token type", name.c_str(), i, t);
            v.types.push_back(static_cast<TokenType>(t));
        }
    }
    if (v.kind == VocabKind::BytePairBpe) {
        const auto merges = file.get_strings("tokenizer.ggml.merges");
        if (!merges) fail("%s: missing key tokenizer.ggml.merges (needed by a 'gpt2' tokenizer)", name.c_str());
        v.merges.reserve(merges->size());
        for (std::string_view m : *merges) v.merges.emplace_back(m);
    }

    const bool spm = v.kind == VocabKind::SentencePiece;
    // SentencePiece vocabularies conventionally put <unk>, <s>, </s> at 0, 1, 2.
    v.bos = special_id(file, "tokenizer.ggml.bos_token_id", n, spm && n > 1 ? 1 : -1);
    v.eos = special_id(file, "tokenizer.ggml.eos_token_id", n, spm && n > 2 ? 2 : -1);
    v.unk = special_id(file, "tokenizer.ggml.unknown_token_id", n, spm ? 0 : -1);
    v.pad = special_id(file, "tokenizer.ggml.padding_token_id", n, -1);
    v.eot = special_id(file, "tokenizer.ggml.eot_token_id", n, -1);
    v.eom = special_id(file, "tokenizer.ggml.eom_token_id", n, -1);
    if (auto b = file.get_bool("tokenizer.ggml.add_bos_token")) v.add_bos = *b;
    if (auto b = file.get_bool("tokenizer.ggml.add_eos_token")) v.add_eos = *b;
    if (auto b = file.get_bool("tokenizer.ggml.add_space_prefix")) v.add_space_prefix = *b;
    return v;
}

std::unique_ptr<Tokenizer> Tokenizer::from_gguf(const GgufFile& file) {
    Vocab vocab = load_vocab(file);
    try {
        return from_vocab(std::move(vocab));
    } catch (const Error& e) {
        fail("%s: %s", file_name(file).c_str(), e.what());
    }
}

std::unique_ptr<Tokenizer> Tokenizer::from_file(const std::filesystem::path& gguf_path) {
    const GgufFile file = GgufFile::open(gguf_path);
    return from_gguf(file);
}

}  // namespace ponder
