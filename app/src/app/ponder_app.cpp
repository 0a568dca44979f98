// ponder_app.cpp: wiring of the app's objects; the only place that knows all of them.
#include "app/ponder_app.h"

#include "chat/chat_controller.h"
#include "devices/device_list_model.h"
#include "i18n/localizer.h"
#include "inference/inference_service.h"
#include "models/model_library.h"
#include "settings/app_settings.h"
#include "storage/database.h"

#include <QDir>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QStandardPaths>

namespace ponder {

PonderApp::PonderApp(AppPaths paths, std::unique_ptr<InferenceService> inference, ModelProbe probe, QObject* parent)
    : QObject(parent), m_paths(std::move(paths)), m_probe(std::move(probe)), m_inference(std::move(inference)) {}

PonderApp::~PonderApp() {
    // The window goes first: its bindings reference the controllers.
    m_engine.reset();
    m_chat.reset();
    m_devices.reset();
    m_library.reset();
    m_inference.reset();
}

AppPaths PonderApp::standardPaths() {
    return {QStandardPaths::writableLocation(QStandardPaths::AppDataLocation),
            QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)};
}

QQuickWindow* PonderApp::window() const {
    if (!m_engine || m_engine->rootObjects().isEmpty()) return nullptr;
    return qobject_cast<QQuickWindow*>(m_engine->rootObjects().constFirst());
}

bool PonderApp::start(QString* error) {
    if (!QDir().mkpath(m_paths.dataDir) || !QDir().mkpath(m_paths.configDir)) {
        *error = tr("Cannot create the folders %1 and %2.").arg(m_paths.dataDir, m_paths.configDir);
        return false;
    }
    try {
        m_db = storage::Database::open(QDir(m_paths.dataDir).filePath(QStringLiteral("history.db")).toStdString());
    } catch (const std::exception& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
    m_settings = std::make_unique<AppSettings>(QDir(m_paths.configDir).filePath(QStringLiteral("ponder.ini")));
    m_localizer = std::make_unique<Localizer>();
    m_library = std::make_unique<ModelLibrary>(*m_db, *m_inference, *m_settings, m_probe,
                                               QDir(m_paths.dataDir).filePath(QStringLiteral("models")));
    m_chat = std::make_unique<ChatController>(*m_db, *m_inference, *m_settings);
    m_devices = std::make_unique<DeviceListModel>(*m_inference, *m_settings);
    if (const storage::OpenReport& report = m_db->report(); report.corrupt_moved_to) {
        // The old file is kept, not deleted: the user (or a recovery tool) may still get text out of it.
        m_chat->showStartupNotice(
            tr("The history database was damaged (%1). It was kept as %2 and a new, empty history was started.")
                .arg(QString::fromStdString(report.corrupt_reason),
                     QString::fromStdString(report.corrupt_moved_to->string())));
    }

    m_engine = std::make_unique<QQmlApplicationEngine>();
    m_engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
    m_localizer->setEngine(m_engine.get());
    m_localizer->apply(m_settings->language());
    connect(m_settings.get(), &AppSettings::changed, m_localizer.get(),
            [this] { m_localizer->apply(m_settings->language()); });
    // The device line is worded in C++ (from the engine's reason code): word it again.
    connect(m_localizer.get(), &Localizer::languageChanged, m_library.get(), &ModelLibrary::loadStateChanged);
    connect(m_localizer.get(), &Localizer::languageChanged, m_devices.get(), &DeviceListModel::retranslate);
    m_engine->setInitialProperties({{QStringLiteral("chat"), QVariant::fromValue(m_chat.get())},
                                    {QStringLiteral("library"), QVariant::fromValue(m_library.get())},
                                    {QStringLiteral("appSettings"), QVariant::fromValue(m_settings.get())},
                                    {QStringLiteral("devices"), QVariant::fromValue(m_devices.get())},
                                    {QStringLiteral("localizer"), QVariant::fromValue(m_localizer.get())}});
    m_engine->load(QUrl(QStringLiteral("qrc:/qt/qml/Ponder/Main.qml")));
    if (!window()) {
        *error = tr("The main window could not be created (see the log).");
        return false;
    }
    // A returning user continues with the model they had, rather than the newcomer screen.
    m_library->restoreLastModel();
    return true;
}

void PonderApp::openFiles(const QStringList& paths) {
    if (!paths.isEmpty() && m_library) m_library->importPaths(paths);
    if (QQuickWindow* w = window()) {
        if (w->visibility() == QWindow::Minimized) w->showNormal();
        w->raise();
        w->requestActivate();
    }
}

}  // namespace ponder
