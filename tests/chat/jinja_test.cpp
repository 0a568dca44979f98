// jinja_test.cpp: the Jinja subset with inline templates; expected outputs are worked out by hand from Jinja2 semantics.
#include "chat/chat_template.h"

#include <gtest/gtest.h>

namespace {

using nlohmann::ordered_json;
using ponder::chat::ChatTemplate;

std::string render(const std::string& source, const ordered_json& vars = ordered_json::object()) {
    return ChatTemplate(source, "test").render_json(vars);
}

std::string render_error(const std::string& source, const ordered_json& vars = ordered_json::object()) {
    try {
        ChatTemplate(source, "test").render_json(vars);
    } catch (const ponder::Error& e) {
        return e.what();
    }
    return "(no error)";
}

std::string compile_error(const std::string& source) {
    try {
        ChatTemplate t(source, "test");
    } catch (const ponder::Error& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(Jinja, TrimBlocksAndLstripBlocks) {
    // trim_blocks eats the newline after a block tag; lstrip_blocks the indentation before it.
    EXPECT_EQ(render("{% if true %}\n  yes\n{% endif %}\nend"), "  yes\nend");
    EXPECT_EQ(render("a\n    {% if true %}\nb\n    {% endif %}\nc"), "a\nb\nc");
    // Variable tags are not stripped.
    EXPECT_EQ(render("  {{ 'x' }}\n"), "  x");
    // A single trailing newline of the source is dropped (keep_trailing_newline=False).
    EXPECT_EQ(render("x\n\n"), "x\n");
}

TEST(Jinja, ExplicitWhitespaceControl) {
    EXPECT_EQ(render("a   \n {{- 'b' -}} \n\t c"), "abc");
    EXPECT_EQ(render("a {%- if true -%} b {%- endif -%} c"), "abc");
    EXPECT_EQ(render("a\n{#- comment -#}\nb"), "ab");
    EXPECT_EQ(render("  {%+ if true %}x{% endif %}"), "  x");
}

TEST(Jinja, LoopVariables) {
    EXPECT_EQ(render("{% for x in ['a','b','c'] %}{{ loop.index }}{{ loop.index0 }}{{ x }}"
                     "{% if loop.first %}F{% endif %}{% if loop.last %}L{% endif %};{% endfor %}"),
              "10aF;21b;32cL;");
    EXPECT_EQ(render("{% for x in [1,2,3] %}{{ loop.previtem }}-{{ loop.nextitem }}|{% endfor %}"), "-2|1-3|2-|");
    EXPECT_EQ(render("{% for x in [1,2,3,4] if x is even %}{{ x }}/{{ loop.length }} {% endfor %}"), "2/2 4/2 ");
    EXPECT_EQ(render("{% for x in [] %}a{% else %}empty{% endfor %}"), "empty");
    EXPECT_EQ(render("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }},{% endfor %}"), "a=1,b=2,");
    EXPECT_EQ(render("{% for x in range(5) %}{% if x == 3 %}{% break %}{% endif %}{% if x == 1 %}{% continue %}"
                     "{% endif %}{{ x }}{% endfor %}"),
              "02");
}

TEST(Jinja, ScopingAndNamespaces) {
    // A plain set inside a loop does not leak; a namespace attribute does.
    EXPECT_EQ(render("{% set n = 0 %}{% set ns = namespace(n=0) %}{% for x in [1,2] %}{% set n = n + x %}"
                     "{% set ns.n = ns.n + x %}{% endfor %}{{ n }} {{ ns.n }}"),
              "0 3");
    EXPECT_EQ(render("{% set a, b = [1, 2] %}{{ b }}{{ a }}"), "21");
    EXPECT_EQ(render("{% set block %}in{{ 1 + 1 }}{% endset %}[{{ block }}]"), "[in2]");
}

TEST(Jinja, Macros) {
    EXPECT_EQ(render("{% macro greet(name, punct='!') %} Hi {{ name }}{{ punct }} {% endmacro %}"
                     "{{ greet('Ann') | trim }}|{{ greet('Bo', punct='?') }}"),
              "Hi Ann!| Hi Bo? ");
    EXPECT_EQ(render("{% macro f(x) %}{{ x is defined }}{% endmacro %}{{ f() }}"), "False");
}

TEST(Jinja, ExpressionsAndPrecedence) {
    EXPECT_EQ(render("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ 2 ** 3 }}"),
              "7 9 3 -4 1 8");
    EXPECT_EQ(render("{{ 7 / 2 }} {{ 4 / 2 }} {{ 0.1 + 0.2 }}"), "3.5 2.0 0.30000000000000004");
    EXPECT_EQ(render("{{ 'a' ~ 1 ~ none ~ true }}"), "a1NoneTrue");
    EXPECT_EQ(render("{{ 'x' if false }}|{{ 'y' if 1 > 0 else 'z' }}"), "|y");
    EXPECT_EQ(render("{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'ab' in 'cabd' }} {{ 2 not in [1, 3] }}"),
              "True False True True");
    EXPECT_EQ(render("{{ not none and 'q' or 'r' }}"), "q");
    EXPECT_EQ(render("{{ [1, 'a', none, true] }} {{ {'k': 'it\\'s'} }}"), "[1, 'a', None, True] {'k': \"it's\"}");
}

TEST(Jinja, UndefinedIsLenient) {
    EXPECT_EQ(render("[{{ missing }}]{% if missing %}x{% endif %}{% for a in missing %}y{% endfor %}"), "[]");
    EXPECT_EQ(render("{{ d.nokey is defined }} {{ d.nokey }}|{{ none.attr is defined }}", {{"d", {{"a", 1}}}}),
              "False |False");
    EXPECT_NE(render_error("{{ missing.attr }}").find("missing"), std::string::npos);
    EXPECT_EQ(render("{{ missing | default('dflt') }} {{ '' | default('e', true) }}"), "dflt e");
}

TEST(Jinja, SubscriptsAndSlices) {
    const ordered_json vars = {{"xs", {1, 2, 3, 4}}, {"s", "h\xC3\xA9llo"}};
    EXPECT_EQ(render("{{ xs[0] }}{{ xs[-1] }}{{ xs[1:3] }}{{ xs[::-1] }}{{ xs[:-1] }}", vars),
              "14[2, 3][4, 3, 2, 1][1, 2, 3]");
    EXPECT_EQ(render("{{ s[1] }}{{ s[1:3] }}{{ s | length }}{{ s[::-1] }}", vars), "\xC3\xA9\xC3\xA9l5oll\xC3\xA9h");
    EXPECT_EQ(render("{{ xs[10] is defined }}", vars), "False");
}

TEST(Jinja, StringMethodsHavePythonSemantics) {
    EXPECT_EQ(render("{{ '  a b  '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ '  a'.lstrip() }}|{{ 'a  '.rstrip() }}|"),
              "a b|a|a|a|");
    EXPECT_EQ(render("{{ 'a,b,,c'.split(',') }} {{ ' a  b '.split() }} {{ 'a b c'.split(' ', 1) }}"),
              "['a', 'b', '', 'c'] ['a', 'b'] ['a', 'b c']");
    EXPECT_EQ(render("{{ 'abc'.startswith('ab') }}{{ 'abc'.endswith('bc') }}{{ 'abc'.startswith(('x', 'a')) }}"),
              "TrueTrueTrue");
    EXPECT_EQ(
        render("{{ 'aXbX'.replace('X', '-') }} {{ 'Ab'.upper() }} {{ 'Ab'.lower() }} {{ 'hello world'.title() }}"),
        "a-b- AB ab Hello World");
    // str.strip() removes all Unicode whitespace, here U+3000 and U+00A0.
    EXPECT_EQ(render("[{{ '\xE3\x80\x80 x\xC2\xA0' | trim }}]"), "[x]");
}

TEST(Jinja, Filters) {
    const ordered_json vars = {
        {"msgs", {{{"role", "user"}, {"n", 2}}, {{"role", "bot"}, {"n", 1}}, {{"role", "user"}, {"n", 3}}}}};
    EXPECT_EQ(render("{{ msgs | selectattr('role', 'equalto', 'user') | list | length }}", vars), "2");
    EXPECT_EQ(render("{{ msgs | rejectattr('role', 'equalto', 'user') | map(attribute='n') | list }}", vars), "[1]");
    EXPECT_EQ(render("{{ msgs | sort(attribute='n') | map(attribute='n') | join(',') }}", vars), "1,2,3");
    EXPECT_EQ(render("{{ {'b': 1, 'A': 2} | dictsort }}"), "[('A', 2), ('b', 1)]");
    EXPECT_EQ(render("{{ [3, 1] | first }}{{ [3, 1] | last }}{{ 'ab' | upper }}{{ 5 | string }}{{ '7' | int + 1 }}"),
              "31AB58");
    EXPECT_EQ(render("{% for k, v in {'x': 1} | items %}{{ k }}{{ v }}{% endfor %}"), "x1");
}

TEST(Jinja, TojsonMatchesPythonJsonDumps) {
    const ordered_json vars = {{"v", {{"b", 1}, {"a", {true, nullptr, 1.5, "\xE6\x9D\xB1\n\"q\""}}}}};
    EXPECT_EQ(render("{{ v | tojson }}", vars), "{\"b\": 1, \"a\": [true, null, 1.5, \"\xE6\x9D\xB1\\n\\\"q\\\"\"]}");
    EXPECT_EQ(render("{{ v | tojson(indent=2) }}", vars),
              "{\n  \"b\": 1,\n  \"a\": [\n    true,\n    null,\n    1.5,\n    \"\xE6\x9D\xB1\\n\\\"q\\\"\"\n  ]\n}");
    EXPECT_EQ(render("{{ {'b': 1, 'a': 2} | tojson(sort_keys=true) }} {{ 'x' | tojson }} {{ [] | tojson(indent=4) }}"),
              "{\"a\": 2, \"b\": 1} \"x\" []");
}

TEST(Jinja, Tests) {
    EXPECT_EQ(render("{{ 'a' is string }}{{ 1 is string }}{{ {} is mapping }}{{ [] is sequence }}{{ 'a' is iterable }}"
                     "{{ none is none }}{{ false is false }}{{ 0 is false }}{{ 3 is odd }}{{ 4 is divisibleby 2 }}"),
              "TrueFalseTrueTrueTrueTrueTrueFalseTrueTrue");
    EXPECT_EQ(render("{{ x is not defined }}{{ 1 is number }}{{ 1.0 is integer }}"), "TrueTrueFalse");
}

TEST(Jinja, GlobalsAndDictMethods) {
    EXPECT_EQ(
        render("{{ m.get('a') }} {{ m.get('z', 'none') }} {{ m.get('z') }} {{ m.keys() | list }}", {{"m", {{"a", 1}}}}),
        "1 none None ['a']");
    EXPECT_EQ(render("{{ range(3) | list }} {{ range(1, 7, 2) | list }}"), "[0, 1, 2] [1, 3, 5]");
    EXPECT_EQ(render_error("{{ raise_exception('Roles must alternate') }}"), "Roles must alternate");
}

TEST(Jinja, SyntaxErrorsNameLineAndColumn) {
    EXPECT_EQ(compile_error("hello\n{% if x %}\nno end"), "test:3:7: unexpected end of template, expected 'endif'");
    EXPECT_EQ(compile_error("{{ 1 + }}"), "test:1:8: unexpected '}}'");
    EXPECT_EQ(compile_error("a\n  {% include 'x.j2' %}"), "test:2:6: unsupported statement 'include'");
    EXPECT_EQ(compile_error("{{ 'abc }}"), "test:1:4: unterminated string");
    EXPECT_EQ(compile_error("{% for x in y %}"), "test:1:17: unexpected end of template, expected 'endfor'");
}

TEST(Jinja, RenderErrorsAreErrorsNotCrashes) {
    EXPECT_NE(render_error("{{ 1 + 'a' }}").find("unsupported operand"), std::string::npos);
    EXPECT_NE(render_error("{{ x | nosuchfilter }}").find("No filter named 'nosuchfilter'"), std::string::npos);
    EXPECT_NE(render_error("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}").find("recursion"), std::string::npos);
    EXPECT_NE(render_error("{% set x = 1 %}{% set x.a = 2 %}").find("namespace"), std::string::npos);
    EXPECT_NE(render_error("{{ 'x' * 100000000 }}").find("too large"), std::string::npos);
}

TEST(Jinja, StrftimeNowUsesTheGivenTime) {
    std::tm t{};
    t.tm_year = 126;
    t.tm_mon = 0;
    t.tm_mday = 5;
    t.tm_wday = 1;
    ChatTemplate tmpl("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%-d %B, %A') }}", "t");
    EXPECT_EQ(tmpl.render_json(ordered_json::object(), &t), "05 Jan 2026|5 January, Monday");
}

}  // namespace

namespace {

TEST(JinjaRobustness, PathologicalTemplatesFailCleanly) {
    EXPECT_NE(
        compile_error("{{ " + std::string(5000, '(') + "1" + std::string(5000, ')') + " }}").find("nesting too deep"),
        std::string::npos);
    std::string chain = "{{ a";
    for (int k = 0; k < 100000; ++k) chain += ".b";
    EXPECT_NE(compile_error(chain + " }}").find("nested too deeply"), std::string::npos);
    std::string plus = "{{ 1";
    for (int k = 0; k < 100000; ++k) plus += " + 1";
    EXPECT_NE(compile_error(plus + " }}").find("nested too deeply"), std::string::npos);
    std::string ifs;
    for (int k = 0; k < 2000; ++k) ifs += "{% if true %}";
    EXPECT_NE(compile_error(ifs).find("nesting too deep"), std::string::npos);
    EXPECT_NE(render_error("{% for a in range(3000) %}{% for b in range(3000) %}{% endfor %}{% endfor %}")
                  .find("runs too long"),
              std::string::npos);
}

TEST(JinjaRobustness, RandomTemplatesNeverCrash) {
    // Random mixes of template fragments: each must render or throw ponder::Error, nothing else.
    const char* fragments[] = {"{{",
                               "}}",
                               "{%",
                               "%}",
                               "{#",
                               "#}",
                               "-",
                               "+",
                               " if ",
                               " for ",
                               " in ",
                               " else ",
                               " endif ",
                               " endfor ",
                               " set ",
                               "=",
                               "x",
                               "messages",
                               "[",
                               "]",
                               "(",
                               ")",
                               "{",
                               "}",
                               ":",
                               ",",
                               ".",
                               "|",
                               "trim",
                               "length",
                               "'s'",
                               "\"t\"",
                               "1",
                               "2.5",
                               " is ",
                               " not ",
                               "none",
                               "loop",
                               "ns",
                               "namespace(a=1)",
                               "macro",
                               "endmacro",
                               "~",
                               "*",
                               "/",
                               "//",
                               "%",
                               "**",
                               "\n",
                               " ",
                               "\xE2\x82\xAC",
                               "\xFF",
                               "raise_exception",
                               "range(3)"};
    std::uint64_t seed = 12345;
    auto rnd = [&seed](std::size_t n) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::size_t>((seed >> 33) % n);
    };
    const ordered_json vars = {{"messages", {{{"role", "user"}, {"content", "hi"}}}}, {"x", 3}};
    int rendered = 0, rejected = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string source;
        const std::size_t n = 1 + rnd(24);
        for (std::size_t k = 0; k < n; ++k) source += fragments[rnd(std::size(fragments))];
        try {
            ChatTemplate(source, "fuzz").render_json(vars);
            ++rendered;
        } catch (const ponder::Error&) {
            ++rejected;
        }
    }
    EXPECT_EQ(rendered + rejected, 3000);
    EXPECT_GT(rendered, 0);
    EXPECT_GT(rejected, 0);
}

}  // namespace

namespace {

TEST(Jinja, MoreFiltersAndFormatting) {
    EXPECT_EQ(render("{{ '%s=%d' % ('a', 3) }} {{ 'x%sy' % 5 }} {{ '100%%' % () }}"), "a=3 x5y 100%");
    EXPECT_EQ(render("{{ [3, 1, 2] | max }}{{ [3, 1, 2] | min }}{{ 2.567 | round(2) }}{{ 2.5 | round(method='floor') "
                     "}}{{ 2.5 | round }}"),
              "312.572.02.0");
    // json.dumps(ensure_ascii=True) escapes non-ASCII, with a surrogate pair above the BMP.
    EXPECT_EQ(render("{{ '\xC3\xA9\xF0\x9F\x99\x82' | tojson(ensure_ascii=true) }}"), "\"\\u00e9\\ud83d\\ude42\"");
    EXPECT_EQ(render("{{ {'a': [1, 2]} | tojson(separators=(',', ':')) }}"), "{\"a\":[1,2]}");
}

}  // namespace

namespace {

TEST(Jinja, RawBlocks) {
    EXPECT_EQ(render("a{% raw %}{{ not evaluated }}{% if %}{% endraw %}b"), "a{{ not evaluated }}{% if %}b");
    EXPECT_EQ(render("{% raw %}\nx\n{% endraw %}\ny"), "\nx\ny");  // trim_blocks after endraw only
    EXPECT_NE(compile_error("{% raw %}never closed").find("unterminated raw block"), std::string::npos);
}

}  // namespace

namespace {

TEST(Jinja, UnicodeCaseAndRepr) {
    // Python: 'aé'.upper() == 'AÉ', 'ß'.upper() == 'SS', 'ΣΑ'.lower() == 'σα'.
    EXPECT_EQ(render("{{ 'a\xC3\xA9' | upper }}{{ '\xC3\x9F'.upper() }}{{ '\xCE\xA3\xCE\x91'.lower() }}"),
              "A\xC3\x89SS\xCF\x83\xCE\xB1");
    // repr() escapes non-printable characters: U+3000, U+00A0, U+200D.
    EXPECT_EQ(render("{{ ['\xE3\x80\x80', '\xC2\xA0', '\xE2\x80\x8D', '\xE6\x9D\xB1'] }}"),
              "['\\u3000', '\\xa0', '\\u200d', '\xE6\x9D\xB1']");
}

}  // namespace
