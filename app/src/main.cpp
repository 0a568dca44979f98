// main.cpp: the ponder executable: command line, one instance per profile, the real engine,
// standard folders.
#include "app/command_line.h"
#include "app/file_open_events.h"
#include "app/ponder_app.h"
#include "app/single_instance.h"
#include "inference/engine_service.h"
#include "ponder_version.h"

#include <QtQml/qqmlextensionplugin.h>
#include <QGuiApplication>
#include <QIcon>
#include <QQuickStyle>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(PonderPlugin)

int main(int argc, char* argv[]) {
    if (const std::optional<int> exitCode = ponder::handleInfoOptions(argc, argv)) return *exitCode;

    QGuiApplication::setOrganizationName(QStringLiteral("Ponder"));
    QGuiApplication::setOrganizationDomain(QStringLiteral("ponder.app"));
    QGuiApplication::setApplicationName(QStringLiteral("Ponder"));
    QGuiApplication::setApplicationVersion(QString::fromUtf8(ponder::version_text()));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.ponder.Ponder"));
    if (QQuickStyle::name().isEmpty()) QQuickStyle::setStyle(QStringLiteral("Basic"));
    QGuiApplication app(argc, argv);

    const QStringList files = ponder::filesFromArguments(app.arguments());
    const ponder::AppPaths paths = ponder::PonderApp::standardPaths();
    ponder::SingleInstance instance(paths.dataDir);
    QString error;
    switch (instance.claim(files, &error)) {
    case ponder::SingleInstance::Role::HandedOver: return 0;
    case ponder::SingleInstance::Role::Failed: std::fprintf(stderr, "ponder: %s\n", qPrintable(error)); return 1;
    case ponder::SingleInstance::Role::Primary: break;
    }

    ponder::PonderApp ponderApp(paths, std::make_unique<ponder::EngineService>(), ponder::engineModelProbe());
    if (!ponderApp.start(&error)) {
        std::fprintf(stderr, "ponder: %s\n", qPrintable(error));
        return 1;
    }
    QObject::connect(&instance, &ponder::SingleInstance::filesReceived, &ponderApp, &ponder::PonderApp::openFiles);
    if (!files.isEmpty()) ponderApp.openFiles(files);
    ponder::FileOpenEvents fileOpenEvents([&](const QString& file) { ponderApp.openFiles({file}); });
    app.installEventFilter(&fileOpenEvents);
    return app.exec();
}
