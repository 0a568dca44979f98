// log.cpp: the process-wide log handler (default: warnings and errors to stderr).
#include "util/log.h"

#include <cstdarg>
#include <cstdio>
#include <mutex>

namespace ponder {

namespace {
std::mutex g_log_mutex;  // guards the handler; logging is rare and never on a per-token path
std::function<void(LogLevel, std::string_view)> g_log_handler;
}  // namespace

void set_log_handler(std::function<void(LogLevel, std::string_view)> handler) {
    std::lock_guard lock(g_log_mutex);
    g_log_handler = std::move(handler);
}

void log_message(LogLevel level, const char* fmt, ...) {
    char buffer[1024];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(buffer, sizeof buffer, fmt, args);
    va_end(args);
    std::lock_guard lock(g_log_mutex);
    if (g_log_handler) {
        g_log_handler(level, buffer);
    } else if (level >= LogLevel::Warning) {
        std::fprintf(stderr, "%s: %s\n", level == LogLevel::Error ? "error" : "warning", buffer);
    }
}

}  // namespace ponder
