// engine_e2e_test.cpp: the app with the real engine: loads stories260K.gguf and streams a reply into the view.
#include "app/ponder_app.h"
#include "chat/chat_controller.h"
#include "inference/engine_service.h"
#include "models/model_library.h"
#include "settings/app_settings.h"
#include "storage/history_store.h"

#include "qt_test_app.h"
#include "support/temp_dir.h"
#include "support/testdata.h"

#include <QElapsedTimer>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTimer>

#include <QtQml/qqmlextensionplugin.h>
#include <gtest/gtest.h>
#include <cstdio>
#include <fstream>

Q_IMPORT_QML_PLUGIN(PonderPlugin)

using namespace ponder;

namespace {

void collectVisible(QQuickItem* root, const QString& name, QList<QQuickItem*>* out) {
    if (!root || !root->isVisible()) return;
    if (root->objectName() == name) out->append(root);
    for (QQuickItem* child : root->childItems()) collectVisible(child, name, out);
}

}  // namespace

TEST(EngineEndToEnd, LoadsTheTinyModelAndStreamsAReplyIntoTheView) {
    PONDER_REQUIRE_TESTDATA();
    const auto model = test::testdata_path("models/stories260K.gguf");
    if (!std::filesystem::exists(model)) GTEST_SKIP() << "models/stories260K.gguf not in the reference data";
    test::ensureQtApp();
    test::TempDir dir;
    const QString root = QString::fromStdString(dir.path().string());
    {
        AppSettings pre(root + "/config/ponder.ini");
        pre.setContextLength(256);  // the model's own context is 512; keep the run short
        pre.setBackend("cpu");
        pre.setSeed(42);
        pre.setMaxTokens(40);  // a story model never ends a chat turn by itself
    }
    PonderApp app(AppPaths{root + "/data", root + "/config"}, std::make_unique<EngineService>(), engineModelProbe());
    QString error;
    ASSERT_TRUE(app.start(&error)) << error.toStdString();
    QQuickWindow* window = app.window();
    window->show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(window));

    // The GUI thread must keep turning while the engine loads and generates on its thread.
    int ticks = 0;
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
    ticker.start(2);

    app.library()->load(QString::fromStdString(model.string()));
    ASSERT_TRUE(test::waitUntil([&] { return !app.library()->loading(); }, 60000));
    ASSERT_TRUE(app.library()->modelReady()) << app.library()->loadError().toStdString();
    EXPECT_EQ(app.library()->backendText().isEmpty(), false);

    int pieces = 0;
    QList<int> ticksAtPiece;
    QObject::connect(app.inference(), &InferenceService::answerPiece, [&](const QString&) {
        ++pieces;
        ticksAtPiece.append(ticks);
    });
    QElapsedTimer clock;
    clock.start();
    ASSERT_TRUE(app.chat()->send("Once upon a time"));
    const int ticksAtStart = ticks;
    ASSERT_TRUE(test::waitUntil([&] { return !app.chat()->busy(); }, 120000)) << pieces << " pieces so far";
    std::printf("[ figures  ] reply: %d pieces in %lld ms; timer ticks during it: %d\n", pieces,
                static_cast<long long>(clock.elapsed()), ticks - ticksAtStart);
    EXPECT_TRUE(app.chat()->lastError().isEmpty()) << app.chat()->lastError().toStdString();
    ASSERT_GT(pieces, 0);
    EXPECT_GT(ticks, ticksAtStart);  // the timer ran during generation: the GUI thread never waited

    MessageModel* m = app.chat()->messages();
    ASSERT_EQ(m->rowCount(), 2);
    const QString answer = m->data(m->index(1), MessageModel::ContentRole).toString();
    EXPECT_FALSE(answer.trimmed().isEmpty());
    QList<QQuickItem*> shown;
    ASSERT_TRUE(test::waitUntil([&] {
        shown.clear();
        collectVisible(window->contentItem(), "answerText", &shown);
        return !shown.isEmpty();
    }));
    EXPECT_FALSE(shown.last()->property("text").toString().trimmed().isEmpty());

    app.chat()->flushHistory();
    storage::HistoryStore store(*app.database());
    const auto path = store.active_path(app.chat()->conversationId());
    ASSERT_EQ(path.size(), 2u);
    EXPECT_EQ(QString::fromStdString(path[1].message.content), answer);
    EXPECT_GT(path[1].message.stats.generated_tokens, 0);
}

TEST(EngineEndToEnd, StopEndsARealGenerationAndSwitchingModelsIsSafe) {
    PONDER_REQUIRE_TESTDATA();
    const auto model = test::testdata_path("models/stories260K.gguf");
    if (!std::filesystem::exists(model)) GTEST_SKIP() << "models/stories260K.gguf not in the reference data";
    test::ensureQtApp();
    test::TempDir dir;
    const QString root = QString::fromStdString(dir.path().string());
    {
        AppSettings pre(root + "/config/ponder.ini");
        pre.setContextLength(512);
        pre.setBackend("cpu");
        pre.setMaxTokens(100000);  // effectively unbounded: only Stop ends it
    }
    PonderApp app(AppPaths{root + "/data", root + "/config"}, std::make_unique<EngineService>(), engineModelProbe());
    QString error;
    ASSERT_TRUE(app.start(&error)) << error.toStdString();
    app.library()->load(QString::fromStdString(model.string()));
    ASSERT_TRUE(test::waitUntil([&] { return app.library()->modelReady(); }, 60000))
        << app.library()->loadError().toStdString();

    ASSERT_TRUE(app.chat()->send("Tell me a long story"));
    MessageModel* m = app.chat()->messages();
    ASSERT_TRUE(
        test::waitUntil([&] { return !m->data(m->index(1), MessageModel::ContentRole).toString().isEmpty(); }, 60000));
    app.chat()->stop();
    ASSERT_TRUE(test::waitUntil([&] { return !app.chat()->busy(); }, 10000));
    EXPECT_EQ(m->data(m->index(1), MessageModel::StatusRole).toString(), "stopped");

    // A bad file fails with the reader's message and leaves the app usable.
    const auto bogus = dir / "bogus.gguf";
    { std::ofstream(bogus) << "definitely not gguf"; }
    app.library()->load(QString::fromStdString(bogus.string()));
    ASSERT_TRUE(test::waitUntil([&] { return !app.library()->loading(); }, 10000));
    EXPECT_FALSE(app.library()->loadError().isEmpty());
    EXPECT_FALSE(app.library()->modelReady());
}

// The real engine behind the composer's count and Continue: a count arrives from its own thread,
// and a stopped answer goes on in the same message, stored.
TEST(EngineEndToEnd, CountsTokensAndContinuesAStoppedAnswer) {
    PONDER_REQUIRE_TESTDATA();
    const auto model = test::testdata_path("models/stories260K.gguf");
    if (!std::filesystem::exists(model)) GTEST_SKIP() << "models/stories260K.gguf not in the reference data";
    test::ensureQtApp();
    test::TempDir dir;
    const QString root = QString::fromStdString(dir.path().string());
    {
        AppSettings pre(root + "/config/ponder.ini");
        pre.setContextLength(256);
        pre.setBackend("cpu");
        pre.setSeed(7);
        pre.setMaxTokens(100000);  // only Stop ends the first answer
    }
    PonderApp app(AppPaths{root + "/data", root + "/config"}, std::make_unique<EngineService>(), engineModelProbe());
    QString error;
    ASSERT_TRUE(app.start(&error)) << error.toStdString();
    app.library()->load(QString::fromStdString(model.string()));
    ASSERT_TRUE(test::waitUntil([&] { return app.library()->modelReady(); }, 60000))
        << app.library()->loadError().toStdString();

    app.chat()->draft()->setText("Once upon a time there was");
    ASSERT_TRUE(
        test::waitUntil([&] { return app.chat()->draft()->tokens() > 0 && !app.chat()->draft()->counting(); }, 10000));
    std::printf("[ figures  ] draft of 26 characters: %d tokens\n", app.chat()->draft()->tokens());

    ASSERT_TRUE(app.chat()->send("Once upon a time"));
    MessageModel* m = app.chat()->messages();
    ASSERT_TRUE(
        test::waitUntil([&] { return m->data(m->index(1), MessageModel::ContentRole).toString().size() > 8; }, 60000));
    app.chat()->stop();
    ASSERT_TRUE(test::waitUntil([&] { return !app.chat()->busy(); }, 10000));
    const QString cut = m->data(m->index(1), MessageModel::ContentRole).toString();
    ASSERT_EQ(m->data(m->index(1), MessageModel::StatusRole).toString(), "stopped");

    app.settings()->setMaxTokens(12);
    ASSERT_TRUE(app.chat()->continueReply(1));
    ASSERT_TRUE(test::waitUntil([&] { return !app.chat()->busy(); }, 60000));
    EXPECT_TRUE(app.chat()->lastError().isEmpty()) << app.chat()->lastError().toStdString();
    const QString whole = m->data(m->index(1), MessageModel::ContentRole).toString();
    EXPECT_TRUE(whole.startsWith(cut)) << whole.toStdString();
    EXPECT_GT(whole.size(), cut.size());
    EXPECT_EQ(m->rowCount(), 2);
    app.chat()->flushHistory();
    storage::HistoryStore store(*app.database());
    EXPECT_EQ(QString::fromStdString(store.message(m->idAt(1))->content), whole);
}
