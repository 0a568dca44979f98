// builtins_filters.cpp: the Jinja filters and tests that model chat templates use (Hugging Face's tojson included).
#include "chat/jinja/interpreter.h"

#include <algorithm>
#include <cmath>

namespace ponder::chat::jinja {
namespace {

// "a.b.0" attribute paths as in map(attribute=...), sort(attribute=...).
Value attribute_path(const Value& v, const std::string& path) {
    Value cur = v;
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = path.find('.', start);
        const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        const bool digits = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (cur.is_undefined()) return cur;
        cur = digits ? get_item(cur, Value::integer(std::stoll(part))) : get_item(cur, Value::string(part));
        if (dot == std::string::npos) return cur;
        start = dot + 1;
    }
}

Value sort_key(const Value& v, bool case_sensitive) {
    if (!case_sensitive && v.is_string()) return Value::string(change_case(v.s, false));
    return v;
}

bool bool_arg(const CallArgs& a, std::size_t i, const char* name, bool def) {
    const Value* v = a.get(i, name);
    return v ? truthy(*v) : def;
}

// Arguments after the first `skip` positionals, for map('filter', ...)/select('test', ...).
CallArgs rest(const CallArgs& a, std::size_t skip) {
    CallArgs r;
    for (std::size_t k = skip; k < a.positional.size(); ++k) r.positional.push_back(a.positional[k]);
    r.keyword = a.keyword;
    return r;
}

}  // namespace

Value Interpreter::apply_filter(const std::string& name, const Value& v, CallArgs& a) {
    if (name == "safe" || (name == "list" && v.is_list())) return v;
    if (name == "string") return Value::string(to_str(v));
    if (name == "length" || name == "count") return Value::integer(length(v));
    if (name == "trim") return Value::string(py_strip(to_str(v), a.get(0, "chars"), true, true));
    if (name == "upper" || name == "lower" || name == "title" || name == "capitalize") {
        CallArgs none;
        return call(get_attr(Value::string(to_str(v)), name), none);
    }
    if (name == "default" || name == "d") {
        const Value* def = a.get(0, "default_value");
        const bool boolean = bool_arg(a, 1, "boolean", false);
        if (v.is_undefined() || (boolean && !truthy(v))) return def ? *def : Value::string("");
        return v;
    }
    if (name == "tojson") {
        // Hugging Face: json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)
        JsonStyle style;
        style.ensure_ascii = bool_arg(a, 0, "ensure_ascii", false);
        const Value* indent = a.get(1, "indent");
        if (indent && !indent->is_none()) {
            if (indent->kind != Kind::Int || indent->i < 0 || indent->i > 64) fail("tojson indent must be a small integer");
            style.indent = static_cast<int>(indent->i);
        }
        if (const Value* seps = a.get(2, "separators"); seps && !seps->is_none()) {
            if (!seps->is_list() || seps->list->size() != 2 || !(*seps->list)[0].is_string() || !(*seps->list)[1].is_string())
                fail("tojson separators must be a pair of strings");
            style.item_separator = (*seps->list)[0].s;
            style.key_separator = (*seps->list)[1].s;
        }
        style.sort_keys = bool_arg(a, 3, "sort_keys", false);
        return Value::string(to_json_text(v, style));
    }
    if (name == "list") return Value::make_list(iterate(v));
    if (name == "items") {
        if (v.is_undefined()) return Value::make_list();
        if (!v.is_dict()) fail("items filter: expected a mapping, got %s", type_name(v).c_str());
        CallArgs none;
        return call(get_attr(v, "items"), none);
    }
    if (name == "dictsort") {
        if (!v.is_dict()) fail("dictsort filter: expected a mapping, got %s", type_name(v).c_str());
        const bool cs = bool_arg(a, 0, "case_sensitive", false);
        const Value* by = a.get(1, "by");
        const bool by_value = by && by->is_string() && by->s == "value";
        const bool reverse = bool_arg(a, 2, "reverse", false);
        CallArgs none;
        List items = *call(get_attr(v, "items"), none).list;
        std::stable_sort(items.begin(), items.end(), [&](const Value& x, const Value& y) {
            const std::size_t k = by_value ? 1 : 0;
            const Value kx = sort_key((*x.list)[k], cs), ky = sort_key((*y.list)[k], cs);
            return reverse ? py_less(ky, kx) : py_less(kx, ky);
        });
        return Value::make_list(std::move(items));
    }
    if (name == "sort") {
        const bool reverse = bool_arg(a, 0, "reverse", false);
        const bool cs = bool_arg(a, 1, "case_sensitive", false);
        const Value* attr = a.get(2, "attribute");
        List items = iterate(v);
        auto key = [&](const Value& x) {
            return sort_key(attr && attr->is_string() ? attribute_path(x, attr->s) : x, cs);
        };
        std::stable_sort(items.begin(), items.end(), [&](const Value& x, const Value& y) {
            return reverse ? py_less(key(y), key(x)) : py_less(key(x), key(y));
        });
        return Value::make_list(std::move(items));
    }
    if (name == "reverse") {
        if (v.is_string()) return slice(v, Value::none(), Value::none(), Value::integer(-1));
        List items = iterate(v);
        std::reverse(items.begin(), items.end());
        return Value::make_list(std::move(items));
    }
    if (name == "join") {
        const Value* sep = a.get(0, "d");
        const Value* attr = a.get(1, "attribute");
        std::string out;
        bool first = true;
        for (const Value& x : iterate(v)) {
            if (!first) out += sep ? to_str(*sep) : "";
            first = false;
            out += to_str(attr && attr->is_string() ? attribute_path(x, attr->s) : x);
        }
        return Value::string(out);
    }
    if (name == "first" || name == "last") {
        List items = iterate(v);
        if (items.empty()) return Value::undefined(name);
        return name == "first" ? items.front() : items.back();
    }
    if (name == "map") {
        List out;
        const Value* attr = nullptr;
        for (const auto& [k, val] : a.keyword)
            if (k == "attribute") attr = &val;
        if (attr) {
            const Value* def = nullptr;
            for (const auto& [k, val] : a.keyword)
                if (k == "default") def = &val;
            for (const Value& x : iterate(v)) {
                Value r = attribute_path(x, to_str(*attr));
                out.push_back(r.is_undefined() && def ? *def : r);
            }
        } else {
            if (a.positional.empty() || !a.positional[0].is_string()) fail("map: expected a filter name or attribute=");
            for (const Value& x : iterate(v)) {
                CallArgs r = rest(a, 1);
                out.push_back(apply_filter(a.positional[0].s, x, r));
            }
        }
        return Value::make_list(std::move(out));
    }
    if (name == "select" || name == "reject" || name == "selectattr" || name == "rejectattr") {
        const bool by_attr = name == "selectattr" || name == "rejectattr";
        const bool keep_when = name == "select" || name == "selectattr";
        const std::size_t test_pos = by_attr ? 1 : 0;
        if (by_attr && (a.positional.empty() || !a.positional[0].is_string())) fail("%s: expected an attribute name", name.c_str());
        List out;
        for (const Value& x : iterate(v)) {
            const Value subject = by_attr ? attribute_path(x, a.positional[0].s) : x;
            bool ok;
            if (a.positional.size() > test_pos) {
                if (!a.positional[test_pos].is_string()) fail("%s: test name must be a string", name.c_str());
                CallArgs r = rest(a, test_pos + 1);
                ok = apply_test(a.positional[test_pos].s, subject, r);
            } else {
                ok = truthy(subject);
            }
            if (ok == keep_when) out.push_back(x);
        }
        return Value::make_list(std::move(out));
    }
    if (name == "unique") {
        List out;
        for (const Value& x : iterate(v)) {
            bool seen = false;
            for (const Value& y : out) seen = seen || equals(x, y);
            if (!seen) out.push_back(x);
        }
        return Value::make_list(std::move(out));
    }
    if (name == "replace") {
        CallArgs r = a;
        return call(get_attr(Value::string(to_str(v)), "replace"), r);
    }
    if (name == "int") {
        if (v.kind == Kind::Int) return v;
        if (v.kind == Kind::Float) return Value::integer(static_cast<std::int64_t>(v.f));
        if (v.kind == Kind::Bool) return Value::integer(v.b);
        if (v.is_string()) {
            try {
                return Value::integer(std::stoll(py_strip(v.s, nullptr, true, true)));
            } catch (...) {
            }
        }
        const Value* def = a.get(0, "default");
        return def ? *def : Value::integer(0);
    }
    if (name == "float") {
        if (v.is_number() || v.kind == Kind::Bool) return Value::number(v.as_double());
        if (v.is_string()) {
            try {
                return Value::number(std::stod(v.s));
            } catch (...) {
            }
        }
        const Value* def = a.get(0, "default");
        return def ? *def : Value::number(0.0);
    }
    if (name == "abs") {
        if (v.kind == Kind::Int) return Value::integer(v.i < 0 ? -v.i : v.i);
        if (v.kind == Kind::Float) return Value::number(std::fabs(v.f));
        fail("bad operand type for abs(): '%s'", type_name(v).c_str());
    }
    if (name == "sum") {
        Value total = Value::integer(0);
        for (const Value& x : iterate(v)) {
            if (!x.is_number()) fail("sum: unsupported item of type %s", type_name(x).c_str());
            total = total.kind == Kind::Int && x.kind == Kind::Int ? Value::integer(total.i + x.i)
                                                                  : Value::number(total.as_double() + x.as_double());
        }
        return total;
    }
    if (name == "indent") {
        const Value* width = a.get(0, "width");
        const std::string pad = width && width->is_string() ? width->s
                                                            : std::string(width ? static_cast<std::size_t>(width->i) : 4, ' ');
        const bool first = bool_arg(a, 1, "first", false), blank = bool_arg(a, 2, "blank", false);
        const std::string s = to_str(v);
        std::string out;
        std::size_t start = 0;
        bool is_first = true;
        while (start <= s.size()) {
            const std::size_t nl = s.find('\n', start);
            const std::string line = s.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
            if ((!is_first || first) && (blank || !line.empty())) out += pad;
            out += line;
            if (nl == std::string::npos) break;
            out += '\n';
            start = nl + 1;
            is_first = false;
        }
        return Value::string(out);
    }
    if (name == "round") {
        const Value* prec = a.get(0, "precision");
        const Value* method = a.get(1, "method");
        const std::string how = method && method->is_string() ? method->s : "common";
        const double scale = std::pow(10.0, prec && prec->kind == Kind::Int ? static_cast<double>(prec->i) : 0.0);
        const double x = v.as_double() * scale;
        const double r = how == "ceil" ? std::ceil(x) : how == "floor" ? std::floor(x) : std::nearbyint(x);  // Python rounds half to even
        if (!v.is_number() && v.kind != Kind::Bool) fail("round filter: expected a number, got %s", type_name(v).c_str());
        return Value::number(r / scale);
    }
    if (name == "min" || name == "max") {
        List items = iterate(v);
        if (items.empty()) return Value::undefined(name);
        const bool cs = bool_arg(a, 0, "case_sensitive", false);
        const Value* attr = a.get(1, "attribute");
        auto key = [&](const Value& x) { return sort_key(attr && attr->is_string() ? attribute_path(x, attr->s) : x, cs); };
        std::size_t best = 0;
        for (std::size_t k = 1; k < items.size(); ++k) {
            const bool better = name == "min" ? py_less(key(items[k]), key(items[best])) : py_less(key(items[best]), key(items[k]));
            if (better) best = k;
        }
        return items[best];
    }
    if (name == "attr") {
        const Value* key = a.get(0, "name");
        return key && key->is_string() ? get_attr(v, key->s) : Value::undefined();
    }
    if (name == "wordcount") {
        CallArgs none;
        return Value::integer(length(call(get_attr(Value::string(to_str(v)), "split"), none)));
    }
    fail("No filter named '%s'.", name.c_str());
}

bool Interpreter::apply_test(const std::string& name, const Value& v, CallArgs& a) {
    const Value* other = a.get(0, "other");
    if (name == "defined") return !v.is_undefined();
    if (name == "undefined") return v.is_undefined();
    if (name == "none") return v.is_none();
    if (name == "boolean") return v.kind == Kind::Bool;
    if (name == "false") return v.kind == Kind::Bool && !v.b;
    if (name == "true") return v.kind == Kind::Bool && v.b;
    if (name == "integer") return v.kind == Kind::Int;
    if (name == "float") return v.kind == Kind::Float;
    if (name == "number") return v.is_number() || v.kind == Kind::Bool;
    if (name == "string") return v.is_string();
    if (name == "mapping") return v.is_dict();
    if (name == "iterable") return v.is_string() || v.is_list() || v.is_dict();
    if (name == "sequence") return v.is_string() || v.is_list() || v.is_dict();
    if (name == "callable") return v.kind == Kind::Function;
    if (name == "lower") return v.is_string() && change_case(v.s, false) == v.s;
    if (name == "upper") {
        if (!v.is_string()) return false;
        CallArgs none;
        return equals(call(get_attr(v, "upper"), none), v);
    }
    if (name == "odd" || name == "even") {
        if (v.kind != Kind::Int) fail("%s test needs an integer", name.c_str());
        return (((v.i % 2) + 2) % 2 == 1) == (name == "odd");
    }
    if (name == "divisibleby") {
        if (!other || other->kind != Kind::Int || other->i == 0 || v.kind != Kind::Int) fail("divisibleby needs integers");
        return v.i % other->i == 0;
    }
    if (!other && name != "in") fail("test '%s' needs an argument", name.c_str());
    if (name == "eq" || name == "equalto" || name == "==") return equals(v, *other);
    if (name == "ne" || name == "!=") return !equals(v, *other);
    if (name == "lt" || name == "lessthan" || name == "<") return py_less(v, *other);
    if (name == "gt" || name == "greaterthan" || name == ">") return py_less(*other, v);
    if (name == "le" || name == "<=") return !py_less(*other, v);
    if (name == "ge" || name == ">=") return !py_less(v, *other);
    if (name == "sameas") return v.kind == other->kind && equals(v, *other) && (v.kind != Kind::List || v.list == other->list);
    if (name == "in") {
        const Value* seq = a.get(0, "seq");
        return seq && contains(*seq, v);
    }
    fail("No test named '%s'.", name.c_str());
}

}  // namespace ponder::chat::jinja
