// ast.h: the parsed form of a Jinja template: expression and statement nodes.
#pragma once

#include "chat/jinja/value.h"

#include <memory>
#include <string>
#include <vector>

namespace ponder::chat::jinja {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class ExprKind {
    Literal,      // value
    Name,         // name
    ListLit,      // items
    TupleLit,     // items
    DictLit,      // items (key, value pairs flattened: k0, v0, k1, v1, ...)
    GetAttr,      // items[0] . name
    GetItem,      // items[0] [ items[1] ]
    Slice,        // items[0] [ items[1] : items[2] : items[3] ] (null parts allowed)
    Call,         // items[0] ( items[1..] , kwargs )
    Filter,       // items[0] | name ( items[1..], kwargs )   (items[0] null inside {% filter %})
    Test,         // items[0] is [not] name ( items[1..] )
    Unary,        // op items[0]: "-", "+", "not"
    Binary,       // items[0] op items[1]: + - * / // % ** ~ and or
    Compare,      // items[0] ops[k] items[k+1] ...
    Conditional,  // items[1] if items[0] else items[2] (items[2] may be null)
};

struct Expr {
    ExprKind kind = ExprKind::Literal;
    int line = 0, column = 0;
    Value value;       // Literal
    std::string name;  // Name, GetAttr, Call-less Filter/Test name; Unary/Binary op
    std::vector<ExprPtr> items;
    std::vector<std::pair<std::string, ExprPtr>> kwargs;
    std::vector<std::string> ops;  // Compare: "==", "!=", "<", "<=", ">", ">=", "in", "notin"
    bool negated = false;          // Test: "is not"
    int depth = 1;                 // longest path to a leaf (bounded by the parser)
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

enum class StmtKind { Text, Print, If, For, Set, SetBlock, Macro, Break, Continue, Scope };

struct MacroParam {
    std::string name;
    ExprPtr default_value;  // may be null
};

struct Stmt {
    StmtKind kind = StmtKind::Text;
    int line = 0, column = 0;
    std::string text;  // Text
    ExprPtr expr;      // Print, For (iterable), Set (value)
    // If: conditions[k] guards bodies[k]; a trailing extra body is the else branch.
    std::vector<ExprPtr> conditions;
    std::vector<Body> bodies;
    // For: targets (1 = plain, more = unpacking), optional filter, bodies[0] loop, bodies[1] else.
    // Set: targets = one name, several names (unpacking) or "ns.attr" in attribute.
    std::vector<std::string> targets;
    std::string attribute;  // Set ns.attr = ...: the attribute
    ExprPtr filter;         // For ... if filter
    bool recursive = false;
    // Macro
    std::string name;
    std::vector<MacroParam> params;
};

struct Program {
    Body body;
};

}  // namespace ponder::chat::jinja
