// parser.cpp: recursive-descent Jinja parser with Jinja2's operator precedence.
#include "chat/jinja/parser.h"

#include "util/error.h"

#include <algorithm>
#include <cstdlib>

namespace ponder::chat::jinja {
namespace {

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
    const Token& peek(std::size_t n = 1) const {
        return m_tokens[std::min(m_pos + n, m_tokens.size() - 1)];
    }
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
    Body parse_body(std::initializer_list<const char*> stops, std::string& stop) {
        DepthGuard guard(*this);
        Body body;
        for (;;) {
            const Token& t = cur();
            if (t.type == TokenType::End) {
                if (stops.size() != 0) error(t, std::string("unexpected end of template, expected '") + *(stops.end() - 1) + "'");
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

    StmtPtr parse_statement() {
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
        if (k == "extends" || k == "include" || k == "import" || k == "from" || k == "block" ||
            k == "call" || k == "filter" || k == "with" || k == "autoescape" || k == "do")
            error(kw, "unsupported statement '" + k + "'");
        error(kw, "unknown statement '" + k + "'");
    }

    StmtPtr parse_if(const Token& kw) {
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

    std::vector<std::string> parse_targets() {
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

    StmtPtr parse_for(const Token& kw) {
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

    StmtPtr parse_set(const Token& kw) {
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

    StmtPtr parse_macro(const Token& kw) {
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

    // ---- expressions ----

    ExprPtr make(ExprKind kind, const Token& t) {
        auto e = at<Expr>(t);
        e->kind = kind;
        return e;
    }

    // A bare tuple "a, b" is allowed at statement level.
    ExprPtr parse_tuple_or_expr(bool with_condexpr = true) {
        const Token start = cur();
        ExprPtr first = with_condexpr ? parse_expr() : parse_or();
        if (!is_op(",")) return first;
        auto tuple = make(ExprKind::TupleLit, start);
        tuple->items.push_back(std::move(first));
        while (is_op(",")) {
            next();
            if (cur().type == TokenType::BlockEnd || cur().type == TokenType::VarEnd) break;
            tuple->items.push_back(with_condexpr ? parse_expr() : parse_or());
        }
        return tuple;
    }

    ExprPtr parse_expr() {
        DepthGuard guard(*this);
        ExprPtr e = parse_or();
        while (is_name("if")) {
            const Token t = next();
            auto c = make(ExprKind::Conditional, t);
            c->items.push_back(parse_or());
            c->items.push_back(std::move(e));
            if (is_name("else")) {
                next();
                c->items.push_back(parse_expr());
            } else {
                c->items.push_back(nullptr);
            }
            e = finish(std::move(c));
        }
        return e;
    }

    // Records the node's depth and refuses chains too long to evaluate recursively.
    ExprPtr finish(ExprPtr e) {
        int depth = 0;
        for (const auto& item : e->items)
            if (item) depth = std::max(depth, item->depth);
        for (const auto& kw : e->kwargs) depth = std::max(depth, kw.second->depth);
        e->depth = depth + 1;
        if (e->depth > kMaxExprDepth) fail("%s:%d:%d: expression nested too deeply", m_name.c_str(), e->line, e->column);
        return e;
    }

    ExprPtr binary(const Token& t, const std::string& op, ExprPtr l, ExprPtr r) {
        auto b = make(ExprKind::Binary, t);
        b->name = op;
        b->items.push_back(std::move(l));
        b->items.push_back(std::move(r));
        return finish(std::move(b));
    }

    ExprPtr parse_or() {
        ExprPtr l = parse_and();
        while (is_name("or")) {
            const Token t = next();
            l = binary(t, "or", std::move(l), parse_and());
        }
        return l;
    }
    ExprPtr parse_and() {
        ExprPtr l = parse_not();
        while (is_name("and")) {
            const Token t = next();
            l = binary(t, "and", std::move(l), parse_not());
        }
        return l;
    }
    ExprPtr parse_not() {
        DepthGuard guard(*this);
        if (is_name("not")) {
            const Token t = next();
            auto u = make(ExprKind::Unary, t);
            u->name = "not";
            u->items.push_back(parse_not());
            return u;
        }
        return parse_compare();
    }
    ExprPtr parse_compare() {
        const Token start = cur();
        ExprPtr l = parse_math1();
        ExprPtr cmp;
        for (;;) {
            std::string op;
            if (cur().type == TokenType::Operator &&
                (cur().text == "==" || cur().text == "!=" || cur().text == "<" || cur().text == "<=" ||
                 cur().text == ">" || cur().text == ">=")) {
                op = next().text;
            } else if (is_name("in")) {
                next();
                op = "in";
            } else if (is_name("not") && peek().type == TokenType::Name && peek().text == "in") {
                next();
                next();
                op = "notin";
            } else {
                break;
            }
            if (!cmp) {
                cmp = make(ExprKind::Compare, start);
                cmp->items.push_back(std::move(l));
            }
            cmp->ops.push_back(op);
            cmp->items.push_back(parse_math1());
        }
        return cmp ? finish(std::move(cmp)) : std::move(l);
    }
    ExprPtr parse_math1() {
        ExprPtr l = parse_concat();
        while (is_op("+") || is_op("-")) {
            const Token t = next();
            l = binary(t, t.text, std::move(l), parse_concat());
        }
        return l;
    }
    ExprPtr parse_concat() {
        ExprPtr l = parse_math2();
        while (is_op("~")) {
            const Token t = next();
            l = binary(t, "~", std::move(l), parse_math2());
        }
        return l;
    }
    ExprPtr parse_math2() {
        ExprPtr l = parse_pow();
        while (is_op("*") || is_op("/") || is_op("//") || is_op("%")) {
            const Token t = next();
            l = binary(t, t.text, std::move(l), parse_pow());
        }
        return l;
    }
    ExprPtr parse_pow() {
        ExprPtr l = parse_unary();
        while (is_op("**")) {
            const Token t = next();
            l = binary(t, "**", std::move(l), parse_unary());
        }
        return l;
    }
    ExprPtr parse_unary(bool with_filter = true) {
        DepthGuard guard(*this);
        ExprPtr e;
        if (is_op("-") || is_op("+")) {
            const Token t = next();
            e = make(ExprKind::Unary, t);
            e->name = t.text;
            e->items.push_back(parse_unary(false));
        } else {
            e = parse_primary();
        }
        e = parse_postfix(std::move(e));
        if (with_filter) e = parse_filter_expr(std::move(e));
        return e;
    }

    ExprPtr parse_primary() {
        const Token t = cur();
        switch (t.type) {
            case TokenType::Name: {
                next();
                if (t.text == "true" || t.text == "True" || t.text == "false" || t.text == "False") {
                    auto e = make(ExprKind::Literal, t);
                    e->value = Value::boolean(t.text[0] == 't' || t.text[0] == 'T');
                    return e;
                }
                if (t.text == "none" || t.text == "None") {
                    auto e = make(ExprKind::Literal, t);
                    e->value = Value::none();
                    return e;
                }
                auto e = make(ExprKind::Name, t);
                e->name = t.text;
                return e;
            }
            case TokenType::String: {
                std::string s;
                while (cur().type == TokenType::String) s += next().text;  // adjacent literals join
                auto e = make(ExprKind::Literal, t);
                e->value = Value::string(std::move(s));
                return e;
            }
            case TokenType::Integer: {
                next();
                auto e = make(ExprKind::Literal, t);
                e->value = Value::integer(std::strtoll(t.text.c_str(), nullptr, 10));
                return e;
            }
            case TokenType::Float: {
                next();
                auto e = make(ExprKind::Literal, t);
                e->value = Value::number(std::strtod(t.text.c_str(), nullptr));
                return e;
            }
            case TokenType::Operator:
                if (t.text == "(") {
                    next();
                    if (is_op(")")) {
                        next();
                        return make(ExprKind::TupleLit, t);
                    }
                    ExprPtr inner = parse_expr();
                    if (is_op(",")) {
                        auto tuple = make(ExprKind::TupleLit, t);
                        tuple->items.push_back(std::move(inner));
                        while (is_op(",")) {
                            next();
                            if (is_op(")")) break;
                            tuple->items.push_back(parse_expr());
                        }
                        inner = std::move(tuple);
                    }
                    expect_op(")");
                    return inner;
                }
                if (t.text == "[") {
                    next();
                    auto e = make(ExprKind::ListLit, t);
                    while (!is_op("]")) {
                        e->items.push_back(parse_expr());
                        if (!is_op(",")) break;
                        next();
                    }
                    expect_op("]");
                    return e;
                }
                if (t.text == "{") {
                    next();
                    auto e = make(ExprKind::DictLit, t);
                    while (!is_op("}")) {
                        e->items.push_back(parse_expr());
                        expect_op(":");
                        e->items.push_back(parse_expr());
                        if (!is_op(",")) break;
                        next();
                    }
                    expect_op("}");
                    return e;
                }
                break;
            default: break;
        }
        error(t, "unexpected " + describe(t));
    }

    void parse_call_args(Expr& call) {
        expect_op("(");
        while (!is_op(")")) {
            if (is_op("*") || is_op("**")) error(cur(), "unsupported: *args/**kwargs in calls");
            if (cur().type == TokenType::Name && peek().type == TokenType::Operator && peek().text == "=") {
                std::string key = next().text;
                next();
                call.kwargs.emplace_back(std::move(key), parse_expr());
            } else {
                if (!call.kwargs.empty()) error(cur(), "positional argument after keyword argument");
                call.items.push_back(parse_expr());
            }
            if (!is_op(",")) break;
            next();
        }
        expect_op(")");
    }

    ExprPtr parse_postfix(ExprPtr e) {
        for (;;) {
            const Token t = cur();
            if (is_op(".")) {
                next();
                auto g = make(ExprKind::GetAttr, t);
                if (cur().type == TokenType::Integer) {
                    g->kind = ExprKind::GetItem;
                    g->items.push_back(std::move(e));
                    auto idx = make(ExprKind::Literal, cur());
                    idx->value = Value::integer(std::strtoll(next().text.c_str(), nullptr, 10));
                    g->items.push_back(std::move(idx));
                } else {
                    g->name = expect_name();
                    g->items.push_back(std::move(e));
                }
                e = finish(std::move(g));
            } else if (is_op("[")) {
                next();
                e = finish(parse_subscript(t, std::move(e)));
            } else if (is_op("(")) {
                auto c = make(ExprKind::Call, t);
                c->items.push_back(std::move(e));
                parse_call_args(*c);
                e = finish(std::move(c));
            } else {
                return e;
            }
        }
    }

    ExprPtr parse_subscript(const Token& t, ExprPtr obj) {
        ExprPtr parts[3];
        int colons = 0;
        if (!is_op(":")) parts[0] = parse_expr();
        while (is_op(":") && colons < 2) {
            next();
            ++colons;
            if (!is_op(":") && !is_op("]")) parts[colons] = parse_expr();
        }
        expect_op("]");
        if (colons == 0) {
            auto g = make(ExprKind::GetItem, t);
            g->items.push_back(std::move(obj));
            g->items.push_back(std::move(parts[0]));
            return g;
        }
        auto s = make(ExprKind::Slice, t);
        s->items.push_back(std::move(obj));
        for (auto& p : parts) s->items.push_back(std::move(p));
        return s;
    }

    ExprPtr parse_filter_expr(ExprPtr e) {
        for (;;) {
            const Token t = cur();
            if (is_op("|")) {
                next();
                auto f = make(ExprKind::Filter, t);
                f->name = expect_name();
                while (is_op(".")) {  // dotted filter names
                    next();
                    f->name += "." + expect_name();
                }
                f->items.push_back(std::move(e));
                if (is_op("(")) parse_call_args(*f);
                e = parse_postfix(finish(std::move(f)));
            } else if (is_name("is")) {
                next();
                auto x = make(ExprKind::Test, t);
                if (is_name("not")) {
                    next();
                    x->negated = true;
                }
                x->name = expect_name();
                while (is_op(".")) {
                    next();
                    x->name += "." + expect_name();
                }
                x->items.push_back(std::move(e));
                if (is_op("(")) {
                    parse_call_args(*x);
                } else if ((cur().type == TokenType::Name || cur().type == TokenType::String ||
                            cur().type == TokenType::Integer || cur().type == TokenType::Float || is_op("[") ||
                            is_op("{")) &&
                           !is_name("else") && !is_name("or") && !is_name("and") && !is_name("if") &&
                           !is_name("in") && !is_name("not") && !is_name("is")) {
                    ExprPtr arg = parse_primary();
                    x->items.push_back(parse_postfix(std::move(arg)));
                }
                e = finish(std::move(x));
            } else {
                return e;
            }
        }
    }

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

}  // namespace

std::shared_ptr<const Program> parse(std::string_view source, const std::string& name) {
    return Parser(lex(source, name), name).run();
}

}  // namespace ponder::chat::jinja
