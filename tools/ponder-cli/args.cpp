// args.cpp: option parsing for ponder-cli.
#include "args.h"

#include <cstdlib>

namespace ponder::cli {

static bool matches(const std::string& arg, std::string_view name) { return !name.empty() && arg == name; }

// Options are only looked for before a "--" separator; everything after it is positional.
std::size_t Args::option_end() const {
    for (std::size_t i = 0; i < m_args.size(); ++i)
        if (m_args[i] == "--") return i;
    return m_args.size();
}

bool Args::flag(std::string_view name, std::string_view alias) {
    const auto end = m_args.begin() + static_cast<long>(option_end());
    for (auto it = m_args.begin(); it != end; ++it) {
        if (matches(*it, name) || matches(*it, alias)) {
            m_args.erase(it);
            return true;
        }
    }
    return false;
}

std::optional<std::string> Args::value(std::string_view name, std::string_view alias) {
    for (std::size_t i = 0, end = option_end(); i < end; ++i) {
        const std::string& arg = m_args[i];
        for (std::string_view n : {name, alias}) {
            if (n.empty()) continue;
            if (arg == n) {
                if (i + 1 >= m_args.size()) throw UsageError{std::string(n) + " needs a value"};
                std::string v = m_args[i + 1];
                m_args.erase(m_args.begin() + static_cast<long>(i), m_args.begin() + static_cast<long>(i) + 2);
                return v;
            }
            if (arg.size() > n.size() + 1 && arg.compare(0, n.size(), n) == 0 && arg[n.size()] == '=') {
                std::string v = arg.substr(n.size() + 1);
                m_args.erase(m_args.begin() + static_cast<long>(i));
                return v;
            }
        }
    }
    return std::nullopt;
}

std::string Args::required(std::string_view name, std::string_view alias) {
    auto v = value(name, alias);
    if (!v) throw UsageError{"missing " + std::string(name)};
    return *v;
}

int Args::integer(std::string_view name, int fallback, std::string_view alias) {
    auto v = value(name, alias);
    if (!v) return fallback;
    char* end = nullptr;
    const long n = std::strtol(v->c_str(), &end, 10);
    if (end == v->c_str() || *end != '\0')
        throw UsageError{std::string(name) + " expects an integer, got '" + *v + "'"};
    return static_cast<int>(n);
}

double Args::number(std::string_view name, double fallback, std::string_view alias) {
    auto v = value(name, alias);
    if (!v) return fallback;
    char* end = nullptr;
    const double n = std::strtod(v->c_str(), &end);
    if (end == v->c_str() || *end != '\0') throw UsageError{std::string(name) + " expects a number, got '" + *v + "'"};
    return n;
}

std::vector<std::string> Args::positional() {
    const std::size_t end = option_end();
    std::vector<std::string> out;
    for (std::size_t i = 0; i < end; ++i) {
        const std::string& arg = m_args[i];
        if (arg.size() > 1 && arg[0] == '-' && !(arg[1] >= '0' && arg[1] <= '9'))
            throw UsageError{"unknown option " + arg};
        out.push_back(arg);
    }
    if (end < m_args.size()) out.insert(out.end(), m_args.begin() + static_cast<long>(end) + 1, m_args.end());
    return out;
}

}  // namespace ponder::cli
