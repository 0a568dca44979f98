// history_store.h: conversations and their message trees (branches), read and written by the app.
#pragma once

#include "storage/database.h"
#include "storage/records.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ponder::storage {

// All operations are short transactions on the Database's connection (thread-safe via its mutex).
// Unknown ids throw StorageError(NotFound). Streaming text goes through StreamWriter, not here.
class HistoryStore {
public:
    explicit HistoryStore(Database& db) : m_db(db) {}

    // --- conversations
    std::int64_t create_conversation(const std::string& title, const ConversationSettings& settings = {});
    std::optional<Conversation> conversation(std::int64_t id);
    // Pinned first, then most recently updated first.
    std::vector<Conversation> list_conversations();
    void rename_conversation(std::int64_t id, const std::string& title);
    void set_pinned(std::int64_t id, bool pinned);
    void set_settings(std::int64_t id, const ConversationSettings& settings);
    // Deleting scrubs the file (Database::scrub): the text is gone from the database and WAL.
    void delete_conversation(std::int64_t id);
    void delete_conversations(std::span<const std::int64_t> ids);
    void delete_all_conversations();

    // --- messages (a tree: editing or regenerating adds a sibling instead of overwriting)
    // Adds a finished message (typically the user's) under `parent_id` (nullopt: a first message)
    // and makes it the conversation's current leaf.
    std::int64_t add_message(std::int64_t conversation_id, std::optional<std::int64_t> parent_id, Role role,
                             const std::string& content);
    // Creates the assistant row at once, status Streaming, empty text; current leaf becomes it.
    // Feed its text through StreamWriter and end it with StreamWriter::finish().
    std::int64_t start_assistant_message(std::int64_t conversation_id, std::int64_t parent_id,
                                         const std::string& model = {});
    std::optional<Message> message(std::int64_t id);
    // Every message of the conversation, all branches, oldest first.
    std::vector<Message> messages(std::int64_t conversation_id);
    // Messages sharing `message_id`'s parent (itself included), oldest first.
    std::vector<Message> siblings(std::int64_t message_id);
    std::vector<Message> children(std::int64_t message_id);
    // Root-to-leaf path of the selected branch, with sibling positions for branch arrows.
    std::vector<PathEntry> active_path(std::int64_t conversation_id);
    // Switches the branch so that `message_id` is on the active path; below it, the branch chosen
    // last time (else the newest) is followed down to a leaf. Returns the new current leaf.
    std::int64_t select_message(std::int64_t message_id);
    // Replaces a finished message's text (e.g. fixing a typo without branching).
    void update_message_content(std::int64_t message_id, const std::string& content);
    // Sets an assistant message's final state in one transaction (StreamWriter::finish is the
    // usual route; this is for callers without a writer, e.g. a failure before the first token).
    void finish_message(std::int64_t message_id, MessageStatus status, const MessageStats& stats,
                        const std::string& error = {});
    // Deletes a message and its whole subtree; the current leaf moves to the parent (or a sibling).
    void delete_message(std::int64_t message_id);

private:
    Database& m_db;
};

}  // namespace ponder::storage
