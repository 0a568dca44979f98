// value.h: the dynamic values a Jinja template computes with, printed and compared with Python semantics.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ponder::chat::jinja {

struct Value;
using List = std::vector<Value>;
struct Dict;
struct CallArgs;
using Function = std::function<Value(CallArgs&)>;

enum class Kind { Undefined, None, Bool, Int, Float, String, List, Dict, Namespace, Function };

struct Value {
    Kind kind = Kind::Undefined;
    bool b = false;
    std::int64_t i = 0;
    double f = 0;
    std::string s;                 // String; for Undefined: the missing name (for errors)
    std::shared_ptr<List> list;    // List (treated as immutable once built)
    std::shared_ptr<Dict> dict;    // Dict and Namespace (only a namespace is mutated)
    std::shared_ptr<Function> fn;  // Function
    bool is_tuple = false;         // a List written as a tuple: repr uses ()

    static Value undefined(std::string name = {});
    static Value none();
    static Value boolean(bool v);
    static Value integer(std::int64_t v);
    static Value number(double v);
    static Value string(std::string v);
    static Value make_list(List items = {});
    static Value make_dict();
    static Value make_namespace();
    static Value function(Function fn);

    bool is_undefined() const { return kind == Kind::Undefined; }
    bool is_none() const { return kind == Kind::None; }
    bool is_string() const { return kind == Kind::String; }
    bool is_list() const { return kind == Kind::List; }
    bool is_dict() const { return kind == Kind::Dict; }
    bool is_number() const { return kind == Kind::Int || kind == Kind::Float; }
    double as_double() const { return kind == Kind::Float ? f : static_cast<double>(kind == Kind::Bool ? b : i); }
};

// An insertion-ordered string-keyed map (JSON objects keep key order, as Python dicts do).
struct Dict {
    std::vector<std::pair<std::string, Value>> items;
    const Value* find(std::string_view key) const;
    void set(std::string key, Value value);
};

// Arguments of a call: positional then keyword. `self` is the receiver of a bound method.
struct CallArgs {
    std::vector<Value> positional;
    std::vector<std::pair<std::string, Value>> keyword;
    // positional[index] or keyword `name`, else nullptr.
    const Value* get(std::size_t index, std::string_view name) const;
};

// Python truthiness.
bool truthy(const Value& v);
// Python str(): what {{ v }} prints (Undefined prints as "").
std::string to_str(const Value& v);
// Python repr() (used for lists/dicts printed as text).
std::string repr(const Value& v);
// Python float repr: shortest round-trip form, "1.0", "1e+20", "inf".
std::string float_repr(double d);
// Python == between values (1 == 1.0, deep on lists/dicts).
bool equals(const Value& a, const Value& b);
// Python type name, for error messages ("str", "int", "list", "dict", "NoneType", ...).
std::string type_name(const Value& v);

Value from_json(const nlohmann::ordered_json& j);
// json.dumps options (Python's defaults except ensure_ascii, which Hugging Face turns off).
struct JsonStyle {
    int indent = -1;  // <0: None (one line)
    bool sort_keys = false;
    bool ensure_ascii = false;
    std::optional<std::string> item_separator;  // default ", " (or "," with an indent)
    std::optional<std::string> key_separator;   // default ": "
};
std::string to_json_text(const Value& v, const JsonStyle& style);
std::string to_json_text(const Value& v, int indent, bool sort_keys);

// Code-point helpers: Jinja strings index, slice and measure by code point.
std::u32string to_u32(std::string_view s);
std::string from_u32(std::u32string_view s);
// Python str.isspace() for one code point.
bool is_py_space(char32_t c);
// Python's str.upper()/lower() (simple mappings for Latin, Greek, Cyrillic; ß -> SS).
std::string change_case(std::string_view s, bool upper);
char32_t to_upper_cp(char32_t c);
char32_t to_lower_cp(char32_t c);
bool is_cased_letter(char32_t c);
// Python str.isprintable() for one code point (repr() escapes the others).
bool is_py_printable(char32_t c);
// Python str.strip() with no arguments.
std::string py_strip_ws(std::string_view s);

}  // namespace ponder::chat::jinja
