// value.cpp: Python-compatible printing, comparison and JSON conversion of Jinja values.
#include "chat/jinja/value.h"

#include "util/error.h"
#include "util/utf8.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ponder::chat::jinja {

Value Value::undefined(std::string name) {
    Value v;
    v.s = std::move(name);
    return v;
}
Value Value::none() {
    Value v;
    v.kind = Kind::None;
    return v;
}
Value Value::boolean(bool b) {
    Value v;
    v.kind = Kind::Bool;
    v.b = b;
    return v;
}
Value Value::integer(std::int64_t i) {
    Value v;
    v.kind = Kind::Int;
    v.i = i;
    return v;
}
Value Value::number(double f) {
    Value v;
    v.kind = Kind::Float;
    v.f = f;
    return v;
}
Value Value::string(std::string s) {
    Value v;
    v.kind = Kind::String;
    v.s = std::move(s);
    return v;
}
Value Value::make_list(List items) {
    Value v;
    v.kind = Kind::List;
    v.list = std::make_shared<List>(std::move(items));
    return v;
}
Value Value::make_dict() {
    Value v;
    v.kind = Kind::Dict;
    v.dict = std::make_shared<Dict>();
    return v;
}
Value Value::make_namespace() {
    Value v;
    v.kind = Kind::Namespace;
    v.dict = std::make_shared<Dict>();
    return v;
}
Value Value::function(Function fn) {
    Value v;
    v.kind = Kind::Function;
    v.fn = std::make_shared<Function>(std::move(fn));
    return v;
}

const Value* Dict::find(std::string_view key) const {
    for (const auto& [k, v] : items)
        if (k == key) return &v;
    return nullptr;
}

void Dict::set(std::string key, Value value) {
    for (auto& [k, v] : items) {
        if (k == key) {
            v = std::move(value);
            return;
        }
    }
    items.emplace_back(std::move(key), std::move(value));
}

const Value* CallArgs::get(std::size_t index, std::string_view name) const {
    if (index < positional.size()) return &positional[index];
    for (const auto& [k, v] : keyword)
        if (k == name) return &v;
    return nullptr;
}

bool truthy(const Value& v) {
    switch (v.kind) {
    case Kind::Undefined:
    case Kind::None: return false;
    case Kind::Bool: return v.b;
    case Kind::Int: return v.i != 0;
    case Kind::Float: return v.f != 0.0;
    case Kind::String: return !v.s.empty();
    case Kind::List: return !v.list->empty();
    case Kind::Dict: return !v.dict->items.empty();
    case Kind::Namespace:
    case Kind::Function: return true;
    }
    return false;
}

std::string float_repr(double d) {
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
    // Shortest precision that round-trips, as Python's repr does.
    char buf[64];
    for (int prec = 1; prec <= 17; ++prec) {
        std::snprintf(buf, sizeof buf, "%.*g", prec, d);
        if (std::strtod(buf, nullptr) == d) break;
    }
    std::string s = buf;
    // Python switches to exponent form at 1e16 and below 1e-4; %g at precision digits. Redo in
    // Python's layout: digits and exponent, then positional when -4 <= exp < 16.
    std::string mantissa = s, exponent;
    if (auto e = s.find('e'); e != std::string::npos) {
        mantissa = s.substr(0, e);
        exponent = s.substr(e + 1);
    }
    bool neg = !mantissa.empty() && mantissa[0] == '-';
    if (neg) mantissa.erase(0, 1);
    std::string digits;
    int point = 0;  // position of the decimal point relative to digits
    {
        auto dot = mantissa.find('.');
        std::string intpart = dot == std::string::npos ? mantissa : mantissa.substr(0, dot);
        std::string frac = dot == std::string::npos ? "" : mantissa.substr(dot + 1);
        digits = intpart + frac;
        point = static_cast<int>(intpart.size());
        if (!exponent.empty()) point += std::atoi(exponent.c_str());
        // strip leading zeros
        std::size_t lead = 0;
        while (lead + 1 < digits.size() && digits[lead] == '0') {
            ++lead;
            --point;
        }
        digits.erase(0, lead);
        while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
        if (digits == "0") point = 1;
    }
    const int exp10 = point - 1;
    std::string out = neg ? "-" : "";
    if (digits == "0") return out + "0.0";
    if (exp10 >= 16 || exp10 < -4) {
        out += digits.substr(0, 1);
        if (digits.size() > 1) out += "." + digits.substr(1);
        char eb[16];
        std::snprintf(eb, sizeof eb, "e%c%02d", exp10 < 0 ? '-' : '+', std::abs(exp10));
        return out + eb;
    }
    if (point <= 0) return out + "0." + std::string(static_cast<std::size_t>(-point), '0') + digits;
    if (static_cast<std::size_t>(point) >= digits.size())
        return out + digits + std::string(static_cast<std::size_t>(point) - digits.size(), '0') + ".0";
    return out + digits.substr(0, static_cast<std::size_t>(point)) + "." +
           digits.substr(static_cast<std::size_t>(point));
}

static std::string repr_string(const std::string& s) {
    const bool has_single = s.find('\'') != std::string::npos;
    const bool has_double = s.find('"') != std::string::npos;
    const char quote = has_single && !has_double ? '"' : '\'';
    std::string out(1, quote);
    for (std::size_t pos = 0; pos < s.size();) {
        const std::size_t start = pos;
        const char32_t c = utf8::decode(s, pos);
        char buf[16];
        if (c == static_cast<char32_t>(quote) || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (!is_py_printable(c)) {  // Python escapes non-printable characters
            if (c < 0x100)
                std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
            else if (c < 0x10000)
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
            else
                std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(c));
            out += buf;
        } else {
            out.append(s, start, pos - start);
        }
    }
    out += quote;
    return out;
}

std::string repr(const Value& v) {
    switch (v.kind) {
    case Kind::String: return repr_string(v.s);
    case Kind::List: {
        std::string out = v.is_tuple ? "(" : "[";
        for (std::size_t k = 0; k < v.list->size(); ++k) {
            if (k) out += ", ";
            out += repr((*v.list)[k]);
        }
        if (v.is_tuple && v.list->size() == 1) out += ",";
        return out + (v.is_tuple ? ")" : "]");
    }
    case Kind::Dict: {
        std::string out = "{";
        bool first = true;
        for (const auto& [k, val] : v.dict->items) {
            if (!first) out += ", ";
            first = false;
            out += repr_string(k) + ": " + repr(val);
        }
        return out + "}";
    }
    default: return to_str(v);
    }
}

std::string to_str(const Value& v) {
    switch (v.kind) {
    case Kind::Undefined: return "";
    case Kind::None: return "None";
    case Kind::Bool: return v.b ? "True" : "False";
    case Kind::Int: return std::to_string(v.i);
    case Kind::Float: return float_repr(v.f);
    case Kind::String: return v.s;
    case Kind::List:
    case Kind::Dict: return repr(v);
    case Kind::Namespace: return "<Namespace>";
    case Kind::Function: return "<function>";
    }
    return "";
}

bool equals(const Value& a, const Value& b) {
    const bool an = a.is_number() || a.kind == Kind::Bool, bn = b.is_number() || b.kind == Kind::Bool;
    if (an && bn) {
        if (a.kind != Kind::Float && b.kind != Kind::Float)
            return a.as_double() == b.as_double() &&
                   (a.kind == Kind::Bool ? a.b : a.i) == (b.kind == Kind::Bool ? b.b : b.i);
        return a.as_double() == b.as_double();
    }
    if (a.kind != b.kind) return false;
    switch (a.kind) {
    case Kind::Undefined:
    case Kind::None: return true;
    case Kind::String: return a.s == b.s;
    case Kind::List:
        if (a.list->size() != b.list->size()) return false;
        for (std::size_t k = 0; k < a.list->size(); ++k)
            if (!equals((*a.list)[k], (*b.list)[k])) return false;
        return true;
    case Kind::Dict:
        if (a.dict->items.size() != b.dict->items.size()) return false;
        for (const auto& [k, v] : a.dict->items) {
            const Value* o = b.dict->find(k);
            if (!o || !equals(v, *o)) return false;
        }
        return true;
    default: return a.dict == b.dict && a.fn == b.fn;
    }
}

std::string type_name(const Value& v) {
    switch (v.kind) {
    case Kind::Undefined: return "Undefined";
    case Kind::None: return "NoneType";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Float: return "float";
    case Kind::String: return "str";
    case Kind::List: return v.is_tuple ? "tuple" : "list";
    case Kind::Dict: return "dict";
    case Kind::Namespace: return "Namespace";
    case Kind::Function: return "function";
    }
    return "?";
}

Value from_json(const nlohmann::ordered_json& j) {
    switch (j.type()) {
    case nlohmann::ordered_json::value_t::null: return Value::none();
    case nlohmann::ordered_json::value_t::boolean: return Value::boolean(j.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer: return Value::integer(j.get<std::int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned:
        return Value::integer(static_cast<std::int64_t>(j.get<std::uint64_t>()));
    case nlohmann::ordered_json::value_t::number_float: return Value::number(j.get<double>());
    case nlohmann::ordered_json::value_t::string: return Value::string(j.get<std::string>());
    case nlohmann::ordered_json::value_t::array: {
        List items;
        items.reserve(j.size());
        for (const auto& e : j) items.push_back(from_json(e));
        return Value::make_list(std::move(items));
    }
    case nlohmann::ordered_json::value_t::object: {
        Value d = Value::make_dict();
        for (auto it = j.begin(); it != j.end(); ++it) d.dict->items.emplace_back(it.key(), from_json(it.value()));
        return d;
    }
    default: return Value::undefined();
    }
}

static void json_string(std::string& out, const std::string& s, bool ensure_ascii) {
    out += '"';
    for (std::size_t pos = 0; pos < s.size();) {
        const char c = s[pos];
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80 && ensure_ascii) {  // \uXXXX, with a surrogate pair above the BMP
            char32_t cp = utf8::decode(s, pos);
            char buf[16];
            if (cp >= 0x10000) {
                cp -= 0x10000;
                std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
            } else {
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
            }
            out += buf;
            continue;
        }
        ++pos;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (u < 0x20 || (ensure_ascii && u == 0x7f)) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", u);
                out += buf;
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

static void json_value(std::string& out, const Value& v, const JsonStyle& style, int depth) {
    const int indent = style.indent;
    const std::string item_sep = style.item_separator ? *style.item_separator : (indent >= 0 ? "," : ", ");
    const std::string key_sep = style.key_separator ? *style.key_separator : ": ";
    const auto newline = [&](int d) {
        out += '\n';
        out.append(static_cast<std::size_t>(indent * d), ' ');
    };
    if (depth > 500) fail("tojson: value nested too deeply");
    switch (v.kind) {
    case Kind::None: out += "null"; return;
    case Kind::Bool: out += v.b ? "true" : "false"; return;
    case Kind::Int: out += std::to_string(v.i); return;
    case Kind::Float:
        if (std::isnan(v.f))
            out += "NaN";
        else if (std::isinf(v.f))
            out += v.f > 0 ? "Infinity" : "-Infinity";
        else
            out += float_repr(v.f);
        return;
    case Kind::String: json_string(out, v.s, style.ensure_ascii); return;
    case Kind::List: {
        if (v.list->empty()) {
            out += "[]";
            return;
        }
        out += '[';
        for (std::size_t k = 0; k < v.list->size(); ++k) {
            if (k) out += item_sep;
            if (indent >= 0) newline(depth + 1);
            json_value(out, (*v.list)[k], style, depth + 1);
        }
        if (indent >= 0) newline(depth);
        out += ']';
        return;
    }
    case Kind::Dict: {
        if (v.dict->items.empty()) {
            out += "{}";
            return;
        }
        std::vector<const std::pair<std::string, Value>*> items;
        for (const auto& item : v.dict->items) items.push_back(&item);
        if (style.sort_keys)
            std::stable_sort(items.begin(), items.end(), [](auto* a, auto* b) { return a->first < b->first; });
        out += '{';
        for (std::size_t k = 0; k < items.size(); ++k) {
            if (k) out += item_sep;
            if (indent >= 0) newline(depth + 1);
            json_string(out, items[k]->first, style.ensure_ascii);
            out += key_sep;
            json_value(out, items[k]->second, style, depth + 1);
        }
        if (indent >= 0) newline(depth);
        out += '}';
        return;
    }
    default: fail("Object of type %s is not JSON serializable", type_name(v).c_str());
    }
}

std::string to_json_text(const Value& v, const JsonStyle& style) {
    std::string out;
    json_value(out, v, style, 0);
    return out;
}

std::string to_json_text(const Value& v, int indent, bool sort_keys) {
    JsonStyle style;
    style.indent = indent;
    style.sort_keys = sort_keys;
    return to_json_text(v, style);
}

std::u32string to_u32(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t pos = 0; pos < s.size();) out += utf8::decode(s, pos);
    return out;
}

std::string from_u32(std::u32string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char32_t c : s) utf8::append(out, c);
    return out;
}

bool is_py_space(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

std::string py_strip_ws(std::string_view s) {
    const std::u32string u = to_u32(s);
    std::size_t b = 0, e = u.size();
    while (b < e && is_py_space(u[b])) ++b;
    while (e > b && is_py_space(u[e - 1])) --e;
    return from_u32(std::u32string_view(u).substr(b, e - b));
}

}  // namespace ponder::chat::jinja
