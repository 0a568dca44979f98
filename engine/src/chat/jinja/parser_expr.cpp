// parser_expr.cpp: Jinja expressions with Jinja2's operator precedence (or, and, not, compare, + -, ~, * / // %, **,
// unary, postfix, filters and tests).
#include "chat/jinja/parser_impl.h"

#include <cstdlib>

namespace ponder::chat::jinja::detail {

ExprPtr Parser::make(ExprKind kind, const Token& t) {
    auto e = at<Expr>(t);
    e->kind = kind;
    return e;
}

ExprPtr Parser::parse_tuple_or_expr(bool with_condexpr) {
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

ExprPtr Parser::parse_expr() {
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

ExprPtr Parser::finish(ExprPtr e) {
    int depth = 0;
    for (const auto& item : e->items)
        if (item) depth = std::max(depth, item->depth);
    for (const auto& kw : e->kwargs) depth = std::max(depth, kw.second->depth);
    e->depth = depth + 1;
    if (e->depth > kMaxExprDepth) fail("%s:%d:%d: expression nested too deeply", m_name.c_str(), e->line, e->column);
    return e;
}

ExprPtr Parser::binary(const Token& t, const std::string& op, ExprPtr l, ExprPtr r) {
    auto b = make(ExprKind::Binary, t);
    b->name = op;
    b->items.push_back(std::move(l));
    b->items.push_back(std::move(r));
    return finish(std::move(b));
}

ExprPtr Parser::parse_or() {
    ExprPtr l = parse_and();
    while (is_name("or")) {
        const Token t = next();
        l = binary(t, "or", std::move(l), parse_and());
    }
    return l;
}

ExprPtr Parser::parse_and() {
    ExprPtr l = parse_not();
    while (is_name("and")) {
        const Token t = next();
        l = binary(t, "and", std::move(l), parse_not());
    }
    return l;
}

ExprPtr Parser::parse_not() {
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

ExprPtr Parser::parse_compare() {
    const Token start = cur();
    ExprPtr l = parse_math1();
    ExprPtr cmp;
    for (;;) {
        std::string op;
        if (cur().type == TokenType::Operator && (cur().text == "==" || cur().text == "!=" || cur().text == "<" ||
                                                  cur().text == "<=" || cur().text == ">" || cur().text == ">=")) {
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

ExprPtr Parser::parse_concat() {
    ExprPtr l = parse_math2();
    while (is_op("~")) {
        const Token t = next();
        l = binary(t, "~", std::move(l), parse_math2());
    }
    return l;
}

ExprPtr Parser::parse_pow() {
    ExprPtr l = parse_unary();
    while (is_op("**")) {
        const Token t = next();
        l = binary(t, "**", std::move(l), parse_unary());
    }
    return l;
}

ExprPtr Parser::parse_unary(bool with_filter) {
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

ExprPtr Parser::parse_primary() {
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

void Parser::parse_call_args(Expr& call) {
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

ExprPtr Parser::parse_postfix(ExprPtr e) {
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

ExprPtr Parser::parse_subscript(const Token& t, ExprPtr obj) {
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

ExprPtr Parser::parse_filter_expr(ExprPtr e) {
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
                       !is_name("else") && !is_name("or") && !is_name("and") && !is_name("if") && !is_name("in") &&
                       !is_name("not") && !is_name("is")) {
                ExprPtr arg = parse_primary();
                x->items.push_back(parse_postfix(std::move(arg)));
            }
            e = finish(std::move(x));
        } else {
            return e;
        }
    }
}

ExprPtr Parser::parse_math1() {
    ExprPtr l = parse_concat();
    while (is_op("+") || is_op("-")) {
        const Token t = next();
        l = binary(t, t.text, std::move(l), parse_concat());
    }
    return l;
}

ExprPtr Parser::parse_math2() {
    ExprPtr l = parse_pow();
    while (is_op("*") || is_op("/") || is_op("//") || is_op("%")) {
        const Token t = next();
        l = binary(t, t.text, std::move(l), parse_pow());
    }
    return l;
}

}  // namespace ponder::chat::jinja::detail
