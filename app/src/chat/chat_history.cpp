// chat_history.cpp: ChatController's conversation list: search, rename, pin, delete, export.
#include "chat/chat_controller.h"

#include "settings/app_settings.h"
#include "storage/database.h"
#include "storage/export.h"
#include "storage/history_store.h"
#include "storage/search.h"
#include "storage/stream_writer.h"
#include "system/dialog_path.h"

#include <QDir>
#include <QFile>
#include <QUrl>

namespace ponder {

namespace {
std::string utf8(const QString& s) { return s.toStdString(); }
QString qstr(const std::string& s) { return QString::fromStdString(s); }
}  // namespace

void ChatController::refreshConversations() {
    QList<ConversationEntry> entries;
    try {
        if (m_searchQuery.trimmed().isEmpty()) {
            for (const storage::Conversation& c : m_store->list_conversations())
                entries.append({c.id, qstr(c.title), c.pinned, c.updated_at, {}});
        } else {
            storage::SearchOptions options;
            options.include_reasoning = true;
            QList<qint64> seen;
            for (const storage::SearchHit& hit : storage::search(m_db, utf8(m_searchQuery), options)) {
                if (seen.contains(hit.conversation_id)) continue;  // best hit per conversation
                seen.append(hit.conversation_id);
                QString snippet = qstr(hit.snippet);
                snippet.remove(QChar(0x02)).remove(QChar(0x03));
                entries.append({hit.conversation_id, qstr(hit.conversation_title), false, hit.updated_at, snippet});
            }
        }
    } catch (const storage::StorageError& e) {
        setError(qstr(e.what()));
    }
    m_conversations.setEntries(entries);
}

void ChatController::setSearchQuery(const QString& query) {
    if (query == m_searchQuery) return;
    m_searchQuery = query;
    emit searchQueryChanged();
    refreshConversations();
}

void ChatController::renameConversation(qint64 id, const QString& title) {
    const QString t = title.simplified();
    if (t.isEmpty()) return;
    try {
        m_store->rename_conversation(id, utf8(t));
    } catch (const storage::StorageError& e) {
        setError(qstr(e.what()));
        return;
    }
    if (id == m_conversationId) {
        m_title = t;
        emit conversationChanged();
    }
    refreshConversations();
}

void ChatController::setPinned(qint64 id, bool pinned) {
    try {
        m_store->set_pinned(id, pinned);
    } catch (const storage::StorageError& e) {
        setError(qstr(e.what()));
    }
    refreshConversations();
}

bool ChatController::deleteMessage(int row) {
    const qint64 id = m_messages.idAt(row);
    if (id == 0 || (busy() && m_streamConversationId == m_conversationId)) return false;
    try {
        m_writer->flush();
        m_store->delete_message(id);
    } catch (const storage::StorageError& e) {
        setError(qstr(e.what()));
        return false;
    }
    loadConversation(m_conversationId);  // the store chose the branch that remains
    refreshConversations();
    return true;
}

void ChatController::deleteConversation(qint64 id) {
    if (busy() && id == m_streamConversationId) stop();
    if (id == m_conversationId) newConversation();
    try {
        m_writer->flush();  // no queued text may land in a deleted conversation's rows
        m_store->delete_conversation(id);
    } catch (const storage::StorageError& e) {
        setError(qstr(e.what()));
    }
    refreshConversations();
}

bool ChatController::exportConversation(qint64 id, const QUrl& target) {
    const QString path = localPathFromDialog(target, QDir::homePath());
    std::string markdown;
    try {
        storage::ExportOptions options;
        options.include_reasoning = true;
        m_writer->flush();  // include the text still being committed
        const std::int64_t ids[] = {id};
        markdown = storage::export_markdown(m_db, ids, options);
    } catch (const std::exception& e) {
        setError(qstr(e.what()));
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(markdown.data(), qint64(markdown.size())) != qint64(markdown.size())) {
        setError(tr("Could not write %1: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

}  // namespace ponder
