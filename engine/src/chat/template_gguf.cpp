// template_gguf.cpp: reads a model's chat template and BOS/EOS token texts from GGUF metadata and selects its template.
#include "chat/chat_template.h"

#include "gguf/gguf_file.h"

namespace ponder::chat {

SelectedTemplate select_template(const GgufFile& file) {
    TemplateSource source;
    if (auto t = file.get_string("tokenizer.chat_template")) source.chat_template = std::string(*t);
    source.architecture = std::string(file.get_string("general.architecture", ""));
    std::vector<std::string> tokens;
    if (auto list = file.get_strings("tokenizer.ggml.tokens")) tokens.assign(list->begin(), list->end());
    auto token_text = [&](std::string_view key) -> std::string {
        const auto id = file.get_u32(key);
        if (!id || *id >= tokens.size()) return {};
        return tokens[*id];
    };
    source.bos_token = token_text("tokenizer.ggml.bos_token_id");
    source.eos_token = token_text("tokenizer.ggml.eos_token_id");
    source.token_texts = tokens;
    return select_template(source);
}

SelectedTemplate select_template_from_gguf(const std::string& gguf_path) {
    return select_template(GgufFile::open(gguf_path));
}

}  // namespace ponder::chat
