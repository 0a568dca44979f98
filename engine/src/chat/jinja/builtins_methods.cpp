// builtins_methods.cpp: attribute/item access, Python str/dict methods, slicing, iteration and the global functions.
#include "chat/jinja/interpreter.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace ponder::chat::jinja {
namespace {

const Value* arg(CallArgs& a, std::size_t i, const char* name) { return a.get(i, name); }

std::string need_string(const Value* v, const char* what) {
    if (!v || !v->is_string()) fail("%s must be a string", what);
    return v->s;
}

std::u32string strip_set(const Value* chars) {
    if (!chars || chars->is_none()) return {};
    if (!chars->is_string()) fail("strip arg must be None or str");
    return to_u32(chars->s);
}

Value split(const std::string& s, const Value* sep_arg, const Value* max_arg) {
    std::int64_t maxsplit = -1;
    if (max_arg && !max_arg->is_none()) maxsplit = max_arg->i;
    List parts;
    if (!sep_arg || sep_arg->is_none()) {  // runs of whitespace; no empty parts
        const std::u32string u = to_u32(s);
        std::size_t k = 0;
        while (k < u.size()) {
            while (k < u.size() && is_py_space(u[k])) ++k;
            if (k >= u.size()) break;
            if (maxsplit >= 0 && static_cast<std::int64_t>(parts.size()) == maxsplit) {
                std::size_t end = u.size();
                while (end > k && is_py_space(u[end - 1])) --end;
                parts.push_back(Value::string(from_u32(u.substr(k, end - k))));
                break;
            }
            std::size_t e = k;
            while (e < u.size() && !is_py_space(u[e])) ++e;
            parts.push_back(Value::string(from_u32(u.substr(k, e - k))));
            k = e;
        }
        return Value::make_list(std::move(parts));
    }
    const std::string sep = need_string(sep_arg, "split separator");
    if (sep.empty()) fail("empty separator");
    std::size_t start = 0;
    for (;;) {
        if (maxsplit >= 0 && static_cast<std::int64_t>(parts.size()) == maxsplit) break;
        const std::size_t p = s.find(sep, start);
        if (p == std::string::npos) break;
        parts.push_back(Value::string(s.substr(start, p - start)));
        start = p + sep.size();
    }
    parts.push_back(Value::string(s.substr(start)));
    return Value::make_list(std::move(parts));
}

bool affix_match(const std::string& s, const Value* v, bool prefix) {
    auto one = [&](const std::string& a) {
        if (a.size() > s.size()) return false;
        return prefix ? s.compare(0, a.size(), a) == 0 : s.compare(s.size() - a.size(), a.size(), a) == 0;
    };
    if (v && v->is_list()) {
        for (const Value& x : *v->list)
            if (x.is_string() && one(x.s)) return true;
        return false;
    }
    return one(need_string(v, prefix ? "startswith arg" : "endswith arg"));
}

std::string replace_all(const std::string& s, const std::string& from, const std::string& to, std::int64_t count) {
    if (from.empty()) {  // Python inserts `to` between every code point
        const std::u32string u = to_u32(s);
        std::string out;
        std::int64_t done = 0;
        for (std::size_t k = 0; k <= u.size(); ++k) {
            if (count < 0 || done < count) {
                out += to;
                ++done;
            }
            if (k < u.size()) out += from_u32(std::u32string(1, u[k]));
        }
        return out;
    }
    std::string out;
    std::size_t start = 0;
    std::int64_t done = 0;
    for (;;) {
        const std::size_t p = (count < 0 || done < count) ? s.find(from, start) : std::string::npos;
        if (p == std::string::npos) break;
        out += s.substr(start, p - start) + to;
        start = p + from.size();
        ++done;
    }
    return out + s.substr(start);
}

Value string_method(const std::string& s, const std::string& name) {
    auto bind = [&](auto fn) { return Value::function([s, fn](CallArgs& a) -> Value { return fn(s, a); }); };
    if (name == "strip" || name == "lstrip" || name == "rstrip")
        return bind([name](const std::string& str, CallArgs& a) {
            return Value::string(py_strip(str, arg(a, 0, "chars"), name != "rstrip", name != "lstrip"));
        });
    if (name == "split")
        return bind(
            [](const std::string& str, CallArgs& a) { return split(str, arg(a, 0, "sep"), arg(a, 1, "maxsplit")); });
    if (name == "startswith" || name == "endswith")
        return bind([name](const std::string& str, CallArgs& a) {
            return Value::boolean(affix_match(str, arg(a, 0, "prefix"), name == "startswith"));
        });
    if (name == "replace")
        return bind([](const std::string& str, CallArgs& a) {
            const Value* c = arg(a, 2, "count");
            return Value::string(replace_all(str, need_string(arg(a, 0, "old"), "replace arg"),
                                             need_string(arg(a, 1, "new"), "replace arg"), c ? c->i : -1));
        });
    if (name == "upper" || name == "lower")
        return bind(
            [name](const std::string& str, CallArgs&) { return Value::string(change_case(str, name == "upper")); });
    if (name == "title" || name == "capitalize")
        return bind([name](const std::string& str, CallArgs&) {
            std::u32string out;
            bool start = true;
            for (char32_t c : to_u32(str)) {
                const bool cased = is_cased_letter(c);
                out += start && cased ? to_upper_cp(c) : to_lower_cp(c);
                start = name == "title" ? !cased : false;
            }
            return Value::string(from_u32(out));
        });
    if (name == "find" || name == "rfind" || name == "index" || name == "count")
        return bind([name](const std::string& str, CallArgs& a) -> Value {
            const std::string sub = need_string(arg(a, 0, "sub"), "substring");
            if (name == "count") {
                std::int64_t n = 0;
                if (sub.empty()) return Value::integer(static_cast<std::int64_t>(to_u32(str).size()) + 1);
                for (std::size_t p = str.find(sub); p != std::string::npos; p = str.find(sub, p + sub.size())) ++n;
                return Value::integer(n);
            }
            const std::size_t p = name == "rfind" ? str.rfind(sub) : str.find(sub);
            if (p == std::string::npos) {
                if (name == "index") fail("substring not found");
                return Value::integer(-1);
            }
            return Value::integer(static_cast<std::int64_t>(to_u32(str.substr(0, p)).size()));
        });
    if (name == "join")
        return bind([](const std::string& str, CallArgs& a) {
            const Value* v = arg(a, 0, "iterable");
            std::string out;
            bool first = true;
            for (const Value& x : iterate(v ? *v : Value::undefined())) {
                if (!x.is_string()) fail("sequence item: expected str instance, %s found", type_name(x).c_str());
                if (!first) out += str;
                first = false;
                out += x.s;
            }
            return Value::string(out);
        });
    if (name == "splitlines")
        return bind([](const std::string& str, CallArgs&) {
            List parts;
            std::size_t start = 0;
            for (std::size_t k = 0; k < str.size(); ++k) {
                if (str[k] == '\n' || str[k] == '\r') {
                    parts.push_back(Value::string(str.substr(start, k - start)));
                    if (str[k] == '\r' && k + 1 < str.size() && str[k + 1] == '\n') ++k;
                    start = k + 1;
                }
            }
            if (start < str.size()) parts.push_back(Value::string(str.substr(start)));
            return Value::make_list(std::move(parts));
        });
    if (name == "isspace" || name == "isdigit" || name == "isalpha" || name == "isalnum" || name == "islower" ||
        name == "isupper")
        return bind([name](const std::string& str, CallArgs&) {
            const std::u32string u = to_u32(str);
            if (u.empty()) return Value::boolean(false);
            bool ok = true, cased = false;
            for (char32_t c : u) {
                const bool digit = c >= '0' && c <= '9';
                const bool lower = to_upper_cp(c) != c, upper = to_lower_cp(c) != c;
                cased = cased || lower || upper;
                if (name == "isspace") ok = ok && is_py_space(c);
                if (name == "isdigit") ok = ok && digit;
                if (name == "isalpha") ok = ok && (lower || upper || c > 0x7f);
                if (name == "isalnum") ok = ok && (lower || upper || digit || c > 0x7f);
                if (name == "islower") ok = ok && !upper;
                if (name == "isupper") ok = ok && !lower;
            }
            if (name == "islower" || name == "isupper") ok = ok && cased;
            return Value::boolean(ok);
        });
    return Value::undefined(name);
}

Value dict_method(const Value& d, const std::string& name) {
    if (name == "get")
        return Value::function([d](CallArgs& a) -> Value {
            const Value* key = arg(a, 0, "key");
            if (!key) fail("get expected at least 1 argument");
            if (key->is_string())
                if (const Value* v = d.dict->find(key->s)) return *v;
            const Value* def = arg(a, 1, "default");
            return def ? *def : Value::none();
        });
    if (name == "items" || name == "keys" || name == "values")
        return Value::function([d, name](CallArgs&) -> Value {
            List out;
            for (const auto& [k, v] : d.dict->items) {
                if (name == "keys")
                    out.push_back(Value::string(k));
                else if (name == "values")
                    out.push_back(v);
                else {
                    Value pair = Value::make_list({Value::string(k), v});
                    pair.is_tuple = true;
                    out.push_back(std::move(pair));
                }
            }
            return Value::make_list(std::move(out));
        });
    return Value::undefined(name);
}

}  // namespace

std::string py_strip(const std::string& s, const Value* chars, bool left, bool right) {
    const std::u32string set = strip_set(chars);
    const bool whitespace = !chars || chars->is_none();
    auto strip_it = [&](char32_t c) { return whitespace ? is_py_space(c) : set.find(c) != std::u32string::npos; };
    const std::u32string u = to_u32(s);
    std::size_t b = 0, e = u.size();
    if (left)
        while (b < e && strip_it(u[b])) ++b;
    if (right)
        while (e > b && strip_it(u[e - 1])) --e;
    return from_u32(u.substr(b, e - b));
}

Value get_attr(const Value& obj, const std::string& name) {
    switch (obj.kind) {
    case Kind::Undefined:
        fail("'%s' is undefined (reading attribute '%s')", obj.s.empty() ? "value" : obj.s.c_str(), name.c_str());
    case Kind::Dict: {
        if (name == "get" || name == "items" || name == "keys" || name == "values") return dict_method(obj, name);
        if (const Value* v = obj.dict->find(name)) return *v;
        return Value::undefined(name);
    }
    case Kind::Namespace: {
        if (const Value* v = obj.dict->find(name)) return *v;
        return Value::undefined(name);
    }
    case Kind::String: return string_method(obj.s, name);
    case Kind::List:
        if (name == "append" || name == "extend" || name == "pop" || name == "insert" || name == "remove" ||
            name == "clear" || name == "sort" || name == "reverse")
            fail("access to attribute '%s' of 'list' object is unsafe", name.c_str());
        if (name == "index" || name == "count")
            return Value::function([obj, name](CallArgs& a) -> Value {
                const Value* x = arg(a, 0, "value");
                std::int64_t n = 0;
                for (std::size_t k = 0; k < obj.list->size(); ++k) {
                    if (x && equals((*obj.list)[k], *x)) {
                        if (name == "index") return Value::integer(static_cast<std::int64_t>(k));
                        ++n;
                    }
                }
                if (name == "index") fail("value is not in list");
                return Value::integer(n);
            });
        return Value::undefined(name);
    default: return Value::undefined(name);
    }
}

Value get_item(const Value& obj, const Value& key) {
    switch (obj.kind) {
    case Kind::Undefined:
        fail("'%s' is undefined (reading item %s)", obj.s.empty() ? "value" : obj.s.c_str(), repr(key).c_str());
    case Kind::Dict:
    case Kind::Namespace: {
        if (const Value* v = obj.dict->find(key.is_string() ? key.s : to_str(key))) return *v;
        if (key.is_string()) return obj.kind == Kind::Dict ? get_attr(obj, key.s) : Value::undefined(key.s);
        return Value::undefined(to_str(key));
    }
    case Kind::List:
    case Kind::String: {
        if (key.kind != Kind::Int && key.kind != Kind::Bool) {
            if (key.is_string()) return get_attr(obj, key.s);
            return Value::undefined();
        }
        const std::int64_t raw = key.kind == Kind::Bool ? key.b : key.i;
        if (obj.is_list()) {
            const auto n = static_cast<std::int64_t>(obj.list->size());
            const std::int64_t k = raw < 0 ? raw + n : raw;
            if (k < 0 || k >= n) return Value::undefined();
            return (*obj.list)[static_cast<std::size_t>(k)];
        }
        const std::u32string u = to_u32(obj.s);
        const auto n = static_cast<std::int64_t>(u.size());
        const std::int64_t k = raw < 0 ? raw + n : raw;
        if (k < 0 || k >= n) return Value::undefined();
        return Value::string(from_u32(u.substr(static_cast<std::size_t>(k), 1)));
    }
    default:
        if (key.is_string()) return get_attr(obj, key.s);
        return Value::undefined();
    }
}

Value slice(const Value& obj, const Value& start_v, const Value& stop_v, const Value& step_v) {
    auto to_index = [](const Value& v, const char* what) -> std::optional<std::int64_t> {
        if (v.is_none() || v.is_undefined()) return std::nullopt;
        if (v.kind == Kind::Int) return v.i;
        if (v.kind == Kind::Bool) return v.b;
        fail("slice %s must be an integer or None", what);
    };
    const std::int64_t step = to_index(step_v, "step").value_or(1);
    if (step == 0) fail("slice step cannot be zero");
    std::u32string u;
    std::int64_t n;
    if (obj.is_list()) {
        n = static_cast<std::int64_t>(obj.list->size());
    } else if (obj.is_string()) {
        u = to_u32(obj.s);
        n = static_cast<std::int64_t>(u.size());
    } else if (obj.is_undefined()) {
        fail("'%s' is undefined", obj.s.empty() ? "value" : obj.s.c_str());
    } else {
        fail("'%s' object is not subscriptable", type_name(obj).c_str());
    }
    auto clamp = [&](std::optional<std::int64_t> v, std::int64_t def) {
        if (!v) return def;
        std::int64_t x = *v;
        if (x < 0) x += n;
        if (step > 0) return std::clamp<std::int64_t>(x, 0, n);
        return std::clamp<std::int64_t>(x, -1, n - 1);
    };
    const std::int64_t start = clamp(to_index(start_v, "start"), step > 0 ? 0 : n - 1);
    const std::int64_t stop = clamp(to_index(stop_v, "stop"), step > 0 ? n : -1);
    List items;
    std::u32string text;
    for (std::int64_t k = start; step > 0 ? k < stop : k > stop; k += step) {
        if (obj.is_list())
            items.push_back((*obj.list)[static_cast<std::size_t>(k)]);
        else
            text += u[static_cast<std::size_t>(k)];
    }
    if (obj.is_list()) return Value::make_list(std::move(items));
    return Value::string(from_u32(text));
}

List iterate(const Value& v) {
    switch (v.kind) {
    case Kind::Undefined: return {};
    case Kind::List: return *v.list;
    case Kind::Dict: {
        List keys;
        for (const auto& item : v.dict->items) keys.push_back(Value::string(item.first));
        return keys;
    }
    case Kind::String: {
        List chars;
        for (char32_t c : to_u32(v.s)) chars.push_back(Value::string(from_u32(std::u32string(1, c))));
        return chars;
    }
    default: fail("'%s' object is not iterable", type_name(v).c_str());
    }
}

bool py_less(const Value& a, const Value& b) {
    const bool an = a.is_number() || a.kind == Kind::Bool, bn = b.is_number() || b.kind == Kind::Bool;
    if (an && bn) return a.as_double() < b.as_double();
    if (a.is_string() && b.is_string()) return to_u32(a.s) < to_u32(b.s);
    if (a.is_list() && b.is_list()) {
        const List &x = *a.list, &y = *b.list;
        for (std::size_t k = 0; k < x.size() && k < y.size(); ++k) {
            if (py_less(x[k], y[k])) return true;
            if (py_less(y[k], x[k])) return false;
        }
        return x.size() < y.size();
    }
    fail("'<' not supported between instances of '%s' and '%s'", type_name(a).c_str(), type_name(b).c_str());
}

bool contains(const Value& container, const Value& item) {
    switch (container.kind) {
    case Kind::String:
        if (!item.is_string()) fail("'in <string>' requires string as left operand, not %s", type_name(item).c_str());
        return container.s.find(item.s) != std::string::npos;
    case Kind::List:
        for (const Value& x : *container.list)
            if (equals(x, item)) return true;
        return false;
    case Kind::Dict:
    case Kind::Namespace: return item.is_string() && container.dict->find(item.s) != nullptr;
    case Kind::Undefined: return false;
    default: fail("argument of type '%s' is not iterable", type_name(container).c_str());
    }
}

std::int64_t length(const Value& v) {
    switch (v.kind) {
    case Kind::String: return static_cast<std::int64_t>(to_u32(v.s).size());
    case Kind::List: return static_cast<std::int64_t>(v.list->size());
    case Kind::Dict: return static_cast<std::int64_t>(v.dict->items.size());
    case Kind::Undefined: return 0;
    default: fail("object of type '%s' has no len()", type_name(v).c_str());
    }
}

std::string format_time(const std::string& fmt, const std::tm& t);  // strftime.cpp

void install_globals(Scope& scope, const RenderOptions& options) {
    scope.vars["raise_exception"] = Value::function([](CallArgs& a) -> Value {
        const Value* msg = a.get(0, "message");
        throw TemplateRaise(msg ? to_str(*msg) : std::string("raise_exception() called"));
    });
    scope.vars["strftime_now"] = Value::function([options](CallArgs& a) -> Value {
        std::tm t{};
        if (options.now) {
            t = *options.now;
        } else {
            const std::time_t now = std::time(nullptr);
#if defined(_WIN32)
            localtime_s(&t, &now);
#else
            localtime_r(&now, &t);
#endif
        }
        return Value::string(format_time(need_string(a.get(0, "format"), "strftime_now format"), t));
    });
    scope.vars["namespace"] = Value::function([](CallArgs& a) -> Value {
        Value ns = Value::make_namespace();
        for (const Value& p : a.positional) {
            if (!p.is_dict()) fail("namespace() positional argument must be a dict");
            for (const auto& [k, v] : p.dict->items) ns.dict->set(k, v);
        }
        for (const auto& [k, v] : a.keyword) ns.dict->set(k, v);
        return ns;
    });
    scope.vars["dict"] = Value::function([](CallArgs& a) -> Value {
        Value d = Value::make_dict();
        for (const Value& p : a.positional)
            if (p.is_dict())
                for (const auto& [k, v] : p.dict->items) d.dict->set(k, v);
        for (const auto& [k, v] : a.keyword) d.dict->set(k, v);
        return d;
    });
    scope.vars["range"] = Value::function([](CallArgs& a) -> Value {
        std::int64_t start = 0, stop = 0, step = 1;
        auto num = [](const Value& v) {
            if (v.kind != Kind::Int && v.kind != Kind::Bool) fail("range() arguments must be integers");
            return v.kind == Kind::Bool ? std::int64_t{v.b} : v.i;
        };
        if (a.positional.size() == 1)
            stop = num(a.positional[0]);
        else if (a.positional.size() >= 2) {
            start = num(a.positional[0]);
            stop = num(a.positional[1]);
            if (a.positional.size() > 2) step = num(a.positional[2]);
        }
        if (step == 0) fail("range() arg 3 must not be zero");
        List out;
        for (std::int64_t k = start; step > 0 ? k < stop : k > stop; k += step) {
            if (out.size() >= 100000) fail("range() too large for a template");
            out.push_back(Value::integer(k));
        }
        return Value::make_list(std::move(out));
    });
}

}  // namespace ponder::chat::jinja
