// records.cpp: names of roles/statuses/error kinds as stored in the database, and the clock.
#include "storage/records.h"
#include "storage/storage_error.h"

#include <chrono>

namespace ponder::storage {

std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string_view to_string(Role role) {
    switch (role) {
    case Role::System: return "system";
    case Role::User: return "user";
    case Role::Assistant: return "assistant";
    }
    return "user";
}

std::optional<Role> parse_role(std::string_view text) {
    for (Role r : {Role::System, Role::User, Role::Assistant})
        if (to_string(r) == text) return r;
    return std::nullopt;
}

std::string_view to_string(MessageStatus status) {
    switch (status) {
    case MessageStatus::Streaming: return "streaming";
    case MessageStatus::Complete: return "complete";
    case MessageStatus::Stopped: return "stopped";
    case MessageStatus::Failed: return "failed";
    case MessageStatus::Interrupted: return "interrupted";
    }
    return "complete";
}

std::optional<MessageStatus> parse_message_status(std::string_view text) {
    for (MessageStatus s : {MessageStatus::Streaming, MessageStatus::Complete, MessageStatus::Stopped,
                            MessageStatus::Failed, MessageStatus::Interrupted})
        if (to_string(s) == text) return s;
    return std::nullopt;
}

std::string_view to_string(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::Busy: return "busy";
    case ErrorKind::ReadOnly: return "read-only";
    case ErrorKind::Corrupt: return "corrupt";
    case ErrorKind::DiskFull: return "disk full";
    case ErrorKind::TooNew: return "too new";
    case ErrorKind::Io: return "i/o";
    case ErrorKind::NotFound: return "not found";
    case ErrorKind::InvalidArgument: return "invalid argument";
    case ErrorKind::Internal: return "internal";
    }
    return "internal";
}

}  // namespace ponder::storage
