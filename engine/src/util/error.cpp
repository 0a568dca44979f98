// error.cpp: formatted messages and ponder::Error.
#include "util/error.h"

#include <cstdarg>
#include <cstdio>

namespace ponder {

static std::string vstrprintf(const char* fmt, va_list args) {
    va_list copy;
    va_copy(copy, args);
    const int n = std::vsnprintf(nullptr, 0, fmt, copy);
    va_end(copy);
    if (n <= 0) return {};
    std::string out(static_cast<size_t>(n), '\0');
    std::vsnprintf(out.data(), out.size() + 1, fmt, args);
    return out;
}

std::string strprintf(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    std::string s = vstrprintf(fmt, args);
    va_end(args);
    return s;
}

void fail(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    std::string s = vstrprintf(fmt, args);
    va_end(args);
    throw Error(s);
}

void fail_coded(ErrorCode code, std::vector<std::string> args, const char* fmt, ...) {
    va_list va;
    va_start(va, fmt);
    std::string s = vstrprintf(fmt, va);
    va_end(va);
    throw Error(s, code, std::move(args));
}

}  // namespace ponder
