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

    // The pattern list llama.cpp uses for a `tokenizer.ggml.pre` value; throws ponder::Error naming
    // the value when it is not one Ponder knows.
    static std::vector<std::string> patterns_for(std::string_view pre);

private:
    struct Step;
    std::vector<std::unique_ptr<Step>> m_steps;
};

}  // namespace ponder::tokenizer
