// token_index.h: text -> id lookup over a vocabulary's token strings (views; the vocabulary owns them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ponder::tokenizer {

class TokenIndex {
public:
    // Later duplicates do not replace earlier ids (the lowest id wins, as in llama.cpp's map build).
    explicit TokenIndex(const std::vector<std::string>& tokens) {
        m_map.reserve(tokens.size());
        for (std::size_t i = 0; i < tokens.size(); ++i)
            m_map.emplace(std::string_view(tokens[i]), static_cast<std::int32_t>(i));
    }
    // -1 when absent.
    std::int32_t find(std::string_view text) const {
        auto it = m_map.find(text);
        return it == m_map.end() ? -1 : it->second;
    }

private:
    std::unordered_map<std::string_view, std::int32_t> m_map;
};

}  // namespace ponder::tokenizer
