// single_instance.cpp: SingleInstance: lock file + local socket, one JSON line per launch.
#include "app/single_instance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QStandardPaths>
#include <QThread>

#include <cstdio>

namespace ponder {

namespace {

constexpr int kAnswerMs = 3000;          // the primary answers at once unless it is frozen
constexpr qint64 kMaxMessage = 1 << 20;  // a list of paths; anything larger is not from Ponder

QString serverNameFor(const QString& dataDir) {
    const QByteArray key =
        QCryptographicHash::hash(QDir(dataDir).absolutePath().toUtf8(), QCryptographicHash::Sha256).toHex().left(16);
    const QString name = QStringLiteral("ponder-%1").arg(QString::fromLatin1(key));
#if defined(Q_OS_WIN) || defined(Q_OS_MACOS)
    return name;  // Windows: a named pipe; macOS: $TMPDIR, which is already per user
#else
    // The user's runtime folder (XDG_RUNTIME_DIR, mode 0700) rather than the shared /tmp, where
    // another user could take the name first.
    const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    return runtime.isEmpty() ? name : QDir(runtime).filePath(name + QStringLiteral(".socket"));
#endif
}

QString lockPathIn(const QString& dataDir) {
    QDir().mkpath(dataDir);  // a first start: PonderApp::start() would create it a moment later
    return QDir(dataDir).filePath(QStringLiteral("instance.lock"));
}

}  // namespace

SingleInstance::SingleInstance(const QString& dataDir, QObject* parent)
    : QObject(parent), m_serverName(serverNameFor(dataDir)), m_lock(lockPathIn(dataDir)) {
    m_lock.setStaleLockTime(0);  // stale only when its process is gone, however old
}

SingleInstance::~SingleInstance() = default;

SingleInstance::Role SingleInstance::claim(const QStringList& files, QString* error) {
    // Another launch may be starting at this very moment: whoever takes the lock is the primary; the
    // other waits a little for its socket.
    QElapsedTimer waited;
    waited.start();
    while (!m_lock.tryLock(0)) {
        if (m_lock.error() != QLockFile::LockFailedError) {
            *error = tr("Cannot create the lock file %1.").arg(m_lock.fileName());
            return Role::Failed;
        }
        if (sendToPrimary(files)) return Role::HandedOver;
        if (waited.elapsed() > kAnswerMs) {
            qint64 pid = 0;
            QString host, app;
            m_lock.getLockInfo(&pid, &host, &app);
            *error = tr("Ponder is already running on this profile (process %1) but does not answer. "
                        "Close it, or end that process.")
                         .arg(pid);
            return Role::Failed;
        }
        QThread::msleep(100);
    }
    serve();
    return Role::Primary;
}

bool SingleInstance::sendToPrimary(const QStringList& files) {
    QLocalSocket socket;
    socket.connectToServer(m_serverName);
    if (!socket.waitForConnected(kAnswerMs)) return false;
    const QJsonObject message{{QStringLiteral("files"), QJsonArray::fromStringList(files)}};
    socket.write(QJsonDocument(message).toJson(QJsonDocument::Compact) + '\n');
    if (!socket.waitForBytesWritten(kAnswerMs)) return false;
    while (!socket.canReadLine()) {
        if (!socket.waitForReadyRead(kAnswerMs)) return false;
    }
    return socket.readLine().trimmed() == "ok";
}

void SingleInstance::serve() {
    m_server = std::make_unique<QLocalServer>();
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    // We hold the lock, so a socket left by a crashed primary is stale.
    QLocalServer::removeServer(m_serverName);
    if (!m_server->listen(m_serverName)) {
        // The window still works; only a second launch cannot hand its files over (it says so).
        std::fprintf(stderr, "ponder: cannot listen on %s: %s\n", qPrintable(m_serverName),
                     qPrintable(m_server->errorString()));
        return;
    }
    connect(m_server.get(), &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket* socket = m_server->nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
                if (socket->bytesAvailable() > kMaxMessage) {
                    socket->abort();
                    return;
                }
                if (!socket->canReadLine()) return;
                const QJsonDocument doc = QJsonDocument::fromJson(socket->readLine());
                QStringList files;
                for (const QJsonValue& v : doc.object().value(QStringLiteral("files")).toArray())
                    if (v.isString()) files.append(v.toString());
                socket->write("ok\n");
                socket->flush();
                socket->disconnectFromServer();
                emit filesReceived(files);
            });
        }
    });
}

}  // namespace ponder
