// history_rows.h: column lists and row readers shared by the store, tree, export and search (internal).
#pragma once

#include "storage/records.h"
#include "storage/sqlite_handle.h"

namespace ponder::storage::detail {

// Column lists as macros so that each query stays one string-literal constant.
#define PONDER_CONVERSATION_COLUMNS                                                                  \
    "c.id, c.title, c.created_at, c.updated_at, c.pinned, c.model, c.system_prompt, c.temperature, " \
    "c.top_p, c.top_k, c.min_p, c.repeat_penalty, c.seed, c.max_tokens, c.reasoning_enabled, "       \
    "c.reasoning_budget, c.current_leaf_id, "                                                        \
    "(SELECT count(*) FROM messages m WHERE m.conversation_id = c.id)"

#define PONDER_MESSAGE_COLUMNS                                                               \
    "m.id, m.conversation_id, m.parent_id, m.role, m.content, m.reasoning, m.reasoning_ms, " \
    "m.status, m.error, m.model, m.prompt_tokens, m.generated_tokens, m.reasoning_tokens, "  \
    "m.ttft_ms, m.tokens_per_s, m.backend, m.created_at, m.updated_at, m.dropped_messages, " \
    "m.reasoning_budget_reached"

Conversation read_conversation(const Statement& st);
Message read_message(const Statement& st);

// Throws NotFound unless the conversation exists.
void require_conversation(sqlite3* db, std::int64_t id);
std::optional<Message> load_message(sqlite3* db, std::int64_t id);
Message require_message(sqlite3* db, std::int64_t id);
// Follows remembered choices (else the newest child) from `from` down to a leaf.
std::int64_t descend_to_leaf(sqlite3* db, std::int64_t from);

}  // namespace ponder::storage::detail
