// history_tree.cpp: reading message trees: rows, siblings, the active branch, switching and pruning it.
#include "storage/history_rows.h"
#include "storage/history_store.h"

#include <sqlite3.h>

namespace ponder::storage {

using detail::Statement;
using detail::Transaction;

namespace {

constexpr std::string_view kConversationExists = "SELECT 1 FROM conversations WHERE id = ?1";
constexpr std::string_view kSelectMessage = "SELECT " PONDER_MESSAGE_COLUMNS " FROM messages m WHERE m.id = ?1";
constexpr std::string_view kConversationMessages =
    "SELECT " PONDER_MESSAGE_COLUMNS " FROM messages m WHERE m.conversation_id = ?1 ORDER BY m.id";
constexpr std::string_view kSiblings = "SELECT " PONDER_MESSAGE_COLUMNS
                                       " FROM messages m "
                                       "WHERE m.conversation_id = ?1 AND m.parent_id IS ?2 ORDER BY m.id";
constexpr std::string_view kChildren =
    "SELECT " PONDER_MESSAGE_COLUMNS " FROM messages m WHERE m.parent_id = ?1 ORDER BY m.id";
constexpr std::string_view kSiblingPosition =
    "SELECT count(*), coalesce(sum(id < ?3), 0) FROM messages WHERE conversation_id = ?1 AND parent_id IS ?2";
// Walks from a message up to its root; depth 0 is the message itself.
constexpr std::string_view kPathToRoot =
    "WITH RECURSIVE path(id, depth) AS ("
    "  SELECT ?1, 0"
    "  UNION ALL SELECT m.parent_id, path.depth + 1 FROM messages m JOIN path ON m.id = path.id"
    "  WHERE m.parent_id IS NOT NULL) "
    "SELECT " PONDER_MESSAGE_COLUMNS " FROM path JOIN messages m ON m.id = path.id ORDER BY path.depth DESC";
constexpr std::string_view kSubtreeContains =
    "WITH RECURSIVE sub(id) AS ("
    "  SELECT ?1 UNION ALL SELECT m.id FROM messages m JOIN sub ON m.parent_id = sub.id) "
    "SELECT count(*) FROM sub WHERE id = ?2";
constexpr std::string_view kDeleteSubtree =
    "WITH RECURSIVE sub(id) AS ("
    "  SELECT ?1 UNION ALL SELECT m.id FROM messages m JOIN sub ON m.parent_id = sub.id) "
    "DELETE FROM messages WHERE id IN (SELECT id FROM sub)";
constexpr std::string_view kRememberedChild =
    "SELECT c.id FROM messages p JOIN messages c ON c.id = p.selected_child_id AND c.parent_id = p.id "
    "WHERE p.id = ?1";
constexpr std::string_view kNewestChild = "SELECT id FROM messages WHERE parent_id = ?1 ORDER BY id DESC LIMIT 1";
constexpr std::string_view kNewestRoot =
    "SELECT id FROM messages WHERE conversation_id = ?1 AND parent_id IS NULL ORDER BY id DESC LIMIT 1";
constexpr std::string_view kRememberChild = "UPDATE messages SET selected_child_id = ?2 WHERE id = ?1";
constexpr std::string_view kForgetChild =
    "UPDATE messages SET selected_child_id = NULL WHERE id = ?1 AND selected_child_id = ?2";
constexpr std::string_view kCurrentLeaf = "SELECT current_leaf_id FROM conversations WHERE id = ?1";
constexpr std::string_view kSetLeaf = "UPDATE conversations SET current_leaf_id = ?2 WHERE id = ?1";
constexpr std::string_view kSetLeafAndTouch =
    "UPDATE conversations SET current_leaf_id = ?2, updated_at = ?3 WHERE id = ?1";

std::optional<std::int64_t> single_id(sqlite3* db, std::string_view sql, std::int64_t arg) {
    Statement st(db, sql, "reading the conversation");
    st.bind(1, arg);
    if (!st.step() || st.is_null(0)) return std::nullopt;
    return st.int64(0);
}

std::vector<Message> read_all(Statement& st) {
    std::vector<Message> out;
    while (st.step()) out.push_back(detail::read_message(st));
    return out;
}

// The leaf to show for a conversation: the stored one, else the newest root followed down.
std::optional<std::int64_t> effective_leaf(sqlite3* db, std::int64_t conversation_id) {
    // A stale id (its message deleted, the rowid maybe reused elsewhere) is ignored.
    if (auto leaf = single_id(db, kCurrentLeaf, conversation_id)) {
        const auto m = detail::load_message(db, *leaf);
        if (m && m->conversation_id == conversation_id) return leaf;
    }
    if (auto root = single_id(db, kNewestRoot, conversation_id)) return detail::descend_to_leaf(db, *root);
    return std::nullopt;
}

}  // namespace

namespace detail {

Conversation read_conversation(const Statement& st) {
    Conversation c;
    c.id = st.int64(0);
    c.title = st.text(1);
    c.created_at = st.int64(2);
    c.updated_at = st.int64(3);
    c.pinned = st.int64(4) != 0;
    c.settings.model = st.text(5);
    c.settings.system_prompt = st.text(6);
    c.settings.sampling.temperature = st.opt_real(7);
    c.settings.sampling.top_p = st.opt_real(8);
    if (auto v = st.opt_int64(9)) c.settings.sampling.top_k = static_cast<int>(*v);
    c.settings.sampling.min_p = st.opt_real(10);
    c.settings.sampling.repeat_penalty = st.opt_real(11);
    c.settings.sampling.seed = st.opt_int64(12);
    if (auto v = st.opt_int64(13)) c.settings.sampling.max_tokens = static_cast<int>(*v);
    c.settings.reasoning_enabled = st.int64(14) != 0;
    c.settings.reasoning_budget = st.int32(15);
    c.current_leaf_id = st.opt_int64(16);
    c.message_count = st.int32(17);
    return c;
}

Message read_message(const Statement& st) {
    Message m;
    m.id = st.int64(0);
    m.conversation_id = st.int64(1);
    m.parent_id = st.opt_int64(2);
    m.role = parse_role(st.text(3)).value_or(Role::User);
    m.content = st.text(4);
    m.reasoning = st.text(5);
    m.reasoning_ms = st.int64(6);
    m.status = parse_message_status(st.text(7)).value_or(MessageStatus::Complete);
    m.error = st.text(8);
    m.model = st.text(9);
    m.stats.prompt_tokens = st.int32(10);
    m.stats.generated_tokens = st.int32(11);
    m.stats.reasoning_tokens = st.int32(12);
    m.stats.ttft_ms = st.real(13);
    m.stats.tokens_per_s = st.real(14);
    m.stats.backend = st.text(15);
    m.created_at = st.int64(16);
    m.updated_at = st.int64(17);
    m.stats.dropped_messages = st.int32(18);
    m.stats.reasoning_budget_reached = st.int64(19) != 0;
    return m;
}

void require_conversation(sqlite3* db, std::int64_t id) {
    Statement st(db, kConversationExists, "reading the conversation");
    st.bind(1, id);
    if (!st.step())
        throw StorageError(ErrorKind::NotFound,
                           "There is no conversation with id " + std::to_string(id) + " in the history.");
}

std::optional<Message> load_message(sqlite3* db, std::int64_t id) {
    Statement st(db, kSelectMessage, "reading the message");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_message(st);
}

Message require_message(sqlite3* db, std::int64_t id) {
    auto m = load_message(db, id);
    if (!m)
        throw StorageError(ErrorKind::NotFound,
                           "There is no message with id " + std::to_string(id) + " in the history.");
    return *m;
}

std::int64_t descend_to_leaf(sqlite3* db, std::int64_t from) {
    std::int64_t leaf = from;
    for (;;) {
        auto next = single_id(db, kRememberedChild, leaf);
        if (!next) next = single_id(db, kNewestChild, leaf);
        if (!next) return leaf;
        leaf = *next;
    }
}

}  // namespace detail

std::optional<Message> HistoryStore::message(std::int64_t id) {
    std::lock_guard lock(m_db.mutex());
    return detail::load_message(m_db.handle(), id);
}

std::vector<Message> HistoryStore::messages(std::int64_t conversation_id) {
    std::lock_guard lock(m_db.mutex());
    Statement st(m_db.handle(), kConversationMessages, "reading the conversation");
    st.bind(1, conversation_id);
    return read_all(st);
}

std::vector<Message> HistoryStore::siblings(std::int64_t message_id) {
    std::lock_guard lock(m_db.mutex());
    const Message m = detail::require_message(m_db.handle(), message_id);
    Statement st(m_db.handle(), kSiblings, "reading the conversation");
    st.bind(1, m.conversation_id).bind(2, m.parent_id);
    return read_all(st);
}

std::vector<Message> HistoryStore::children(std::int64_t message_id) {
    std::lock_guard lock(m_db.mutex());
    Statement st(m_db.handle(), kChildren, "reading the conversation");
    st.bind(1, message_id);
    return read_all(st);
}

std::vector<PathEntry> HistoryStore::active_path(std::int64_t conversation_id) {
    std::lock_guard lock(m_db.mutex());
    sqlite3* db = m_db.handle();
    detail::require_conversation(db, conversation_id);
    const auto leaf = effective_leaf(db, conversation_id);
    if (!leaf) return {};
    Statement path(db, kPathToRoot, "reading the conversation");
    path.bind(1, *leaf);
    Statement position(db, kSiblingPosition, "reading the conversation");
    std::vector<PathEntry> out;
    while (path.step()) {
        PathEntry entry;
        entry.message = detail::read_message(path);
        position.reset();
        position.bind(1, conversation_id).bind(2, entry.message.parent_id).bind(3, entry.message.id);
        if (position.step()) {
            entry.sibling_count = position.int32(0);
            entry.sibling_index = position.int32(1);
        }
        out.push_back(std::move(entry));
    }
    return out;
}

std::int64_t HistoryStore::select_message(std::int64_t message_id) {
    std::lock_guard lock(m_db.mutex());
    sqlite3* db = m_db.handle();
    Transaction tx(db);
    const Message m = detail::require_message(db, message_id);
    // Remember the choice at every level above, so coming back to this branch later finds it.
    Statement remember(db, kRememberChild, "switching the branch");
    Statement path(db, kPathToRoot, "switching the branch");
    path.bind(1, message_id);
    while (path.step()) {
        const Message node = detail::read_message(path);
        if (node.parent_id) {
            remember.reset();
            remember.bind(1, *node.parent_id).bind(2, node.id).run();
        }
    }
    const std::int64_t leaf = detail::descend_to_leaf(db, message_id);
    Statement(db, kSetLeaf, "switching the branch").bind(1, m.conversation_id).bind(2, leaf).run();
    tx.commit();
    return leaf;
}

void HistoryStore::delete_message(std::int64_t message_id) {
    std::lock_guard lock(m_db.mutex());
    sqlite3* db = m_db.handle();
    {
        Transaction tx(db);
        const Message m = detail::require_message(db, message_id);
        const auto leaf = single_id(db, kCurrentLeaf, m.conversation_id);
        bool leaf_goes = false;
        if (leaf) {
            Statement contains(db, kSubtreeContains, "deleting the message");
            contains.bind(1, message_id).bind(2, *leaf);
            leaf_goes = contains.step() && contains.int64(0) > 0;
        }
        Statement(db, kDeleteSubtree, "deleting the message").bind(1, message_id).run();
        if (m.parent_id)
            Statement(db, kForgetChild, "deleting the message").bind(1, *m.parent_id).bind(2, message_id).run();
        if (leaf_goes || !leaf) {
            std::optional<std::int64_t> new_leaf;
            if (m.parent_id)
                new_leaf = detail::descend_to_leaf(db, *m.parent_id);
            else if (auto root = single_id(db, kNewestRoot, m.conversation_id))
                new_leaf = detail::descend_to_leaf(db, *root);
            Statement set(db, kSetLeafAndTouch, "deleting the message");
            set.bind(1, m.conversation_id).bind(2, new_leaf).bind(3, now_ms()).run();
        }
        tx.commit();
    }
    m_db.scrub();
}

}  // namespace ponder::storage
