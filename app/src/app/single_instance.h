// single_instance.h: one Ponder window per profile; a later launch hands its files to that window.
#pragma once

#include <QLockFile>
#include <QObject>
#include <QStringList>

#include <memory>

class QLocalServer;

namespace ponder {

// The first `ponder` on a profile holds a lock file in the profile's data folder and serves a local
// socket (QLocalServer: a Unix domain socket in the user's runtime folder, a named pipe on Windows;
// local IPC only, no network interface is opened, and the socket is private to the user). A later
// launch on the same profile finds the lock held, sends its files over the socket and exits, so two
// processes never write one history database. Different profiles (data folders) are independent.
class SingleInstance : public QObject {
    Q_OBJECT
public:
    explicit SingleInstance(const QString& dataDir, QObject* parent = nullptr);
    ~SingleInstance() override;

    enum class Role {
        Primary,     // this process runs the window; filesReceived() brings later launches' files
        HandedOver,  // another process runs the window and has taken the files: exit 0
        Failed,      // another process holds the profile but did not answer: *error says so
    };
    Role claim(const QStringList& files, QString* error);

    QString serverName() const { return m_serverName; }

Q_SIGNALS:
    // A later launch's files (possibly none: it was started again, so the window should come forward).
    void filesReceived(const QStringList& files);

private:
    bool sendToPrimary(const QStringList& files);
    void serve();

    QString m_serverName;
    QLockFile m_lock;
    std::unique_ptr<QLocalServer> m_server;
};

}  // namespace ponder
