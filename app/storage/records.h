// records.h: the plain value types stored in the history database (conversations, messages, models).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ponder::storage {

// Timestamps everywhere are Unix epoch milliseconds; ids are SQLite rowids.
std::int64_t now_ms();

enum class Role { System, User, Assistant };
enum class MessageStatus {
    Streaming,    // generation in progress: the row exists and its text grows
    Complete,     // finished normally
    Stopped,      // the user pressed Stop
    Failed,       // the engine failed; Message::error says why
    Interrupted,  // was Streaming when the app crashed or quit; set on the next Database::open
};

std::string_view to_string(Role role);  // "system", "user", "assistant"
std::optional<Role> parse_role(std::string_view text);
std::string_view to_string(MessageStatus status);  // "streaming", "complete", ...
std::optional<MessageStatus> parse_message_status(std::string_view text);

// Per-conversation sampling overrides; nullopt means "use the app's default".
struct SamplingSettings {
    std::optional<double> temperature;
    std::optional<double> top_p;
    std::optional<int> top_k;
    std::optional<double> min_p;
    std::optional<double> repeat_penalty;
    std::optional<std::int64_t> seed;
    std::optional<int> max_tokens;
    bool operator==(const SamplingSettings&) const = default;
};

struct ConversationSettings {
    std::string system_prompt;  // empty: none
    std::string model;          // model path or name last used in this chat; empty: app default
    SamplingSettings sampling;
    bool reasoning_enabled = true;
    int reasoning_budget = -1;  // max thinking tokens; -1: unlimited
    bool operator==(const ConversationSettings&) const = default;
};

struct Conversation {
    std::int64_t id = 0;
    std::string title;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;  // bumped by any change to the chat or its messages
    bool pinned = false;
    ConversationSettings settings;
    std::optional<std::int64_t> current_leaf_id;  // last message of the selected branch
    int message_count = 0;                        // all messages, all branches
};

// Generation figures for an assistant message (zeros until finish()).
struct MessageStats {
    int prompt_tokens = 0;
    int generated_tokens = 0;
    int reasoning_tokens = 0;
    double ttft_ms = 0;  // time to first token
    double tokens_per_s = 0;
    std::string backend;                    // e.g. "cpu", "vulkan: AMD RX 7900"
    int dropped_messages = 0;               // oldest messages left out so the prompt fit the context
    bool reasoning_budget_reached = false;  // the reasoning budget ended the thinking
    bool operator==(const MessageStats&) const = default;
};

struct Message {
    std::int64_t id = 0;
    std::int64_t conversation_id = 0;
    std::optional<std::int64_t> parent_id;  // nullopt: a first message of the conversation
    Role role = Role::User;
    std::string content;            // the answer (or the user's text)
    std::string reasoning;          // the model's thinking; empty for user messages
    std::int64_t reasoning_ms = 0;  // how long the model thought
    MessageStatus status = MessageStatus::Complete;
    std::string error;  // why it failed (status Failed), else empty
    std::string model;  // model that wrote it (assistant), else empty
    MessageStats stats;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

// One step of a conversation's active path, with what the app needs for "2/3" branch arrows.
struct PathEntry {
    Message message;
    int sibling_index = 0;  // 0-based position among messages with the same parent
    int sibling_count = 1;
};

// A model file known to the library.
struct ModelRecord {
    std::int64_t id = 0;
    std::string path;
    std::int64_t size_bytes = 0;
    std::int64_t mtime_ms = 0;
    std::string fingerprint;    // see model_store.h: identify_model_file()
    std::string metadata_json;  // whatever the app/engine wants to cache ("{}" when none)
    std::int64_t added_at = 0;
    std::int64_t last_seen_at = 0;
    bool missing = false;  // not found at `path` on the last scan
};

}  // namespace ponder::storage
