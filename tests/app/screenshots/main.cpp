// main.cpp: `ponder-screenshots NAME OUT.png [--theme T] [--lang L] [--size WxH]`: the app's fixed
// scenes with the scripted engine, for docs and review (scripts/screenshots). A test tool, not
// installed: the shipped `ponder` has no scripted engine and no scene mode.
#include "screenshot_scene.h"

#include <QtQml/qqmlextensionplugin.h>
#include <QGuiApplication>
#include <QQuickStyle>

Q_IMPORT_QML_PLUGIN(PonderPlugin)

int main(int argc, char* argv[]) {
    // The same identity and style as `ponder`, so the scenes look like the app.
    QGuiApplication::setOrganizationName(QStringLiteral("Ponder"));
    QGuiApplication::setOrganizationDomain(QStringLiteral("ponder.app"));
    QGuiApplication::setApplicationName(QStringLiteral("Ponder"));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.ponder.Ponder"));
    if (QQuickStyle::name().isEmpty()) QQuickStyle::setStyle(QStringLiteral("Basic"));
    QGuiApplication app(argc, argv);
    return ponder::runScreenshotScene(app.arguments().mid(1));
}
