// parser.h: builds a Program (ast.h) from Jinja tokens; rejects unsupported statements at compile time.
#pragma once

#include "chat/jinja/ast.h"
#include "chat/jinja/lexer.h"

#include <memory>
#include <string>
#include <string_view>

namespace ponder::chat::jinja {

// Throws ponder::Error "<name>:<line>:<column>: ..." on a syntax error or an unsupported construct
// (extends, include, import, raw, call blocks ...).
std::shared_ptr<const Program> parse(std::string_view source, const std::string& name);

}  // namespace ponder::chat::jinja
