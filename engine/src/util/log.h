// log.h: engine-internal logging, routed to the handler set with ponder::set_log_handler().
#pragma once

#include "util/error.h"

namespace ponder {

void log_message(LogLevel level, const char* fmt, ...) PONDER_PRINTF(2, 3);

#define PONDER_LOG_DEBUG(...) ::ponder::log_message(::ponder::LogLevel::Debug, __VA_ARGS__)
#define PONDER_LOG_INFO(...) ::ponder::log_message(::ponder::LogLevel::Info, __VA_ARGS__)
#define PONDER_LOG_WARN(...) ::ponder::log_message(::ponder::LogLevel::Warning, __VA_ARGS__)
#define PONDER_LOG_ERROR(...) ::ponder::log_message(::ponder::LogLevel::Error, __VA_ARGS__)

}  // namespace ponder
