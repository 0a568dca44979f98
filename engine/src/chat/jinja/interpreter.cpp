// interpreter.cpp: statement execution and expression evaluation for Jinja templates.
#include "chat/jinja/interpreter.h"

#include <cmath>

namespace ponder::chat::jinja {

const Value* Scope::lookup(const std::string& name) const {
    for (const Scope* s = this; s; s = s->parent.get()) {
        auto it = s->vars.find(name);
        if (it != s->vars.end()) return &it->second;
    }
    return nullptr;
}

namespace {
constexpr int kMaxMacroDepth = 64;
constexpr std::size_t kMaxOutput = std::size_t{256} << 20;  // a template producing more is broken
constexpr std::int64_t kMaxSteps = 1'000'000;               // loop iterations + macro calls per render

std::shared_ptr<Scope> child(const std::shared_ptr<Scope>& parent) {
    auto s = std::make_shared<Scope>();
    s->parent = parent;
    return s;
}
}  // namespace

std::string Interpreter::render(const Program& program, const Value& variables) {
    auto globals = std::make_shared<Scope>();
    install_globals(*globals, m_options);
    auto top = child(globals);
    if (variables.is_dict())
        for (const auto& [k, v] : variables.dict->items) top->vars[k] = v;
    std::string out;
    exec(program.body, top, out);
    return out;
}

void Interpreter::step() {
    if (++m_steps > kMaxSteps)
        fail("%s: template runs too long (more than %lld loop iterations)", m_name.c_str(),
             static_cast<long long>(kMaxSteps));
}

Interpreter::Flow Interpreter::exec(const Body& body, const std::shared_ptr<Scope>& scope, std::string& out) {
    for (const auto& s : body) {
        const Flow f = exec_stmt(*s, scope, out);
        if (f != Flow::Normal) return f;
        if (out.size() > kMaxOutput) fail("%s: rendered text exceeds %zu bytes", m_name.c_str(), kMaxOutput);
    }
    return Flow::Normal;
}

Interpreter::Flow Interpreter::exec_stmt(const Stmt& s, const std::shared_ptr<Scope>& scope, std::string& out) {
    switch (s.kind) {
    case StmtKind::Text: out += s.text; return Flow::Normal;
    case StmtKind::Print: out += to_str(eval(*s.expr, scope)); return Flow::Normal;
    case StmtKind::If:
        for (std::size_t k = 0; k < s.conditions.size(); ++k)
            if (truthy(eval(*s.conditions[k], scope))) return exec(s.bodies[k], scope, out);
        if (s.bodies.size() > s.conditions.size()) return exec(s.bodies.back(), scope, out);
        return Flow::Normal;
    case StmtKind::For: return exec_for(s, scope, out);
    case StmtKind::Set: exec_set(s, scope, eval(*s.expr, scope)); return Flow::Normal;
    case StmtKind::SetBlock: {
        std::string captured;
        exec(s.bodies[0], scope, captured);
        scope->vars[s.targets[0]] = Value::string(std::move(captured));
        return Flow::Normal;
    }
    case StmtKind::Macro: scope->vars[s.name] = make_macro(s, scope); return Flow::Normal;
    case StmtKind::Break: return Flow::Break;
    case StmtKind::Continue: return Flow::Continue;
    case StmtKind::Scope: return exec(s.bodies[0], scope, out);
    }
    return Flow::Normal;
}

void Interpreter::exec_set(const Stmt& s, const std::shared_ptr<Scope>& scope, const Value& value) {
    if (!s.attribute.empty()) {
        const Value* target = scope->lookup(s.targets[0]);
        if (!target || target->kind != Kind::Namespace)
            throw LocatedError(strprintf("%s:%d:%d: can only assign attributes of a namespace ('%s' is not one)",
                                         m_name.c_str(), s.line, s.column, s.targets[0].c_str()));
        target->dict->set(s.attribute, value);
        return;
    }
    if (s.targets.size() == 1) {
        scope->vars[s.targets[0]] = value;
        return;
    }
    List items = iterate(value);
    if (items.size() != s.targets.size())
        throw LocatedError(strprintf("%s:%d:%d: cannot unpack %zu values into %zu names", m_name.c_str(), s.line,
                                     s.column, items.size(), s.targets.size()));
    for (std::size_t k = 0; k < items.size(); ++k) scope->vars[s.targets[k]] = items[k];
}

Interpreter::Flow Interpreter::exec_for(const Stmt& s, const std::shared_ptr<Scope>& scope, std::string& out) {
    const Value iterable = eval(*s.expr, scope);
    List items = iterate(iterable);
    auto bind = [&](Scope& target, const Value& item) {
        if (s.targets.size() == 1) {
            target.vars[s.targets[0]] = item;
            return;
        }
        List parts = iterate(item);
        if (parts.size() != s.targets.size())
            throw LocatedError(strprintf("%s:%d:%d: cannot unpack %zu values into %zu loop variables", m_name.c_str(),
                                         s.line, s.column, parts.size(), s.targets.size()));
        for (std::size_t k = 0; k < parts.size(); ++k) target.vars[s.targets[k]] = parts[k];
    };
    if (s.filter) {  // "for x in xs if cond": filtered before the loop, so loop.length counts kept items
        List kept;
        for (const Value& item : items) {
            auto probe = child(scope);
            bind(*probe, item);
            if (truthy(eval(*s.filter, probe))) kept.push_back(item);
        }
        items = std::move(kept);
    }
    if (items.empty()) {
        if (s.bodies.size() > 1) return exec(s.bodies[1], scope, out);
        return Flow::Normal;
    }
    const auto n = static_cast<std::int64_t>(items.size());
    // One loop object per loop, updated in place each iteration (as Jinja2's LoopContext is).
    auto position = std::make_shared<std::int64_t>(0);
    Value loop = Value::make_dict();
    auto& d = loop.dict->items;
    for (const char* key : {"index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0",
                            "previtem", "nextitem"})
        d.emplace_back(key, Value());
    d[6].second = Value::integer(n);
    d[7].second = Value::integer(1);
    d[8].second = Value::integer(0);
    d.emplace_back("cycle", Value::function([position](CallArgs& args) {
                       if (args.positional.empty()) fail("no items for cycling given");
                       return args.positional[static_cast<std::size_t>(*position) % args.positional.size()];
                   }));
    for (std::int64_t k = 0; k < n; ++k) {
        step();
        auto body_scope = child(scope);
        bind(*body_scope, items[static_cast<std::size_t>(k)]);
        *position = k;
        d[0].second = Value::integer(k + 1);
        d[1].second = Value::integer(k);
        d[2].second = Value::integer(n - k);
        d[3].second = Value::integer(n - k - 1);
        d[4].second = Value::boolean(k == 0);
        d[5].second = Value::boolean(k == n - 1);
        d[9].second = k > 0 ? items[static_cast<std::size_t>(k - 1)] : Value::undefined("loop.previtem");
        d[10].second = k + 1 < n ? items[static_cast<std::size_t>(k + 1)] : Value::undefined("loop.nextitem");
        body_scope->vars["loop"] = loop;
        const Flow f = exec(s.bodies[0], body_scope, out);
        if (f == Flow::Break) break;
    }
    return Flow::Normal;
}

Value Interpreter::make_macro(const Stmt& s, const std::shared_ptr<Scope>& scope) {
    const Stmt* def = &s;
    std::weak_ptr<Scope> weak = scope;  // the defining scope outlives calls made while rendering
    return Value::function([this, def, weak](CallArgs& args) -> Value {
        auto parent = weak.lock();
        if (!parent) fail("macro '%s' called after its scope ended", def->name.c_str());
        step();
        if (m_depth >= kMaxMacroDepth) fail("macro '%s': recursion deeper than %d", def->name.c_str(), kMaxMacroDepth);
        auto local = child(parent);
        if (args.positional.size() > def->params.size())
            fail("macro '%s' takes not more than %zu argument(s)", def->name.c_str(), def->params.size());
        for (std::size_t k = 0; k < def->params.size(); ++k) {
            const MacroParam& p = def->params[k];
            if (const Value* v = args.get(k, p.name))
                local->vars[p.name] = *v;
            else if (p.default_value)
                local->vars[p.name] = eval(*p.default_value, local);
            else
                local->vars[p.name] = Value::undefined(p.name);
        }
        for (const auto& [key, v] : args.keyword) {
            bool known = false;
            for (const auto& p : def->params) known = known || p.name == key;
            if (!known) fail("macro '%s' takes no keyword argument '%s'", def->name.c_str(), key.c_str());
        }
        std::string out;
        ++m_depth;
        try {
            exec(def->bodies[0], local, out);
        } catch (...) {
            --m_depth;
            throw;
        }
        --m_depth;
        return Value::string(std::move(out));
    });
}

Value Interpreter::eval(const Expr& e, const std::shared_ptr<Scope>& scope) {
    try {
        return eval_inner(e, scope);
    } catch (const TemplateRaise&) {
        throw;
    } catch (const LocatedError&) {
        throw;
    } catch (const Error& err) {
        throw LocatedError(strprintf("%s:%d:%d: %s", m_name.c_str(), e.line, e.column, err.what()));
    }
}

Value Interpreter::call(const Value& callee, CallArgs& args) {
    if (callee.kind != Kind::Function) {
        if (callee.is_undefined()) fail("'%s' is undefined", callee.s.empty() ? "value" : callee.s.c_str());
        fail("'%s' object is not callable", type_name(callee).c_str());
    }
    return (*callee.fn)(args);
}

Value Interpreter::eval_inner(const Expr& e, const std::shared_ptr<Scope>& scope) {
    switch (e.kind) {
    case ExprKind::Literal: return e.value;
    case ExprKind::Name: {
        const Value* v = scope->lookup(e.name);
        return v ? *v : Value::undefined(e.name);
    }
    case ExprKind::ListLit:
    case ExprKind::TupleLit: {
        List items;
        for (const auto& item : e.items) items.push_back(eval(*item, scope));
        Value v = Value::make_list(std::move(items));
        v.is_tuple = e.kind == ExprKind::TupleLit;
        return v;
    }
    case ExprKind::DictLit: {
        Value d = Value::make_dict();
        for (std::size_t k = 0; k + 1 < e.items.size(); k += 2) {
            const Value key = eval(*e.items[k], scope);
            d.dict->set(key.is_string() ? key.s : to_str(key), eval(*e.items[k + 1], scope));
        }
        return d;
    }
    case ExprKind::GetAttr: return get_attr(eval(*e.items[0], scope), e.name);
    case ExprKind::GetItem: return get_item(eval(*e.items[0], scope), eval(*e.items[1], scope));
    case ExprKind::Slice: {
        const Value obj = eval(*e.items[0], scope);
        auto part = [&](std::size_t k) { return e.items[k] ? eval(*e.items[k], scope) : Value::none(); };
        return slice(obj, part(1), part(2), part(3));
    }
    case ExprKind::Call: {
        const Value callee = eval(*e.items[0], scope);
        CallArgs args;
        for (std::size_t k = 1; k < e.items.size(); ++k) args.positional.push_back(eval(*e.items[k], scope));
        for (const auto& [key, v] : e.kwargs) args.keyword.emplace_back(key, eval(*v, scope));
        return call(callee, args);
    }
    case ExprKind::Filter: {
        const Value subject = eval(*e.items[0], scope);
        CallArgs args;
        for (std::size_t k = 1; k < e.items.size(); ++k) args.positional.push_back(eval(*e.items[k], scope));
        for (const auto& [key, v] : e.kwargs) args.keyword.emplace_back(key, eval(*v, scope));
        return apply_filter(e.name, subject, args);
    }
    case ExprKind::Test: {
        const Value subject = eval(*e.items[0], scope);
        CallArgs args;
        for (std::size_t k = 1; k < e.items.size(); ++k) args.positional.push_back(eval(*e.items[k], scope));
        for (const auto& [key, v] : e.kwargs) args.keyword.emplace_back(key, eval(*v, scope));
        return Value::boolean(apply_test(e.name, subject, args) != e.negated);
    }
    case ExprKind::Unary: {
        const Value v = eval(*e.items[0], scope);
        if (e.name == "not") return Value::boolean(!truthy(v));
        if (v.kind == Kind::Int) return Value::integer(e.name == "-" ? -v.i : v.i);
        if (v.kind == Kind::Float) return Value::number(e.name == "-" ? -v.f : v.f);
        if (v.kind == Kind::Bool) return Value::integer(e.name == "-" ? -int(v.b) : int(v.b));
        fail("bad operand type for unary %s: '%s'", e.name.c_str(), type_name(v).c_str());
    }
    case ExprKind::Binary: return eval_binary(e, scope);
    case ExprKind::Compare: return eval_compare(e, scope);
    case ExprKind::Conditional:
        if (truthy(eval(*e.items[0], scope))) return eval(*e.items[1], scope);
        return e.items[2] ? eval(*e.items[2], scope) : Value::undefined();
    }
    return Value::undefined();
}

namespace {

[[noreturn]] void bad_operands(const char* op, const Value& a, const Value& b) {
    if (a.is_undefined() || b.is_undefined()) {
        const Value& u = a.is_undefined() ? a : b;
        fail("'%s' is undefined", u.s.empty() ? "value" : u.s.c_str());
    }
    fail("unsupported operand type(s) for %s: '%s' and '%s'", op, type_name(a).c_str(), type_name(b).c_str());
}

bool numeric(const Value& v) { return v.kind == Kind::Int || v.kind == Kind::Float || v.kind == Kind::Bool; }
std::int64_t as_int(const Value& v) { return v.kind == Kind::Bool ? v.b : v.i; }

// Python's "fmt % args" for the conversions templates use: %s %r %d %i %f %%.
std::string percent_format(const std::string& fmt, const Value& args) {
    List items = args.is_list() && args.is_tuple ? *args.list : List{args};
    std::size_t next = 0;
    std::string out;
    for (std::size_t k = 0; k < fmt.size(); ++k) {
        if (fmt[k] != '%') {
            out += fmt[k];
            continue;
        }
        if (k + 1 >= fmt.size()) fail("incomplete format");
        const char c = fmt[++k];
        if (c == '%') {
            out += '%';
            continue;
        }
        if (next >= items.size()) fail("not enough arguments for format string");
        const Value& v = items[next++];
        if (c == 's')
            out += to_str(v);
        else if (c == 'r')
            out += repr(v);
        else if ((c == 'd' || c == 'i') && (v.is_number() || v.kind == Kind::Bool))
            out += std::to_string(v.kind == Kind::Float  ? static_cast<std::int64_t>(v.f)
                                  : v.kind == Kind::Bool ? v.b
                                                         : v.i);
        else if (c == 'f' && (v.is_number() || v.kind == Kind::Bool))
            out += strprintf("%f", v.as_double());
        else
            fail("unsupported format conversion '%%%c' for %s", c, type_name(v).c_str());
    }
    if (next < items.size()) fail("not all arguments converted during string formatting");
    return out;
}

Value arithmetic(const std::string& op, const Value& a, const Value& b) {
    if (op == "+") {
        if (a.is_string() && b.is_string()) return Value::string(a.s + b.s);
        if (a.is_list() && b.is_list()) {
            List items = *a.list;
            items.insert(items.end(), b.list->begin(), b.list->end());
            return Value::make_list(std::move(items));
        }
    }
    if (op == "*") {
        const Value* str = a.is_string() ? &a : b.is_string() ? &b : nullptr;
        const Value* count = str == &a ? &b : &a;
        if (str && (count->kind == Kind::Int || count->kind == Kind::Bool)) {
            std::string out;
            const std::int64_t n = as_int(*count);
            if (n > 0 && str->s.size() * static_cast<std::size_t>(n) > (std::size_t{64} << 20))
                fail("string repetition too large");
            for (std::int64_t k = 0; k < n; ++k) out += str->s;
            return Value::string(std::move(out));
        }
    }
    if (op == "%" && a.is_string()) return Value::string(percent_format(a.s, b));
    if (!numeric(a) || !numeric(b)) bad_operands(op.c_str(), a, b);
    const bool ints = a.kind != Kind::Float && b.kind != Kind::Float;
    const double x = a.as_double(), y = b.as_double();
    if (op == "+") return ints ? Value::integer(as_int(a) + as_int(b)) : Value::number(x + y);
    if (op == "-") return ints ? Value::integer(as_int(a) - as_int(b)) : Value::number(x - y);
    if (op == "*") return ints ? Value::integer(as_int(a) * as_int(b)) : Value::number(x * y);
    if (op == "/") {
        if (y == 0) fail("division by zero");
        return Value::number(x / y);
    }
    if (op == "//" || op == "%") {
        if (y == 0) fail("integer division or modulo by zero");
        if (ints) {
            const std::int64_t p = as_int(a), q = as_int(b);
            std::int64_t d = p / q, r = p % q;
            if (r != 0 && ((r < 0) != (q < 0))) {
                --d;
                r += q;
            }
            return Value::integer(op == "//" ? d : r);
        }
        const double d = std::floor(x / y);
        return Value::number(op == "//" ? d : x - d * y);
    }
    if (op == "**") {
        if (ints && as_int(b) >= 0) {
            std::int64_t r = 1;
            for (std::int64_t k = 0; k < as_int(b) && k < 64; ++k) r *= as_int(a);
            return Value::integer(r);
        }
        return Value::number(std::pow(x, y));
    }
    fail("unknown operator %s", op.c_str());
}

}  // namespace

Value Interpreter::eval_binary(const Expr& e, const std::shared_ptr<Scope>& scope) {
    const std::string& op = e.name;
    if (op == "and") {
        Value l = eval(*e.items[0], scope);
        return truthy(l) ? eval(*e.items[1], scope) : l;
    }
    if (op == "or") {
        Value l = eval(*e.items[0], scope);
        return truthy(l) ? l : eval(*e.items[1], scope);
    }
    const Value l = eval(*e.items[0], scope);
    const Value r = eval(*e.items[1], scope);
    if (op == "~") return Value::string(to_str(l) + to_str(r));
    return arithmetic(op, l, r);
}

Value Interpreter::eval_compare(const Expr& e, const std::shared_ptr<Scope>& scope) {
    Value left = eval(*e.items[0], scope);
    for (std::size_t k = 0; k < e.ops.size(); ++k) {
        Value right = eval(*e.items[k + 1], scope);
        const std::string& op = e.ops[k];
        bool ok;
        if (op == "==")
            ok = equals(left, right);
        else if (op == "!=")
            ok = !equals(left, right);
        else if (op == "<")
            ok = py_less(left, right);
        else if (op == ">")
            ok = py_less(right, left);
        else if (op == "<=")
            ok = !py_less(right, left);
        else if (op == ">=")
            ok = !py_less(left, right);
        else if (op == "in")
            ok = contains(right, left);
        else
            ok = !contains(right, left);
        if (!ok) return Value::boolean(false);
        left = std::move(right);
    }
    return Value::boolean(true);
}

}  // namespace ponder::chat::jinja
