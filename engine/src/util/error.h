// error.h: printf-style formatting and the one way internal code raises ponder::Error.
#pragma once

#include <ponder/engine.h>

#include <string>
#include <vector>

namespace ponder {

#if defined(__MINGW32__)
// MinGW's plain "printf" archetype is Microsoft's (no %zu); the engine builds with
// __USE_MINGW_ANSI_STDIO, whose formatting is C99's: check against that.
#define PONDER_PRINTF(fmt_index, first_arg) __attribute__((format(gnu_printf, fmt_index, first_arg)))
#elif defined(__GNUC__)
#define PONDER_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define PONDER_PRINTF(fmt_index, first_arg)
#endif

std::string strprintf(const char* fmt, ...) PONDER_PRINTF(1, 2);

// Throws ponder::Error with a formatted message.
[[noreturn]] void fail(const char* fmt, ...) PONDER_PRINTF(1, 2);
// The same with an ErrorCode and its arguments (see engine.h), for failures the app words itself.
[[noreturn]] void fail_coded(ErrorCode code, std::vector<std::string> args, const char* fmt, ...) PONDER_PRINTF(3, 4);

}  // namespace ponder
