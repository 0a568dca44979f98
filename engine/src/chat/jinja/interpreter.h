// interpreter.h: renders a parsed Program: scopes, statements, expressions; filters/tests/methods live in builtins.
#pragma once

#include "chat/jinja/ast.h"
#include "util/error.h"

#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace ponder::chat::jinja {

// raise_exception("...") from a template: what() is exactly the template's message.
struct TemplateRaise : Error {
    using Error::Error;
};
// A render error that already names its template location (not wrapped again).
struct LocatedError : Error {
    using Error::Error;
};

struct RenderOptions {
    std::optional<std::tm> now;  // strftime_now() time; current local time when unset
};

struct Scope {
    std::unordered_map<std::string, Value> vars;
    std::shared_ptr<Scope> parent;
    const Value* lookup(const std::string& name) const;
};

class Interpreter {
public:
    Interpreter(std::string name, RenderOptions options) : m_name(std::move(name)), m_options(options) {}

    // Renders `program` with the variables of `variables` (a Dict value).
    std::string render(const Program& program, const Value& variables);

    Value eval(const Expr& e, const std::shared_ptr<Scope>& scope);
    const RenderOptions& options() const { return m_options; }

    // Filters and tests by name (builtins.cpp). Unknown names raise "No filter named '...'".
    Value apply_filter(const std::string& name, const Value& subject, CallArgs& args);
    bool apply_test(const std::string& name, const Value& subject, CallArgs& args);
    Value call(const Value& callee, CallArgs& args);

private:
    enum class Flow { Normal, Break, Continue };
    Flow exec(const Body& body, const std::shared_ptr<Scope>& scope, std::string& out);
    Flow exec_stmt(const Stmt& s, const std::shared_ptr<Scope>& scope, std::string& out);
    Flow exec_for(const Stmt& s, const std::shared_ptr<Scope>& scope, std::string& out);
    void exec_set(const Stmt& s, const std::shared_ptr<Scope>& scope, const Value& value);
    Value eval_inner(const Expr& e, const std::shared_ptr<Scope>& scope);
    Value eval_binary(const Expr& e, const std::shared_ptr<Scope>& scope);
    Value eval_compare(const Expr& e, const std::shared_ptr<Scope>& scope);
    Value make_macro(const Stmt& s, const std::shared_ptr<Scope>& scope);

    std::string m_name;
    RenderOptions m_options;
    void step();      // counts work; throws past a budget so a runaway template cannot hang the app
    int m_depth = 0;  // macro call depth: recursion limit instead of a stack overflow
    std::int64_t m_steps = 0;
};

// Attribute and item access with Jinja's fallbacks (builtins_methods.cpp).
Value get_attr(const Value& obj, const std::string& name);
Value get_item(const Value& obj, const Value& key);
// Python slicing of lists and strings.
Value slice(const Value& obj, const Value& start, const Value& stop, const Value& step);
// Iteration: lists, dict keys, string code points; undefined iterates as empty. Throws otherwise.
List iterate(const Value& v);
// Python `<` (numbers, strings, lists); throws for unorderable types.
bool py_less(const Value& a, const Value& b);
// Python `a in b`.
bool contains(const Value& container, const Value& item);
// Jinja's len(): strings by code point, lists, dicts.
std::int64_t length(const Value& v);
// Global functions: raise_exception, strftime_now, namespace, range, dict.
void install_globals(Scope& scope, const RenderOptions& options);
// Python string methods used by templates.
std::string py_strip(const std::string& s, const Value* chars, bool left, bool right);

}  // namespace ponder::chat::jinja
