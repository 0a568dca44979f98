// lexer.h: splits Jinja source into text and tag tokens, applying trim_blocks/lstrip_blocks and {%- -%} whitespace control.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ponder::chat::jinja {

enum class TokenType { Text, VarBegin, VarEnd, BlockBegin, BlockEnd, Name, String, Integer, Float, Operator, End };

struct Token {
    TokenType type = TokenType::End;
    std::string text;  // Text: the literal text; String: the unescaped value; others: as written
    int line = 1;
    int column = 1;
};

// Lexes with Hugging Face's settings (trim_blocks, lstrip_blocks, keep_trailing_newline off).
// Throws ponder::Error "<name>:<line>:<column>: ..." for unterminated tags, strings or comments.
std::vector<Token> lex(std::string_view source, const std::string& name);

}  // namespace ponder::chat::jinja
