// chat_export.cpp: ChatController's JSON backup: one chat or all of them to a file, and a file's
// chats back in as new conversations (the format is the storage module's, see storage/export.h).
#include "chat/chat_controller.h"

#include "storage/database.h"
#include "storage/export.h"
#include "storage/stream_writer.h"
#include "system/dialog_path.h"

#include <QDir>
#include <QFile>
#include <QUrl>

namespace ponder {

namespace {

QString localPath(const QUrl& url) { return localPathFromDialog(url, QDir::homePath()); }

}  // namespace

bool ChatController::writeExport(const QUrl& target, const std::function<std::string()>& make) {
    const QString path = localPath(target);
    std::string json;
    try {
        m_writer->flush();  // include the text still being committed
        json = make();
    } catch (const std::exception& e) {
        setError(QString::fromStdString(e.what()));
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(json.data(), qint64(json.size())) != qint64(json.size())) {
        setError(tr("Could not write %1: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

bool ChatController::exportConversationJson(qint64 id, const QUrl& target) {
    return writeExport(target, [this, id] {
        const std::int64_t ids[] = {id};
        return storage::export_json(m_db, ids);
    });
}

bool ChatController::exportAllJson(const QUrl& target) {
    return writeExport(target, [this] { return storage::export_json_all(m_db); });
}

int ChatController::importJson(const QUrl& source) {
    const QString path = localPath(source);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        setError(tr("Could not read %1: %2").arg(path, file.errorString()));
        return 0;
    }
    const QByteArray bytes = file.readAll();
    std::vector<std::int64_t> ids;
    try {
        ids = storage::import_json(m_db, bytes.toStdString());  // all or nothing
    } catch (const std::exception& e) {
        setError(tr("%1 is not a chat export Ponder can read: %2").arg(path, QString::fromStdString(e.what())));
        return 0;
    }
    clearError();
    refreshConversations();
    if (!ids.empty()) openConversation(ids.front());  // show what came in
    return int(ids.size());
}

}  // namespace ponder
