// startup_recovery_test.cpp: what the app shows after a crash or a damaged history database.
#include "app/ponder_app.h"
#include "chat/chat_controller.h"
#include "chat/message_model.h"
#include "fake_inference_service.h"
#include "models/model_library.h"
#include "models/model_probe.h"
#include "qt_test_app.h"
#include "storage/database.h"
#include "storage/history_store.h"
#include "support/temp_dir.h"

#include <QtQml/qqmlextensionplugin.h>
#include <gtest/gtest.h>
#include <QDir>
#include <QFile>
#include <QQuickItem>
#include <QQuickWindow>

#include <fstream>

Q_IMPORT_QML_PLUGIN(PonderPlugin)

using namespace ponder;

namespace {

QObject* findVisibleNote(QQuickItem* root, const QString& text) {
    for (QQuickItem* child : root->childItems()) {
        if (child->isVisible() && child->objectName() == QLatin1String("statusNote") &&
            child->property("text").toString() == text)
            return child;
        if (QObject* found = findVisibleNote(child, text)) return found;
    }
    return nullptr;
}

class StartupRecoveryTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::ensureQtApp();
        root = QString::fromStdString(dir.path().string());
        QDir().mkpath(root + "/data");
    }
    std::unique_ptr<PonderApp> startApp() {
        auto app = std::make_unique<PonderApp>(AppPaths{root + "/data", root + "/config"},
                                               std::make_unique<FakeInferenceService>(), engineModelProbe());
        QString error;
        EXPECT_TRUE(app->start(&error)) << error.toStdString();
        return app;
    }
    std::string dbPath() const { return (dir.path() / "data" / "history.db").string(); }

    test::TempDir dir;
    QString root;
};

TEST_F(StartupRecoveryTest, AnswerCutOffByAQuitIsShownAsInterrupted) {
    std::int64_t conversation = 0;
    {
        auto db = storage::Database::open(dbPath());
        storage::HistoryStore store(*db);
        conversation = store.create_conversation("cut off");
        const auto question = store.add_message(conversation, std::nullopt, storage::Role::User, "Why?");
        store.start_assistant_message(conversation, question);  // left "streaming", as after a crash
    }
    auto app = startApp();
    app->chat()->openConversation(conversation);
    MessageModel* messages = app->chat()->messages();
    ASSERT_EQ(messages->rowCount(), 2);
    EXPECT_EQ(messages->data(messages->index(1), MessageModel::StatusRole).toString(), "interrupted");

    QQuickWindow* window = app->window();
    ASSERT_NE(window, nullptr);
    window->resize(1000, 700);
    window->show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(window));
    EXPECT_TRUE(test::waitUntil([&] {
        return findVisibleNote(window->contentItem(), "Interrupted: Ponder closed before this answer was finished.") !=
               nullptr;
    }));
}

TEST_F(StartupRecoveryTest, DamagedDatabaseIsSetAsideAndTheUserIsTold) {
    {
        std::ofstream garbage(dbPath(), std::ios::binary);
        for (int i = 0; i < 4096; ++i) garbage << "this is not a database ";
    }
    auto app = startApp();
    const QString notice = app->chat()->lastError();
    EXPECT_TRUE(notice.contains("damaged")) << notice.toStdString();
    const QStringList kept = QDir(root + "/data").entryList({"history.db.corrupt-*"}, QDir::Files);
    ASSERT_EQ(kept.size(), 1);
    EXPECT_TRUE(notice.contains(kept.first())) << notice.toStdString();
    EXPECT_TRUE(app->chat()->conversations()->rowCount() == 0);
}

}  // namespace

TEST_F(StartupRecoveryTest, TheLastModelIsLoadedAgainAfterARestart) {
    const QString model = root + "/tiny.gguf";
    std::ofstream(model.toStdString()) << "weights";
    {
        auto app = startApp();
        EXPECT_FALSE(app->library()->loading()) << "a fresh profile has no model to restore";
        app->library()->load(model);
        ASSERT_TRUE(test::waitUntil([&] { return app->library()->modelReady(); }));
    }
    {
        auto app = startApp();
        ASSERT_TRUE(test::waitUntil([&] { return app->library()->modelReady(); }))
            << "the model loaded before the restart was not loaded again";
        EXPECT_EQ(app->library()->loadedPath(), model);
    }
    // Its file gone: nothing is tried, no error banner at start.
    QFile::remove(model);
    auto app = startApp();
    EXPECT_FALSE(app->library()->loading());
    EXPECT_TRUE(app->library()->loadError().isEmpty());
}
