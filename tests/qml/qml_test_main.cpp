// qml_test_main.cpp: Qt Quick Test runner for the app's QML components (the static "Ponder" module).
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>
#include <QGuiApplication>
#include <QQmlEngine>
#include <QQuickStyle>

Q_IMPORT_QML_PLUGIN(PonderPlugin)

class Setup : public QObject {
    Q_OBJECT
public slots:
    void applicationAvailable() {
        QGuiApplication::setOrganizationName(QStringLiteral("PonderTest"));
        QQuickStyle::setStyle(QStringLiteral("Basic"));
    }
    void qmlEngineAvailable(QQmlEngine* engine) { engine->addImportPath(QStringLiteral("qrc:/qt/qml")); }
};

QUICK_TEST_MAIN_WITH_SETUP(ponder_qml, Setup)

#include "qml_test_main.moc"
