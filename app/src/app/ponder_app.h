// ponder_app.h: the composition root: history database, settings, engine service, controllers and the QML window.
#pragma once

#include "models/model_probe.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

class QQmlApplicationEngine;
class QQuickWindow;

namespace ponder::storage {
class Database;
}

namespace ponder {

class AppSettings;
class ChatController;
class DeviceListModel;
class InferenceService;
class Localizer;
class ModelLibrary;

struct AppPaths {
    QString dataDir;    // history database and copied models (AppDataLocation)
    QString configDir;  // ponder.ini (AppConfigLocation)
};

// Used by main() with the real EngineService and by tests and ponder-screenshots with the fake one.
class PonderApp : public QObject {
    Q_OBJECT
public:
    PonderApp(AppPaths paths, std::unique_ptr<InferenceService> inference, ModelProbe probe, QObject* parent = nullptr);
    ~PonderApp() override;

    // Creates the folders, opens (or creates) the database and shows the main window. On failure
    // returns false with a user-readable message.
    bool start(QString* error);

    // Model files from the command line or from a later launch: each gets its import card, exactly
    // as if dropped on the window, and the window comes to the front.
    void openFiles(const QStringList& paths);

    QQmlApplicationEngine* engine() const { return m_engine.get(); }
    QQuickWindow* window() const;
    ChatController* chat() const { return m_chat.get(); }
    ModelLibrary* library() const { return m_library.get(); }
    DeviceListModel* devices() const { return m_devices.get(); }
    AppSettings* settings() const { return m_settings.get(); }
    Localizer* localizer() const { return m_localizer.get(); }
    InferenceService* inference() const { return m_inference.get(); }
    storage::Database* database() const { return m_db.get(); }
    const AppPaths& paths() const { return m_paths; }

    static AppPaths standardPaths();  // QStandardPaths AppDataLocation / AppConfigLocation

private:
    AppPaths m_paths;
    ModelProbe m_probe;
    std::unique_ptr<InferenceService> m_inference;
    std::unique_ptr<storage::Database> m_db;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<Localizer> m_localizer;
    std::unique_ptr<ModelLibrary> m_library;
    std::unique_ptr<ChatController> m_chat;
    std::unique_ptr<DeviceListModel> m_devices;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
};

}  // namespace ponder
