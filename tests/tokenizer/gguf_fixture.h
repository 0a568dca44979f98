// gguf_fixture.h: writes a Vocab as a vocab-only GGUF file (the tokenizer.* keys llama.cpp's converter writes).
#pragma once

#include "gguf/gguf_writer.h"
#include "tokenizer/vocab.h"

#include <filesystem>

namespace ponder::test {

inline GgufWriter vocab_writer(const Vocab& v) {
    GgufWriter w;
    w.set("general.architecture", "llama");
    w.set("tokenizer.ggml.model", v.model);
    if (!v.pre.empty()) w.set("tokenizer.ggml.pre", v.pre);
    w.set_array("tokenizer.ggml.tokens", v.tokens);
    if (!v.scores.empty()) w.set_array("tokenizer.ggml.scores", v.scores);
    if (!v.types.empty()) {
        std::vector<std::int32_t> types;
        for (TokenType t : v.types) types.push_back(static_cast<std::int32_t>(t));
        w.set_array("tokenizer.ggml.token_type", types);
    }
    if (!v.merges.empty()) w.set_array("tokenizer.ggml.merges", v.merges);
    if (v.bos >= 0) w.set("tokenizer.ggml.bos_token_id", static_cast<std::uint32_t>(v.bos));
    if (v.eos >= 0) w.set("tokenizer.ggml.eos_token_id", static_cast<std::uint32_t>(v.eos));
    if (v.unk >= 0) w.set("tokenizer.ggml.unknown_token_id", static_cast<std::uint32_t>(v.unk));
    if (v.add_bos) w.set("tokenizer.ggml.add_bos_token", *v.add_bos);
    if (v.add_eos) w.set("tokenizer.ggml.add_eos_token", *v.add_eos);
    return w;
}

inline void write_vocab_gguf(const Vocab& v, const std::filesystem::path& path) { vocab_writer(v).write_file(path); }

}  // namespace ponder::test
