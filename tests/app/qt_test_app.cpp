// qt_test_app.cpp: the lazily created QGuiApplication shared by a test binary's tests.
#include "qt_test_app.h"

#include <QGuiApplication>
#include <QQuickStyle>
#include <QStyleHints>

namespace ponder::test {

void ensureQtApp() {
    if (QCoreApplication::instance()) return;
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication::setOrganizationName(QStringLiteral("PonderTest"));
    QGuiApplication::setOrganizationDomain(QStringLiteral("ponder.test"));
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    static int argc = 1;
    static char name[] = "ponder-ui-test";
    static char* argv[] = {name, nullptr};
    // Never destroyed: as a function-static it would die during static destruction, after Qt's
    // own globals (the QML type registry, plugin instances) and crash on exit.
    new QGuiApplication(argc, argv);
    QGuiApplication::styleHints()->setCursorFlashTime(0);
}

}  // namespace ponder::test
