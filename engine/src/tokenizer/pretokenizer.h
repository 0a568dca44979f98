// pretokenizer.h: the regex splitting that byte-level BPE applies before merging (per tokenizer.ggml.pre).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ponder::tokenizer {

// A sequence of PCRE2 patterns (UTF + UCP, JIT-compiled). Each step splits every piece left by the
// previous step into its matches and the unmatched gaps between them (Hugging Face "Isolated"
// splitting), so nothing of the text is ever dropped.
class PreTokenizer {
public:
    explicit PreTokenizer(std::vector<std::string> patterns);  // throws ponder::Error on a bad pattern
    ~PreTokenizer();
    PreTokenizer(const PreTokenizer&) = delete;
    PreTokenizer& operator=(const PreTokenizer&) = delete;

    // Appends the pieces of text (views into text, in order, covering all of it) to out.
    void split(std::string_view text, std::vector<std::string_view>& out) const;

    // What a `tokenizer.ggml.pre` value means (llama.cpp's table): the pattern list, and whether a
    // pre-token that is itself a token skips merging (Llama 3 family). Throws ponder::Error naming
    // the value when it is not one Ponder knows.
    struct Config {
        std::vector<std::string> patterns;
        bool ignore_merges = false;
    };
    static Config config_for(std::string_view pre);
    static std::vector<std::string> patterns_for(std::string_view pre);

private:
    struct Step;
    std::vector<std::unique_ptr<Step>> m_steps;
};

}  // namespace ponder::tokenizer
