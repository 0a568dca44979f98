// parser.cpp: Jinja statements (if/for/set/macro/...) and the parse() entry point; expressions are in parser_expr.cpp.
#include "chat/jinja/parser_impl.h"

namespace ponder::chat::jinja {
namespace detail {

Body Parser::parse_body(std::initializer_list<const char*> stops, std::string& stop) {
    DepthGuard guard(*this);
    Body body;
    for (;;) {
        const Token& t = cur();
        if (t.type == TokenType::End) {
            if (stops.size() != 0)
                error(t, std::string("unexpected end of template, expected '") + *(stops.end() - 1) + "'");
            return body;
        }
        if (t.type == TokenType::Text) {
            auto s = at<Stmt>(t);
            s->kind = StmtKind::Text;
            s->text = t.text;
            next();
            body.push_back(std::move(s));
        } else if (t.type == TokenType::VarBegin) {
            next();
            auto s = at<Stmt>(t);
            s->kind = StmtKind::Print;
            s->expr = parse_tuple_or_expr();
            if (cur().type != TokenType::VarEnd) error(cur(), "expected '}}', got " + describe(cur()));
            next();
            body.push_back(std::move(s));
        } else if (t.type == TokenType::BlockBegin) {
            const Token& kw = peek();
            if (kw.type != TokenType::Name) error(kw, "expected a statement name");
            for (const char* s : stops) {
                if (kw.text == s) {
                    next();
                    next();
                    stop = s;
                    return body;
                }
            }
            next();
            body.push_back(parse_statement());
        } else {
            error(t, "unexpected " + describe(t));
        }
    }
}

StmtPtr Parser::parse_statement() {
    const Token kw = next();
    const std::string& k = kw.text;
    if (k == "if") return parse_if(kw);
    if (k == "for") return parse_for(kw);
    if (k == "set") return parse_set(kw);
    if (k == "macro") return parse_macro(kw);
    if (k == "break" || k == "continue") {
        auto s = at<Stmt>(kw);
        s->kind = k == "break" ? StmtKind::Break : StmtKind::Continue;
        expect_block_end();
        return s;
    }
    if (k == "generation") {  // Hugging Face's assistant-mask tag: renders its body
        expect_block_end();
        auto s = at<Stmt>(kw);
        s->kind = StmtKind::Scope;
        std::string stop;
        s->bodies.push_back(parse_body({"endgeneration"}, stop));
        expect_block_end();
        return s;
    }
    if (k == "extends" || k == "include" || k == "import" || k == "from" || k == "block" || k == "call" ||
        k == "filter" || k == "with" || k == "autoescape" || k == "do")
        error(kw, "unsupported statement '" + k + "'");
    error(kw, "unknown statement '" + k + "'");
}

StmtPtr Parser::parse_if(const Token& kw) {
    auto s = at<Stmt>(kw);
    s->kind = StmtKind::If;
    s->conditions.push_back(parse_tuple_or_expr());
    expect_block_end();
    for (;;) {
        std::string stop;
        s->bodies.push_back(parse_body({"elif", "else", "endif"}, stop));
        if (stop == "elif") {
            s->conditions.push_back(parse_tuple_or_expr());
            expect_block_end();
        } else if (stop == "else") {
            expect_block_end();
            s->bodies.push_back(parse_body({"endif"}, stop));
            expect_block_end();
            return s;
        } else {
            expect_block_end();
            return s;
        }
    }
}

std::vector<std::string> Parser::parse_targets() {
    std::vector<std::string> names;
    const bool paren = is_op("(");
    if (paren) next();
    names.push_back(expect_name());
    while (is_op(",")) {
        next();
        if (cur().type != TokenType::Name) break;
        names.push_back(expect_name());
    }
    if (paren) expect_op(")");
    return names;
}

StmtPtr Parser::parse_for(const Token& kw) {
    auto s = at<Stmt>(kw);
    s->kind = StmtKind::For;
    s->targets = parse_targets();
    if (!is_name("in")) error(cur(), "expected 'in' in for loop");
    next();
    s->expr = parse_tuple_or_expr(/*with_condexpr=*/false);
    if (is_name("if")) {
        next();
        s->filter = parse_expr();
    }
    if (is_name("recursive")) error(cur(), "unsupported: recursive for loops");
    expect_block_end();
    std::string stop;
    s->bodies.push_back(parse_body({"else", "endfor"}, stop));
    if (stop == "else") {
        expect_block_end();
        s->bodies.push_back(parse_body({"endfor"}, stop));
    }
    expect_block_end();
    return s;
}

StmtPtr Parser::parse_set(const Token& kw) {
    auto s = at<Stmt>(kw);
    s->kind = StmtKind::Set;
    if (cur().type == TokenType::Name && peek().type == TokenType::Operator && peek().text == ".") {
        s->targets.push_back(next().text);
        next();
        s->attribute = expect_name();
    } else {
        s->targets = parse_targets();
    }
    if (cur().type == TokenType::BlockEnd && s->attribute.empty() && s->targets.size() == 1) {
        next();
        s->kind = StmtKind::SetBlock;
        std::string stop;
        s->bodies.push_back(parse_body({"endset"}, stop));
        expect_block_end();
        return s;
    }
    expect_op("=");
    s->expr = parse_tuple_or_expr();
    expect_block_end();
    return s;
}

StmtPtr Parser::parse_macro(const Token& kw) {
    auto s = at<Stmt>(kw);
    s->kind = StmtKind::Macro;
    s->name = expect_name();
    expect_op("(");
    while (!is_op(")")) {
        MacroParam p;
        p.name = expect_name();
        if (is_op("=")) {
            next();
            p.default_value = parse_expr();
        }
        s->params.push_back(std::move(p));
        if (!is_op(",")) break;
        next();
    }
    expect_op(")");
    expect_block_end();
    std::string stop;
    s->bodies.push_back(parse_body({"endmacro"}, stop));
    if (cur().type == TokenType::Name) next();  // {% endmacro name %}
    expect_block_end();
    return s;
}

}  // namespace detail

std::shared_ptr<const Program> parse(std::string_view source, const std::string& name) {
    return detail::Parser(lex(source, name), name).run();
}

}  // namespace ponder::chat::jinja
