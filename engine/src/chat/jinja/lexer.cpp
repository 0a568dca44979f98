// lexer.cpp: Jinja tokenizer with Jinja2's whitespace rules (see lexer.h).
#include "chat/jinja/lexer.h"

#include "chat/jinja/value.h"
#include "util/error.h"
#include "util/utf8.h"

#include <cctype>

namespace ponder::chat::jinja {
namespace {

class Lexer {
public:
    Lexer(std::string src, const std::string& name) : m_src(std::move(src)), m_name(name) {}

    std::vector<Token> run() {
        bool line_starting = true;
        while (m_pos < m_src.size()) {
            const std::size_t open = find_tag_start(m_pos);
            std::string text = m_src.substr(m_pos, open - m_pos);
            const int text_line = m_line, text_col = m_col;
            if (open == m_src.size()) {
                push_text(std::move(text), text_line, text_col);
                advance_to(open);
                break;
            }
            const char kind = m_src[open + 1];  // '{', '%' or '#'
            const char sign = open + 2 < m_src.size() ? m_src[open + 2] : '\0';
            if (sign == '-') {
                rstrip_py(text);
            } else if (sign != '+' && kind != '{') {
                // lstrip_blocks: drop spaces between the line start and a block/comment tag.
                const std::size_t nl = text.rfind('\n');
                const std::size_t l_pos = nl == std::string::npos ? 0 : nl + 1;
                if ((l_pos > 0 || line_starting) && l_pos < text.size() && all_space(text, l_pos)) text.erase(l_pos);
            }
            push_text(std::move(text), text_line, text_col);
            advance_to(open);
            const int tag_line = m_line, tag_col = m_col;
            advance_to(open + 2 + ((sign == '-' || sign == '+') ? 1 : 0));
            if (kind == '#') {
                line_starting = lex_comment(tag_line, tag_col);
            } else {
                m_tokens.push_back({kind == '{' ? TokenType::VarBegin : TokenType::BlockBegin, "", tag_line, tag_col});
                line_starting = lex_tag(kind == '{', tag_line, tag_col);
                if (kind == '%' && is_raw_tag()) line_starting = lex_raw(tag_line, tag_col, line_starting);
            }
        }
        m_tokens.push_back({TokenType::End, "", m_line, m_col});
        return std::move(m_tokens);
    }

private:
    [[noreturn]] void error(int line, int col, const std::string& what) const {
        fail("%s:%d:%d: %s", m_name.c_str(), line, col, what.c_str());
    }

    std::size_t find_tag_start(std::size_t from) const {
        for (std::size_t p = from; p + 1 < m_src.size(); ++p) {
            if (m_src[p] == '{' && (m_src[p + 1] == '{' || m_src[p + 1] == '%' || m_src[p + 1] == '#')) return p;
        }
        return m_src.size();
    }

    void advance_to(std::size_t target) {
        while (m_pos < target) {
            if (m_src[m_pos] == '\n') {
                ++m_line;
                m_col = 1;
            } else if ((static_cast<unsigned char>(m_src[m_pos]) & 0xC0) != 0x80) {
                ++m_col;
            }
            ++m_pos;
        }
    }

    void push_text(std::string text, int line, int col) {
        if (!text.empty()) m_tokens.push_back({TokenType::Text, std::move(text), line, col});
    }

    static bool all_space(const std::string& s, std::size_t from) {
        std::size_t pos = from;
        while (pos < s.size()) {
            if (!is_py_space(utf8::decode(s, pos))) return false;
        }
        return true;
    }

    // Python str.rstrip(): removes trailing Unicode whitespace.
    static void rstrip_py(std::string& s) {
        std::size_t keep = 0;
        for (std::size_t pos = 0; pos < s.size();) {
            const char32_t c = utf8::decode(s, pos);
            if (!is_py_space(c)) keep = pos;
        }
        s.erase(keep);
    }

    // Consumes whitespace after a "-%}"-style end; returns whether the consumed text ended in '\n'.
    bool skip_space_after() {
        bool ends_newline = false;
        while (m_pos < m_src.size()) {
            std::size_t p = m_pos;
            const char32_t c = utf8::decode(m_src, p);
            if (!is_py_space(c)) break;
            ends_newline = c == '\n';
            advance_to(p);
        }
        return ends_newline;
    }

    bool lex_comment(int line, int col) {
        const std::size_t end = m_src.find("#}", m_pos);
        if (end == std::string::npos) error(line, col, "unterminated comment");
        const bool strip = end > m_pos && m_src[end - 1] == '-';
        advance_to(end + 2);
        if (strip) return skip_space_after();
        if (m_pos < m_src.size() && m_src[m_pos] == '\n') {  // trim_blocks
            advance_to(m_pos + 1);
            return true;
        }
        return false;
    }

    // Lexes the inside of {{ }} or {% %}; returns whether the tag's end consumed a trailing newline.
    bool lex_tag(bool variable, int line, int col) {
        int depth = 0;
        const std::string close = variable ? "}}" : "%}";
        for (;;) {
            while (m_pos < m_src.size() && std::isspace(static_cast<unsigned char>(m_src[m_pos])))
                advance_to(m_pos + 1);
            if (m_pos >= m_src.size()) error(line, col, variable ? "unterminated '{{'" : "unterminated '{%'");
            const int tl = m_line, tc = m_col;
            if (depth == 0) {
                if (m_src.compare(m_pos, 3, "-" + close) == 0) {
                    advance_to(m_pos + 3);
                    m_tokens.push_back({variable ? TokenType::VarEnd : TokenType::BlockEnd, "", tl, tc});
                    return skip_space_after();
                }
                if (!variable && m_src.compare(m_pos, 3, "+%}") == 0) {
                    advance_to(m_pos + 3);
                    m_tokens.push_back({TokenType::BlockEnd, "", tl, tc});
                    return false;
                }
                if (m_src.compare(m_pos, 2, close) == 0) {
                    advance_to(m_pos + 2);
                    m_tokens.push_back({variable ? TokenType::VarEnd : TokenType::BlockEnd, "", tl, tc});
                    if (!variable && m_pos < m_src.size() && m_src[m_pos] == '\n') {  // trim_blocks
                        advance_to(m_pos + 1);
                        return true;
                    }
                    return false;
                }
            }
            const char c = m_src[m_pos];
            if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
                std::size_t e = m_pos;
                while (e < m_src.size() && (std::isalnum(static_cast<unsigned char>(m_src[e])) || m_src[e] == '_')) ++e;
                m_tokens.push_back({TokenType::Name, m_src.substr(m_pos, e - m_pos), tl, tc});
                advance_to(e);
            } else if (std::isdigit(static_cast<unsigned char>(c))) {
                lex_number(tl, tc);
            } else if (c == '\'' || c == '"') {
                lex_string(tl, tc);
            } else {
                static const char* ops[] = {"//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<",
                                            ">",  "=",  "(",  ")",  "[",  "]",  "{", "}", ",", ".", ":", "|", ";"};
                bool matched = false;
                for (const char* op : ops) {
                    const std::size_t n = std::char_traits<char>::length(op);
                    if (m_src.compare(m_pos, n, op) == 0) {
                        if (op[0] == '(' || op[0] == '[' || op[0] == '{') ++depth;
                        if ((op[0] == ')' || op[0] == ']' || op[0] == '}') && depth > 0) --depth;
                        m_tokens.push_back({TokenType::Operator, op, tl, tc});
                        advance_to(m_pos + n);
                        matched = true;
                        break;
                    }
                }
                if (!matched) error(tl, tc, std::string("unexpected character '") + c + "'");
            }
        }
    }

    bool is_raw_tag() const {
        const std::size_t n = m_tokens.size();
        return n >= 3 && m_tokens[n - 3].type == TokenType::BlockBegin && m_tokens[n - 2].type == TokenType::Name &&
               m_tokens[n - 2].text == "raw" && m_tokens[n - 1].type == TokenType::BlockEnd;
    }

    // {% raw %}...{% endraw %}: the body is text, tags in it are not interpreted. Jinja2 does not
    // apply trim_blocks to the raw tag itself, so a newline lex_tag took after it is given back.
    bool lex_raw(int line, int col, bool took_newline) {
        m_tokens.resize(m_tokens.size() - 3);
        for (std::size_t from = m_pos;;) {
            const std::size_t open = m_src.find("{%", from);
            if (open == std::string::npos) error(line, col, "unterminated raw block (missing '{% endraw %}')");
            std::size_t p = open + 2;
            const char sign = p < m_src.size() ? m_src[p] : '\0';
            if (sign == '-' || sign == '+') ++p;
            while (p < m_src.size() && std::isspace(static_cast<unsigned char>(m_src[p]))) ++p;
            if (m_src.compare(p, 6, "endraw") != 0) {
                from = open + 2;
                continue;
            }
            p += 6;
            while (p < m_src.size() && std::isspace(static_cast<unsigned char>(m_src[p]))) ++p;
            const bool strip_after = m_src.compare(p, 3, "-%}") == 0;
            if (!strip_after && m_src.compare(p, 2, "%}") != 0) error(line, col, "malformed '{% endraw %}'");
            std::string text = (took_newline ? "\n" : "") + m_src.substr(m_pos, open - m_pos);
            if (sign == '-') {
                rstrip_py(text);
            } else if (sign != '+') {
                const std::size_t nl = text.rfind('\n');
                const std::size_t l_pos = nl == std::string::npos ? 0 : nl + 1;
                if (l_pos < text.size() && all_space(text, l_pos)) text.erase(l_pos);
            }
            push_text(std::move(text), m_line, m_col);
            advance_to(p + (strip_after ? 3 : 2));
            if (strip_after) return skip_space_after();
            if (m_pos < m_src.size() && m_src[m_pos] == '\n') {
                advance_to(m_pos + 1);
                return true;
            }
            return false;
        }
    }

    void lex_number(int line, int col) {
        std::size_t e = m_pos;
        bool is_float = false;
        while (e < m_src.size() && (std::isdigit(static_cast<unsigned char>(m_src[e])) || m_src[e] == '_')) ++e;
        if (e + 1 < m_src.size() && m_src[e] == '.' && std::isdigit(static_cast<unsigned char>(m_src[e + 1]))) {
            is_float = true;
            ++e;
            while (e < m_src.size() && (std::isdigit(static_cast<unsigned char>(m_src[e])) || m_src[e] == '_')) ++e;
        }
        if (e < m_src.size() && (m_src[e] == 'e' || m_src[e] == 'E')) {
            std::size_t x = e + 1;
            if (x < m_src.size() && (m_src[x] == '+' || m_src[x] == '-')) ++x;
            if (x < m_src.size() && std::isdigit(static_cast<unsigned char>(m_src[x]))) {
                is_float = true;
                e = x;
                while (e < m_src.size() && std::isdigit(static_cast<unsigned char>(m_src[e]))) ++e;
            }
        }
        std::string text;
        for (std::size_t k = m_pos; k < e; ++k)
            if (m_src[k] != '_') text += m_src[k];
        m_tokens.push_back({is_float ? TokenType::Float : TokenType::Integer, text, line, col});
        advance_to(e);
    }

    void lex_string(int line, int col) {
        const char quote = m_src[m_pos];
        std::size_t p = m_pos + 1;
        std::string value;
        for (;;) {
            if (p >= m_src.size()) error(line, col, "unterminated string");
            const char c = m_src[p];
            if (c == quote) break;
            if (c != '\\') {
                value += c;
                ++p;
                continue;
            }
            if (p + 1 >= m_src.size()) error(line, col, "unterminated string");
            const char e = m_src[p + 1];
            p += 2;
            switch (e) {
            case 'n': value += '\n'; break;
            case 't': value += '\t'; break;
            case 'r': value += '\r'; break;
            case '0': value += '\0'; break;
            case 'a': value += '\a'; break;
            case 'b': value += '\b'; break;
            case 'f': value += '\f'; break;
            case 'v': value += '\v'; break;
            case '\\': value += '\\'; break;
            case '\'': value += '\''; break;
            case '"': value += '"'; break;
            case '\n': break;
            case 'x':
            case 'u':
            case 'U': {
                const std::size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                if (p + n > m_src.size()) error(line, col, "bad escape in string");
                const std::string hex = m_src.substr(p, n);
                for (char h : hex)
                    if (!std::isxdigit(static_cast<unsigned char>(h))) error(line, col, "bad escape in string");
                utf8::append(value, static_cast<char32_t>(std::stoul(hex, nullptr, 16)));
                p += n;
                break;
            }
            default: value += '\\'; value += e;
            }
        }
        m_tokens.push_back({TokenType::String, value, line, col});
        advance_to(p + 1);
    }

    std::string m_src;
    const std::string& m_name;
    std::size_t m_pos = 0;
    int m_line = 1, m_col = 1;
    std::vector<Token> m_tokens;
};

// Jinja2 normalises newlines to "\n" and drops one trailing newline (keep_trailing_newline=False).
std::string normalize_source(std::string_view source) {
    std::string out;
    out.reserve(source.size());
    for (std::size_t k = 0; k < source.size(); ++k) {
        if (source[k] == '\r') {
            out += '\n';
            if (k + 1 < source.size() && source[k + 1] == '\n') ++k;
        } else {
            out += source[k];
        }
    }
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

}  // namespace

std::vector<Token> lex(std::string_view source, const std::string& name) {
    return Lexer(normalize_source(source), name).run();
}

}  // namespace ponder::chat::jinja
