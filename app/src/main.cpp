// main.cpp: the ponder executable: the real engine, standard folders, and the screenshot mode.
#include "app/ponder_app.h"
#include "app/screenshot_scene.h"
#include "inference/engine_service.h"

#include <QGuiApplication>
#include <QIcon>
#include <QQuickStyle>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(PonderPlugin)

int main(int argc, char* argv[]) {
    QGuiApplication::setOrganizationName(QStringLiteral("Ponder"));
    QGuiApplication::setOrganizationDomain(QStringLiteral("ponder.app"));
    QGuiApplication::setApplicationName(QStringLiteral("Ponder"));
    QGuiApplication::setApplicationVersion(QStringLiteral(PONDER_VERSION));
    if (QQuickStyle::name().isEmpty()) QQuickStyle::setStyle(QStringLiteral("Basic"));
    QGuiApplication app(argc, argv);

    const QStringList args = app.arguments().mid(1);
    if (const qsizetype i = args.indexOf(QStringLiteral("--screenshot-scene")); i >= 0)
        return ponder::runScreenshotScene(args.mid(i + 1));

    ponder::PonderApp ponderApp(ponder::PonderApp::standardPaths(), std::make_unique<ponder::EngineService>(),
                                ponder::engineModelProbe());
    QString error;
    if (!ponderApp.start(&error)) {
        std::fprintf(stderr, "ponder: %s\n", qPrintable(error));
        return 1;
    }
    return app.exec();
}
