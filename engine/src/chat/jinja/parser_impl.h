// parser_impl.h: the recursive-descent Parser shared by parser.cpp (statements) and parser_expr.cpp (expressions).
#pragma once

#include "chat/jinja/parser.h"
#include "util/error.h"

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace ponder::chat::jinja::detail {

// Deeper nesting than this is not a real template; refusing it keeps recursion off the stack limit.
constexpr int kMaxNesting = 300;
// Longest operator/attribute/filter chain: evaluation recurses once per link.
constexpr int kMaxExprDepth = 400;

class Parser {
public:
    Parser(std::vector<Token> tokens, const std::string& name) : m_tokens(std::move(tokens)), m_name(name) {}

    std::shared_ptr<const Program> run() {
        auto program = std::make_shared<Program>();
        std::string stop;
        program->body = parse_body({}, stop);
        return program;
    }

private:
    const Token& cur() const { return m_tokens[m_pos]; }
    const Token& peek(std::size_t n = 1) const { return m_tokens[std::min(m_pos + n, m_tokens.size() - 1)]; }
    Token next() { return m_tokens[m_pos < m_tokens.size() - 1 ? m_pos++ : m_pos]; }

    [[noreturn]] void error(const Token& t, const std::string& what) const {
        fail("%s:%d:%d: %s", m_name.c_str(), t.line, t.column, what.c_str());
    }
    bool is_op(const char* op) const { return cur().type == TokenType::Operator && cur().text == op; }
    bool is_name(const char* n) const { return cur().type == TokenType::Name && cur().text == n; }
    void expect_op(const char* op) {
        if (!is_op(op)) error(cur(), std::string("expected '") + op + "', got " + describe(cur()));
        next();
    }
    std::string expect_name() {
        if (cur().type != TokenType::Name) error(cur(), "expected a name, got " + describe(cur()));
        return next().text;
    }
    void expect_block_end() {
        if (cur().type != TokenType::BlockEnd) error(cur(), "expected end of statement '%}', got " + describe(cur()));
        next();
    }
    static std::string describe(const Token& t) {
        switch (t.type) {
        case TokenType::End: return "end of template";
        case TokenType::BlockEnd: return "'%}'";
        case TokenType::VarEnd: return "'}}'";
        case TokenType::String: return "string";
        default: return "'" + t.text + "'";
        }
    }

    template <typename T>
    static std::unique_ptr<T> at(const Token& t) {
        auto n = std::make_unique<T>();
        n->line = t.line;
        n->column = t.column;
        return n;
    }

    // Parses statements until one of the `stops` block keywords; `stop` receives which (the keyword
    // is consumed, its block end is not).
    Body parse_body(std::initializer_list<const char*> stops, std::string& stop);

    StmtPtr parse_statement();

    StmtPtr parse_if(const Token& kw);

    std::vector<std::string> parse_targets();

    StmtPtr parse_for(const Token& kw);

    StmtPtr parse_set(const Token& kw);

    StmtPtr parse_macro(const Token& kw);

    // ---- expressions ----

    ExprPtr make(ExprKind kind, const Token& t);

    // A bare tuple "a, b" is allowed at statement level.
    ExprPtr parse_tuple_or_expr(bool with_condexpr = true);

    ExprPtr parse_expr();

    // Records the node's depth and refuses chains too long to evaluate recursively.
    ExprPtr finish(ExprPtr e);

    ExprPtr binary(const Token& t, const std::string& op, ExprPtr l, ExprPtr r);

    ExprPtr parse_or();
    ExprPtr parse_and();
    ExprPtr parse_not();
    ExprPtr parse_compare();
    ExprPtr parse_math1();
    ExprPtr parse_concat();
    ExprPtr parse_math2();
    ExprPtr parse_pow();
    ExprPtr parse_unary(bool with_filter = true);

    ExprPtr parse_primary();

    void parse_call_args(Expr& call);

    ExprPtr parse_postfix(ExprPtr e);

    ExprPtr parse_subscript(const Token& t, ExprPtr obj);

    ExprPtr parse_filter_expr(ExprPtr e);

    struct DepthGuard {
        DepthGuard(Parser& p) : parser(p) {
            if (++parser.m_nesting > kMaxNesting) parser.error(parser.cur(), "nesting too deep");
        }
        ~DepthGuard() { --parser.m_nesting; }
        Parser& parser;
    };

    std::vector<Token> m_tokens;
    std::size_t m_pos = 0;
    int m_nesting = 0;
    const std::string& m_name;
};

}  // namespace ponder::chat::jinja::detail
