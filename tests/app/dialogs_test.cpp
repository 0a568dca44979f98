// dialogs_test.cpp: every dialog of the real Main.qml opens and closes (file dialogs included). CTest
// runs it in a real X window under Xvfb when xvfb-run is installed, so a QML module a dialog needs
// at run time and the machine lacks (Qt.labs.folderlistmodel crashed every file dialog) fails here.
#include "app/ponder_app.h"
#include "chat/chat_controller.h"
#include "fake_inference_service.h"
#include "models/model_library.h"

#include "qt_test_app.h"
#include "support/temp_dir.h"

#include <QtQml/qqmlextensionplugin.h>
#include <gtest/gtest.h>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>

Q_IMPORT_QML_PLUGIN(PonderPlugin)

using namespace ponder;

namespace {

QStringList g_warnings;

void recordWarnings(QtMsgType type, const QMessageLogContext&, const QString& message) {
    if (type == QtWarningMsg || type == QtCriticalMsg || type == QtFatalMsg) g_warnings.append(message);
    fprintf(stderr, "%s\n", qPrintable(message));
}

QObject* findByName(QObject* root, const QString& name) {
    if (!root) return nullptr;
    if (root->objectName() == name) return root;
    if (auto* item = qobject_cast<QQuickItem*>(root)) {
        for (QQuickItem* child : item->childItems())
            if (QObject* hit = findByName(child, name)) return hit;
    }
    for (QObject* child : root->children())
        if (QObject* hit = findByName(child, name)) return hit;
    return nullptr;
}

class DialogsTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::ensureQtApp();
        const QString root = QString::fromStdString(dir.path().string());
        app = std::make_unique<PonderApp>(AppPaths{root + "/data", root + "/config"},
                                          std::make_unique<FakeInferenceService>(), engineModelProbe());
        QString error;
        ASSERT_TRUE(app->start(&error)) << error.toStdString();
        window = app->window();
        ASSERT_NE(window, nullptr);
        window->resize(1100, 760);
        window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(window));
        window->requestActivate();
        ASSERT_TRUE(QTest::qWaitForWindowActive(window));
        g_warnings.clear();
        previousHandler = qInstallMessageHandler(recordWarnings);
    }
    void TearDown() override {
        qInstallMessageHandler(previousHandler);
        app.reset();
    }

    QObject* dialog(const QString& name) {
        QObject* d = findByName(window->contentItem(), name);
        if (!d) d = findByName(window, name);
        return d;
    }
    // Opens the dialog (with `open`, or the method named), waits until it shows, then closes it.
    void openAndClose(const QString& name, const std::function<void()>& open = {}) {
        SCOPED_TRACE(name.toStdString());
        QObject* d = dialog(name);
        ASSERT_NE(d, nullptr) << "no dialog named " << name.toStdString();
        g_warnings.clear();
        if (open)
            open();
        else
            QMetaObject::invokeMethod(d, "open");
        ASSERT_TRUE(test::waitUntil([&] { return d->property("visible").toBool(); }, 5000))
            << name.toStdString() << " did not open; warnings: " << g_warnings.join('\n').toStdString();
        QTest::qWait(50);  // let it render a frame or two
        for (const QString& w : g_warnings) {
            EXPECT_FALSE(w.contains("not installed") || w.contains("is not a type") || w.contains("Error") ||
                         w.contains("failed to load"))
                << name.toStdString() << ": " << w.toStdString();
        }
        // FileDialog closes with reject(), Popup-based dialogs with close().
        if (d->metaObject()->indexOfMethod("reject()") >= 0)
            QMetaObject::invokeMethod(d, "reject");
        else
            QMetaObject::invokeMethod(d, "close");
        ASSERT_TRUE(test::waitUntil([&] { return !d->property("visible").toBool(); }, 5000))
            << name.toStdString() << " did not close";
    }

    test::TempDir dir;
    std::unique_ptr<PonderApp> app;
    QQuickWindow* window = nullptr;
    QtMessageHandler previousHandler = nullptr;
};

}  // namespace

TEST_F(DialogsTest, EveryDialogOpensAndCloses) {
    // A conversation, so the sidebar's rename/delete/export dialogs have something to act on.
    static_cast<FakeInferenceService*>(app->inference())->intervalMs = 1;
    app->library()->load("/models/fake.gguf");
    ASSERT_TRUE(test::waitUntil([&] { return app->library()->modelReady(); }));
    ASSERT_TRUE(app->chat()->send("hello"));
    ASSERT_TRUE(test::waitUntil([&] { return !app->chat()->busy(); }));

    // Import… through its shortcut, as a user opens it.
    openAndClose("importDialog", [&] { QTest::keyClick(window, Qt::Key_O, Qt::ControlModifier); });
    openAndClose("settingsDialog", [&] { QTest::keyClick(window, Qt::Key_Comma, Qt::ControlModifier); });
    // Export… suggests the chat's title as the file name and says "Export", not "Open".
    QObject* exportDialog = dialog("exportDialog");
    ASSERT_NE(exportDialog, nullptr);
    openAndClose("exportDialog", [&] {
        QMetaObject::invokeMethod(exportDialog, "openFor", Q_ARG(QVariant, app->chat()->conversationId()),
                                  Q_ARG(QVariant, QStringLiteral("hello")));
    });
    EXPECT_EQ(exportDialog->property("acceptLabel").toString(), "Export");
    EXPECT_TRUE(exportDialog->property("selectedFile").toUrl().toString().endsWith("/hello.md"))
        << exportDialog->property("selectedFile").toUrl().toString().toStdString();
    openAndClose("locateDialog");
    // JSON backup: one chat, all chats, import (each suggests a .json name / filters .json).
    QObject* jsonExport = dialog("jsonExportDialog");
    ASSERT_NE(jsonExport, nullptr);
    openAndClose("jsonExportDialog", [&] {
        QMetaObject::invokeMethod(jsonExport->parent(), "exportChat", Q_ARG(QVariant, app->chat()->conversationId()),
                                  Q_ARG(QVariant, QStringLiteral("hello")));
    });
    EXPECT_TRUE(jsonExport->property("selectedFile").toUrl().toString().endsWith("/hello.json"))
        << jsonExport->property("selectedFile").toUrl().toString().toStdString();
    openAndClose("exportAllDialog",
                 [&] { QMetaObject::invokeMethod(dialog("exportAllDialog")->parent(), "exportAll"); });
    openAndClose("importChatsDialog", [&] {
        QQuickItem* button = qobject_cast<QQuickItem*>(dialog("importChatsButton"));
        ASSERT_NE(button, nullptr);
        QMetaObject::invokeMethod(button, "clicked");
    });
    openAndClose("renameDialog");
    openAndClose("deleteDialog");
    EXPECT_EQ(app->chat()->conversations()->rowCount(), 1);  // closing is not confirming
}
