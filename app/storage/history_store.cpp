// history_store.cpp: conversations (create, list, rename, pin, settings, delete) and adding messages.
#include "storage/history_store.h"

#include "storage/history_rows.h"

#include <sqlite3.h>

namespace ponder::storage {

using detail::Statement;
using detail::Transaction;

namespace {

constexpr std::string_view kInsertConversation =
    "INSERT INTO conversations (title, created_at, updated_at, model, system_prompt, temperature, top_p, "
    "top_k, min_p, repeat_penalty, seed, max_tokens, reasoning_enabled, reasoning_budget) "
    "VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
constexpr std::string_view kSelectConversation =
    "SELECT " PONDER_CONVERSATION_COLUMNS " FROM conversations c WHERE c.id = ?1";
constexpr std::string_view kListConversations =
    "SELECT " PONDER_CONVERSATION_COLUMNS " FROM conversations c ORDER BY c.pinned DESC, c.updated_at DESC, c.id DESC";
constexpr std::string_view kRenameConversation = "UPDATE conversations SET title = ?2, updated_at = ?3 WHERE id = ?1";
constexpr std::string_view kPinConversation = "UPDATE conversations SET pinned = ?2 WHERE id = ?1";
constexpr std::string_view kUpdateSettings =
    "UPDATE conversations SET model = ?2, system_prompt = ?3, temperature = ?4, top_p = ?5, top_k = ?6, "
    "min_p = ?7, repeat_penalty = ?8, seed = ?9, max_tokens = ?10, reasoning_enabled = ?11, "
    "reasoning_budget = ?12, updated_at = ?13 WHERE id = ?1";
constexpr std::string_view kDeleteConversation = "DELETE FROM conversations WHERE id = ?1";
constexpr std::string_view kDeleteAllMessages = "DELETE FROM messages";
constexpr std::string_view kDeleteAllConversations = "DELETE FROM conversations";
constexpr std::string_view kInsertMessage =
    "INSERT INTO messages (conversation_id, parent_id, role, content, status, model, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)";
constexpr std::string_view kSelectParentConversation = "SELECT conversation_id FROM messages WHERE id = ?1";
constexpr std::string_view kRememberChild = "UPDATE messages SET selected_child_id = ?2 WHERE id = ?1";
constexpr std::string_view kSetLeafAndTouch =
    "UPDATE conversations SET current_leaf_id = ?2, updated_at = ?3 WHERE id = ?1";
constexpr std::string_view kTouchConversation = "UPDATE conversations SET updated_at = ?2 WHERE id = ?1";
constexpr std::string_view kUpdateContent = "UPDATE messages SET content = ?2, updated_at = ?3 WHERE id = ?1";
constexpr std::string_view kFinishMessage =
    "UPDATE messages SET status = ?2, error = ?3, prompt_tokens = ?4, generated_tokens = ?5, "
    "reasoning_tokens = ?6, ttft_ms = ?7, tokens_per_s = ?8, backend = ?9, updated_at = ?10, "
    "dropped_messages = ?11, reasoning_budget_reached = ?12 WHERE id = ?1";

void bind_settings(Statement& st, int first, const ConversationSettings& s) {
    st.bind(first, s.model)
        .bind(first + 1, s.system_prompt)
        .bind(first + 2, s.sampling.temperature)
        .bind(first + 3, s.sampling.top_p)
        .bind(first + 4, s.sampling.top_k)
        .bind(first + 5, s.sampling.min_p)
        .bind(first + 6, s.sampling.repeat_penalty)
        .bind(first + 7, s.sampling.seed)
        .bind(first + 8, s.sampling.max_tokens)
        .bind(first + 9, s.reasoning_enabled)
        .bind(first + 10, s.reasoning_budget);
}

void require_changed(sqlite3* db, const char* what, std::int64_t id) {
    if (sqlite3_changes(db) == 0)
        throw StorageError(ErrorKind::NotFound,
                           std::string("There is no ") + what + " with id " + std::to_string(id) + " in the history.");
}

}  // namespace

std::int64_t HistoryStore::create_conversation(const std::string& title, const ConversationSettings& settings) {
    std::lock_guard lock(m_db.mutex());
    Statement st(m_db.handle(), kInsertConversation, "creating the conversation");
    st.bind(1, title).bind(2, now_ms());
    bind_settings(st, 3, settings);
    st.run();
    return sqlite3_last_insert_rowid(m_db.handle());
}

std::optional<Conversation> HistoryStore::conversation(std::int64_t id) {
    std::lock_guard lock(m_db.mutex());
    Statement st(m_db.handle(), kSelectConversation, "reading the conversation");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return detail::read_conversation(st);
}

std::vector<Conversation> HistoryStore::list_conversations() {
    std::lock_guard lock(m_db.mutex());
    Statement st(m_db.handle(), kListConversations, "listing the conversations");
    std::vector<Conversation> out;
    while (st.step()) out.push_back(detail::read_conversation(st));
    return out;
}

void HistoryStore::rename_conversation(std::int64_t id, const std::string& title) {
    std::lock_guard lock(m_db.mutex());
    Statement st(m_db.handle(), kRenameConversation, "renaming the conversation");
    st.bind(1, id).bind(2, title).bind(3, now_ms()).run();
    require_changed(m_db.handle(), "conversation", id);
}

void HistoryStore::set_pinned(std::int64_t id, bool pinned) {
    std::lock_guard lock(m_db.mutex());
    Statement st(m_db.handle(), kPinConversation, "pinning the conversation");
    st.bind(1, id).bind(2, pinned).run();
    require_changed(m_db.handle(), "conversation", id);
}

void HistoryStore::set_settings(std::int64_t id, const ConversationSettings& settings) {
    std::lock_guard lock(m_db.mutex());
    Statement st(m_db.handle(), kUpdateSettings, "saving the conversation settings");
    st.bind(1, id);
    bind_settings(st, 2, settings);
    st.bind(13, now_ms()).run();
    require_changed(m_db.handle(), "conversation", id);
}

void HistoryStore::delete_conversation(std::int64_t id) {
    std::lock_guard lock(m_db.mutex());
    Statement st(m_db.handle(), kDeleteConversation, "deleting the conversation");
    st.bind(1, id).run();  // messages go with it (ON DELETE CASCADE), FTS rows via triggers
    require_changed(m_db.handle(), "conversation", id);
    m_db.scrub();
}

void HistoryStore::delete_conversations(std::span<const std::int64_t> ids) {
    std::lock_guard lock(m_db.mutex());
    {
        Transaction tx(m_db.handle());
        Statement st(m_db.handle(), kDeleteConversation, "deleting conversations");
        for (std::int64_t id : ids) {
            st.bind(1, id).run();
            st.reset();
        }
        tx.commit();
    }
    m_db.scrub();
}

void HistoryStore::delete_all_conversations() {
    std::lock_guard lock(m_db.mutex());
    {
        Transaction tx(m_db.handle());
        Statement(m_db.handle(), kDeleteAllMessages, "deleting all conversations").run();
        Statement(m_db.handle(), kDeleteAllConversations, "deleting all conversations").run();
        tx.commit();
    }
    m_db.scrub();
}

static std::int64_t insert_message(sqlite3* db, std::int64_t conversation_id, std::optional<std::int64_t> parent_id,
                                   Role role, const std::string& content, MessageStatus status,
                                   const std::string& model) {
    detail::require_conversation(db, conversation_id);
    if (parent_id) {
        Statement owner(db, kSelectParentConversation, "adding the message");
        owner.bind(1, *parent_id);
        if (!owner.step())
            throw StorageError(ErrorKind::NotFound,
                               "There is no message with id " + std::to_string(*parent_id) + " to reply to.");
        if (owner.int64(0) != conversation_id)
            throw StorageError(ErrorKind::InvalidArgument,
                               "Message " + std::to_string(*parent_id) + " belongs to another conversation.");
    }
    const std::int64_t now = now_ms();
    Statement insert(db, kInsertMessage, "saving the message");
    insert.bind(1, conversation_id)
        .bind(2, parent_id)
        .bind(3, to_string(role))
        .bind(4, content)
        .bind(5, to_string(status))
        .bind(6, model)
        .bind(7, now)
        .run();
    const std::int64_t id = sqlite3_last_insert_rowid(db);
    if (parent_id) Statement(db, kRememberChild, "saving the message").bind(1, *parent_id).bind(2, id).run();
    Statement(db, kSetLeafAndTouch, "saving the message").bind(1, conversation_id).bind(2, id).bind(3, now).run();
    return id;
}

std::int64_t HistoryStore::add_message(std::int64_t conversation_id, std::optional<std::int64_t> parent_id, Role role,
                                       const std::string& content) {
    std::lock_guard lock(m_db.mutex());
    Transaction tx(m_db.handle());
    const std::int64_t id =
        insert_message(m_db.handle(), conversation_id, parent_id, role, content, MessageStatus::Complete, {});
    tx.commit();
    return id;
}

std::int64_t HistoryStore::start_assistant_message(std::int64_t conversation_id, std::int64_t parent_id,
                                                   const std::string& model) {
    std::lock_guard lock(m_db.mutex());
    Transaction tx(m_db.handle());
    const std::int64_t id =
        insert_message(m_db.handle(), conversation_id, parent_id, Role::Assistant, {}, MessageStatus::Streaming, model);
    tx.commit();
    return id;
}

void HistoryStore::update_message_content(std::int64_t message_id, const std::string& content) {
    std::lock_guard lock(m_db.mutex());
    Transaction tx(m_db.handle());
    const Message m = detail::require_message(m_db.handle(), message_id);
    const std::int64_t now = now_ms();
    Statement(m_db.handle(), kUpdateContent, "saving the edited message")
        .bind(1, message_id)
        .bind(2, content)
        .bind(3, now)
        .run();
    Statement(m_db.handle(), kTouchConversation, "saving the edited message")
        .bind(1, m.conversation_id)
        .bind(2, now)
        .run();
    tx.commit();
}

void HistoryStore::finish_message(std::int64_t message_id, MessageStatus status, const MessageStats& stats,
                                  const std::string& error) {
    std::lock_guard lock(m_db.mutex());
    Transaction tx(m_db.handle());
    const Message m = detail::require_message(m_db.handle(), message_id);
    const std::int64_t now = now_ms();
    Statement st(m_db.handle(), kFinishMessage, "saving the answer");
    st.bind(1, message_id)
        .bind(2, to_string(status))
        .bind(3, error)
        .bind(4, stats.prompt_tokens)
        .bind(5, stats.generated_tokens)
        .bind(6, stats.reasoning_tokens)
        .bind(7, stats.ttft_ms)
        .bind(8, stats.tokens_per_s)
        .bind(9, stats.backend)
        .bind(10, now)
        .bind(11, stats.dropped_messages)
        .bind(12, stats.reasoning_budget_reached ? 1 : 0)
        .run();
    Statement(m_db.handle(), kTouchConversation, "saving the answer").bind(1, m.conversation_id).bind(2, now).run();
    tx.commit();
}

}  // namespace ponder::storage
