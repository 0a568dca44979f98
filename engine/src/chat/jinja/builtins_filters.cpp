// builtins_filters.cpp: the Jinja filters and tests that model chat templates use (Hugging Face's
// tojson included). Each is a function; apply_filter/apply_test look the name up in a table.
#include "chat/jinja/interpreter.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_map>

namespace ponder::chat::jinja {
namespace {

// "a.b.0" attribute paths as in map(attribute=...), sort(attribute=...).
Value attribute_path(const Value& v, const std::string& path) {
    Value cur = v;
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = path.find('.', start);
        const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        const bool digits =
            !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
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

using Filter = Value (*)(Interpreter& in, const std::string& name, const Value& v, CallArgs& a);
using Test = bool (*)(Interpreter& in, const std::string& name, const Value& v, CallArgs& a);

// ---- filters ------------------------------------------------------------------------------

Value f_safe(Interpreter&, const std::string&, const Value& v, CallArgs&) { return v; }
Value f_string(Interpreter&, const std::string&, const Value& v, CallArgs&) { return Value::string(to_str(v)); }
Value f_length(Interpreter&, const std::string&, const Value& v, CallArgs&) { return Value::integer(length(v)); }

Value f_trim(Interpreter&, const std::string&, const Value& v, CallArgs& a) {
    return Value::string(py_strip(to_str(v), a.get(0, "chars"), true, true));
}

// upper, lower, title, capitalize: the string method of the same name.
Value f_string_method(Interpreter& in, const std::string& name, const Value& v, CallArgs&) {
    CallArgs none;
    return in.call(get_attr(Value::string(to_str(v)), name), none);
}

Value f_default(Interpreter&, const std::string&, const Value& v, CallArgs& a) {
    const Value* def = a.get(0, "default_value");
    const bool boolean = bool_arg(a, 1, "boolean", false);
    if (v.is_undefined() || (boolean && !truthy(v))) return def ? *def : Value::string("");
    return v;
}

Value f_tojson(Interpreter&, const std::string&, const Value& v, CallArgs& a) {
    // Hugging Face: json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)
    JsonStyle style;
    style.ensure_ascii = bool_arg(a, 0, "ensure_ascii", false);
    const Value* indent = a.get(1, "indent");
    if (indent && !indent->is_none()) {
        if (indent->kind != Kind::Int || indent->i < 0 || indent->i > 64) fail("tojson indent must be a small integer");
        style.indent = static_cast<int>(indent->i);
    }
    if (const Value* seps = a.get(2, "separators"); seps && !seps->is_none()) {
        if (!seps->is_list() || seps->list->size() != 2 || !(*seps->list)[0].is_string() ||
            !(*seps->list)[1].is_string())
            fail("tojson separators must be a pair of strings");
        style.item_separator = (*seps->list)[0].s;
        style.key_separator = (*seps->list)[1].s;
    }
    style.sort_keys = bool_arg(a, 3, "sort_keys", false);
    return Value::string(to_json_text(v, style));
}

Value f_list(Interpreter&, const std::string&, const Value& v, CallArgs&) {
    if (v.is_list()) return v;
    return Value::make_list(iterate(v));
}

Value f_items(Interpreter& in, const std::string&, const Value& v, CallArgs&) {
    if (v.is_undefined()) return Value::make_list();
    if (!v.is_dict()) fail("items filter: expected a mapping, got %s", type_name(v).c_str());
    CallArgs none;
    return in.call(get_attr(v, "items"), none);
}

Value f_dictsort(Interpreter& in, const std::string&, const Value& v, CallArgs& a) {
    if (!v.is_dict()) fail("dictsort filter: expected a mapping, got %s", type_name(v).c_str());
    const bool cs = bool_arg(a, 0, "case_sensitive", false);
    const Value* by = a.get(1, "by");
    const bool by_value = by && by->is_string() && by->s == "value";
    const bool reverse = bool_arg(a, 2, "reverse", false);
    CallArgs none;
    List items = *in.call(get_attr(v, "items"), none).list;
    std::stable_sort(items.begin(), items.end(), [&](const Value& x, const Value& y) {
        const std::size_t k = by_value ? 1 : 0;
        const Value kx = sort_key((*x.list)[k], cs), ky = sort_key((*y.list)[k], cs);
        return reverse ? py_less(ky, kx) : py_less(kx, ky);
    });
    return Value::make_list(std::move(items));
}

Value f_sort(Interpreter&, const std::string&, const Value& v, CallArgs& a) {
    const bool reverse = bool_arg(a, 0, "reverse", false);
    const bool cs = bool_arg(a, 1, "case_sensitive", false);
    const Value* attr = a.get(2, "attribute");
    List items = iterate(v);
    auto key = [&](const Value& x) { return sort_key(attr && attr->is_string() ? attribute_path(x, attr->s) : x, cs); };
    std::stable_sort(items.begin(), items.end(), [&](const Value& x, const Value& y) {
        return reverse ? py_less(key(y), key(x)) : py_less(key(x), key(y));
    });
    return Value::make_list(std::move(items));
}

Value f_reverse(Interpreter&, const std::string&, const Value& v, CallArgs&) {
    if (v.is_string()) return slice(v, Value::none(), Value::none(), Value::integer(-1));
    List items = iterate(v);
    std::reverse(items.begin(), items.end());
    return Value::make_list(std::move(items));
}

Value f_join(Interpreter&, const std::string&, const Value& v, CallArgs& a) {
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

// first, last
Value f_first_last(Interpreter&, const std::string& name, const Value& v, CallArgs&) {
    List items = iterate(v);
    if (items.empty()) return Value::undefined(name);
    return name == "first" ? items.front() : items.back();
}

Value f_map(Interpreter& in, const std::string&, const Value& v, CallArgs& a) {
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
            out.push_back(in.apply_filter(a.positional[0].s, x, r));
        }
    }
    return Value::make_list(std::move(out));
}

// select, reject, selectattr, rejectattr
Value f_select(Interpreter& in, const std::string& name, const Value& v, CallArgs& a) {
    const bool by_attr = name == "selectattr" || name == "rejectattr";
    const bool keep_when = name == "select" || name == "selectattr";
    const std::size_t test_pos = by_attr ? 1 : 0;
    if (by_attr && (a.positional.empty() || !a.positional[0].is_string()))
        fail("%s: expected an attribute name", name.c_str());
    List out;
    for (const Value& x : iterate(v)) {
        const Value subject = by_attr ? attribute_path(x, a.positional[0].s) : x;
        bool ok;
        if (a.positional.size() > test_pos) {
            if (!a.positional[test_pos].is_string()) fail("%s: test name must be a string", name.c_str());
            CallArgs r = rest(a, test_pos + 1);
            ok = in.apply_test(a.positional[test_pos].s, subject, r);
        } else {
            ok = truthy(subject);
        }
        if (ok == keep_when) out.push_back(x);
    }
    return Value::make_list(std::move(out));
}

Value f_unique(Interpreter&, const std::string&, const Value& v, CallArgs&) {
    List out;
    for (const Value& x : iterate(v)) {
        bool seen = false;
        for (const Value& y : out) seen = seen || equals(x, y);
        if (!seen) out.push_back(x);
    }
    return Value::make_list(std::move(out));
}

Value f_replace(Interpreter& in, const std::string&, const Value& v, CallArgs& a) {
    CallArgs r = a;
    return in.call(get_attr(Value::string(to_str(v)), "replace"), r);
}

Value f_int(Interpreter&, const std::string&, const Value& v, CallArgs& a) {
    if (v.kind == Kind::Int) return v;
    if (v.kind == Kind::Float) return Value::integer(static_cast<std::int64_t>(v.f));
    if (v.kind == Kind::Bool) return Value::integer(v.b);
    if (v.is_string()) {
        try {
            return Value::integer(std::stoll(py_strip(v.s, nullptr, true, true)));
        } catch (...) {}
    }
    const Value* def = a.get(0, "default");
    return def ? *def : Value::integer(0);
}

Value f_float(Interpreter&, const std::string&, const Value& v, CallArgs& a) {
    if (v.is_number() || v.kind == Kind::Bool) return Value::number(v.as_double());
    if (v.is_string()) {
        try {
            return Value::number(std::stod(v.s));
        } catch (...) {}
    }
    const Value* def = a.get(0, "default");
    return def ? *def : Value::number(0.0);
}

Value f_abs(Interpreter&, const std::string&, const Value& v, CallArgs&) {
    if (v.kind == Kind::Int) return Value::integer(v.i < 0 ? -v.i : v.i);
    if (v.kind == Kind::Float) return Value::number(std::fabs(v.f));
    fail("bad operand type for abs(): '%s'", type_name(v).c_str());
}

Value f_sum(Interpreter&, const std::string&, const Value& v, CallArgs&) {
    Value total = Value::integer(0);
    for (const Value& x : iterate(v)) {
        if (!x.is_number()) fail("sum: unsupported item of type %s", type_name(x).c_str());
        total = total.kind == Kind::Int && x.kind == Kind::Int ? Value::integer(total.i + x.i)
                                                               : Value::number(total.as_double() + x.as_double());
    }
    return total;
}

Value f_indent(Interpreter&, const std::string&, const Value& v, CallArgs& a) {
    const Value* width = a.get(0, "width");
    const std::string pad =
        width && width->is_string() ? width->s : std::string(width ? static_cast<std::size_t>(width->i) : 4, ' ');
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

Value f_round(Interpreter&, const std::string&, const Value& v, CallArgs& a) {
    const Value* prec = a.get(0, "precision");
    const Value* method = a.get(1, "method");
    const std::string how = method && method->is_string() ? method->s : "common";
    const double scale = std::pow(10.0, prec && prec->kind == Kind::Int ? static_cast<double>(prec->i) : 0.0);
    const double x = v.as_double() * scale;
    const double r = how == "ceil"    ? std::ceil(x)
                     : how == "floor" ? std::floor(x)
                                      : std::nearbyint(x);  // Python rounds half to even
    if (!v.is_number() && v.kind != Kind::Bool) fail("round filter: expected a number, got %s", type_name(v).c_str());
    return Value::number(r / scale);
}

// min, max
Value f_min_max(Interpreter&, const std::string& name, const Value& v, CallArgs& a) {
    List items = iterate(v);
    if (items.empty()) return Value::undefined(name);
    const bool cs = bool_arg(a, 0, "case_sensitive", false);
    const Value* attr = a.get(1, "attribute");
    auto key = [&](const Value& x) { return sort_key(attr && attr->is_string() ? attribute_path(x, attr->s) : x, cs); };
    std::size_t best = 0;
    for (std::size_t k = 1; k < items.size(); ++k) {
        const bool better =
            name == "min" ? py_less(key(items[k]), key(items[best])) : py_less(key(items[best]), key(items[k]));
        if (better) best = k;
    }
    return items[best];
}

Value f_attr(Interpreter&, const std::string&, const Value& v, CallArgs& a) {
    const Value* key = a.get(0, "name");
    return key && key->is_string() ? get_attr(v, key->s) : Value::undefined();
}

Value f_wordcount(Interpreter& in, const std::string&, const Value& v, CallArgs&) {
    CallArgs none;
    return Value::integer(length(in.call(get_attr(Value::string(to_str(v)), "split"), none)));
}

const std::unordered_map<std::string_view, Filter>& filter_table() {
    static const std::unordered_map<std::string_view, Filter> table = {
        {"safe", f_safe},
        {"string", f_string},
        {"length", f_length},
        {"count", f_length},
        {"trim", f_trim},
        {"upper", f_string_method},
        {"lower", f_string_method},
        {"title", f_string_method},
        {"capitalize", f_string_method},
        {"default", f_default},
        {"d", f_default},
        {"tojson", f_tojson},
        {"list", f_list},
        {"items", f_items},
        {"dictsort", f_dictsort},
        {"sort", f_sort},
        {"reverse", f_reverse},
        {"join", f_join},
        {"first", f_first_last},
        {"last", f_first_last},
        {"map", f_map},
        {"select", f_select},
        {"reject", f_select},
        {"selectattr", f_select},
        {"rejectattr", f_select},
        {"unique", f_unique},
        {"replace", f_replace},
        {"int", f_int},
        {"float", f_float},
        {"abs", f_abs},
        {"sum", f_sum},
        {"indent", f_indent},
        {"round", f_round},
        {"min", f_min_max},
        {"max", f_min_max},
        {"attr", f_attr},
        {"wordcount", f_wordcount},
    };
    return table;
}

// ---- tests --------------------------------------------------------------------------------

// Tests of the subject alone.
bool t_defined(Interpreter&, const std::string&, const Value& v, CallArgs&) { return !v.is_undefined(); }
bool t_undefined(Interpreter&, const std::string&, const Value& v, CallArgs&) { return v.is_undefined(); }
bool t_none(Interpreter&, const std::string&, const Value& v, CallArgs&) { return v.is_none(); }
bool t_boolean(Interpreter&, const std::string&, const Value& v, CallArgs&) { return v.kind == Kind::Bool; }
bool t_false(Interpreter&, const std::string&, const Value& v, CallArgs&) { return v.kind == Kind::Bool && !v.b; }
bool t_true(Interpreter&, const std::string&, const Value& v, CallArgs&) { return v.kind == Kind::Bool && v.b; }
bool t_integer(Interpreter&, const std::string&, const Value& v, CallArgs&) { return v.kind == Kind::Int; }
bool t_float(Interpreter&, const std::string&, const Value& v, CallArgs&) { return v.kind == Kind::Float; }
bool t_number(Interpreter&, const std::string&, const Value& v, CallArgs&) {
    return v.is_number() || v.kind == Kind::Bool;
}
bool t_string(Interpreter&, const std::string&, const Value& v, CallArgs&) { return v.is_string(); }
bool t_mapping(Interpreter&, const std::string&, const Value& v, CallArgs&) { return v.is_dict(); }
bool t_iterable(Interpreter&, const std::string&, const Value& v, CallArgs&) {
    return v.is_string() || v.is_list() || v.is_dict();
}
bool t_callable(Interpreter&, const std::string&, const Value& v, CallArgs&) { return v.kind == Kind::Function; }
bool t_lower(Interpreter&, const std::string&, const Value& v, CallArgs&) {
    return v.is_string() && change_case(v.s, false) == v.s;
}
bool t_upper(Interpreter& in, const std::string&, const Value& v, CallArgs&) {
    if (!v.is_string()) return false;
    CallArgs none;
    return equals(in.call(get_attr(v, "upper"), none), v);
}
// odd, even
bool t_parity(Interpreter&, const std::string& name, const Value& v, CallArgs&) {
    if (v.kind != Kind::Int) fail("%s test needs an integer", name.c_str());
    return (((v.i % 2) + 2) % 2 == 1) == (name == "odd");
}
bool t_divisibleby(Interpreter&, const std::string&, const Value& v, CallArgs& a) {
    const Value* other = a.get(0, "other");
    if (!other || other->kind != Kind::Int || other->i == 0 || v.kind != Kind::Int) fail("divisibleby needs integers");
    return v.i % other->i == 0;
}
bool t_in(Interpreter&, const std::string&, const Value& v, CallArgs& a) {
    const Value* seq = a.get(0, "seq");
    return seq && contains(*seq, v);
}

// Comparisons: eq/equalto/==, ne/!=, lt/lessthan/<, gt/greaterthan/>, le/<=, ge/>=, sameas.
const Value& other_arg(const std::string& name, CallArgs& a) {
    const Value* other = a.get(0, "other");
    if (!other) fail("test '%s' needs an argument", name.c_str());
    return *other;
}
bool t_eq(Interpreter&, const std::string& n, const Value& v, CallArgs& a) { return equals(v, other_arg(n, a)); }
bool t_ne(Interpreter&, const std::string& n, const Value& v, CallArgs& a) { return !equals(v, other_arg(n, a)); }
bool t_lt(Interpreter&, const std::string& n, const Value& v, CallArgs& a) { return py_less(v, other_arg(n, a)); }
bool t_gt(Interpreter&, const std::string& n, const Value& v, CallArgs& a) { return py_less(other_arg(n, a), v); }
bool t_le(Interpreter&, const std::string& n, const Value& v, CallArgs& a) { return !py_less(other_arg(n, a), v); }
bool t_ge(Interpreter&, const std::string& n, const Value& v, CallArgs& a) { return !py_less(v, other_arg(n, a)); }
bool t_sameas(Interpreter&, const std::string& n, const Value& v, CallArgs& a) {
    const Value& other = other_arg(n, a);
    return v.kind == other.kind && equals(v, other) && (v.kind != Kind::List || v.list == other.list);
}

const std::unordered_map<std::string_view, Test>& test_table() {
    static const std::unordered_map<std::string_view, Test> table = {
        {"defined", t_defined},
        {"undefined", t_undefined},
        {"none", t_none},
        {"boolean", t_boolean},
        {"false", t_false},
        {"true", t_true},
        {"integer", t_integer},
        {"float", t_float},
        {"number", t_number},
        {"string", t_string},
        {"mapping", t_mapping},
        {"iterable", t_iterable},
        {"sequence", t_iterable},
        {"callable", t_callable},
        {"lower", t_lower},
        {"upper", t_upper},
        {"odd", t_parity},
        {"even", t_parity},
        {"divisibleby", t_divisibleby},
        {"in", t_in},
        {"eq", t_eq},
        {"equalto", t_eq},
        {"==", t_eq},
        {"ne", t_ne},
        {"!=", t_ne},
        {"lt", t_lt},
        {"lessthan", t_lt},
        {"<", t_lt},
        {"gt", t_gt},
        {"greaterthan", t_gt},
        {">", t_gt},
        {"le", t_le},
        {"<=", t_le},
        {">=", t_ge},
        {"ge", t_ge},
        {"sameas", t_sameas},
    };
    return table;
}

}  // namespace

Value Interpreter::apply_filter(const std::string& name, const Value& v, CallArgs& a) {
    const auto& table = filter_table();
    const auto it = table.find(name);
    if (it == table.end()) fail("No filter named '%s'.", name.c_str());
    return it->second(*this, name, v, a);
}

bool Interpreter::apply_test(const std::string& name, const Value& v, CallArgs& a) {
    const auto& table = test_table();
    const auto it = table.find(name);
    if (it == table.end()) fail("No test named '%s'.", name.c_str());
    return it->second(*this, name, v, a);
}

}  // namespace ponder::chat::jinja
