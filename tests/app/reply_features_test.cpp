// reply_features_test.cpp: the real Main.qml (scripted engine) for what a reply and the composer
// tell the user: dropped-context and reasoning-budget notices, the token count while typing,
// Continue, JSON backup, Unload with live memory, and the device line in Chinese.
#include "window_fixture.h"

#include "inference/engine_texts.h"
#include "storage/database.h"
#include "storage/history_store.h"

#include <ponder/engine.h>

#include <QtQml/qqmlextensionplugin.h>
#include <QFile>

#include <algorithm>
#include <string_view>

Q_IMPORT_QML_PLUGIN(PonderPlugin)

using namespace ponder;
using ponder::test::WindowTest;

namespace {

class ReplyFeatures : public WindowTest {
protected:
    void sendAndWait(const QString& text) {
        click(item("messageInput"));
        type(text);
        QTest::keyClick(window, Qt::Key_Return);
        ASSERT_TRUE(test::waitUntil([&] { return !app->chat()->busy(); }));
    }
    QString visibleText(const QString& name) {
        const QList<QQuickItem*> items = visibleItems(name);
        return items.isEmpty() ? QString() : text(items.last());
    }
};

TEST_F(ReplyFeatures, ANoticeInTheThreadSaysWhenOlderMessagesWereLeftOut) {
    loadFakeModel();
    sendAndWait("first");
    EXPECT_TRUE(visibleItems("contextNotice").isEmpty());  // nothing dropped: nothing said
    engine->droppedMessages = 2;
    sendAndWait("second");
    ASSERT_TRUE(test::waitUntil([&] { return !visibleItems("contextNotice").isEmpty(); }));
    const QString notice = visibleText("contextNoticeText");
    EXPECT_TRUE(notice.contains("2 older messages")) << notice.toStdString();
    EXPECT_TRUE(notice.contains("context")) << notice.toStdString();
    EXPECT_EQ(visibleItems("contextNotice").size(), 1);  // only under the reply it happened to
}

TEST_F(ReplyFeatures, AReasoningBudgetThatEndedTheThinkingIsExplained) {
    loadFakeModel();
    engine->reasoningBudgetReached = true;
    sendAndWait("think");
    QString note = visibleText("budgetNoticeText");
    EXPECT_TRUE(note.contains("reasoning budget ended the thinking after 3 tokens")) << note.toStdString();
    EXPECT_TRUE(note.contains("answered")) << note.toStdString();

    // Thinking used the budget and the reply ran out before any answer: say why it is empty.
    engine->answerScript.clear();
    sendAndWait("again");
    note = visibleText("budgetNoticeText");
    EXPECT_TRUE(note.contains("before an answer came")) << note.toStdString();
}

// The notices are stored with the reply: they were gone once the chat was opened again.
TEST_F(ReplyFeatures, NoticesAreStillShownWhenTheChatIsOpenedAgain) {
    loadFakeModel();
    engine->droppedMessages = 2;
    engine->reasoningBudgetReached = true;
    sendAndWait("think long");
    const qint64 chat = app->chat()->conversationId();
    app->chat()->flushHistory();
    app->chat()->newConversation();
    ASSERT_TRUE(test::waitUntil([&] { return visibleItems("contextNotice").isEmpty(); }));
    app->chat()->openConversation(chat);
    ASSERT_TRUE(test::waitUntil([&] { return !visibleItems("budgetNotice").isEmpty(); }))
        << "the reasoning budget notice is gone after reopening";
    EXPECT_TRUE(visibleText("budgetNoticeText").contains("reasoning budget ended the thinking after 3 tokens"))
        << visibleText("budgetNoticeText").toStdString();
    EXPECT_TRUE(visibleText("contextNoticeText").contains("2 older messages"))
        << visibleText("contextNoticeText").toStdString();
}

TEST_F(ReplyFeatures, TheComposerCountsTokensWhileTypingAgainstTheSpaceLeft) {
    loadFakeModel();
    EXPECT_TRUE(visibleItems("draftTokens").isEmpty());  // nothing typed
    click(item("messageInput"));
    type("one two three");
    ASSERT_TRUE(test::waitUntil([&] { return visibleText("draftTokens").startsWith("3 tokens"); }))
        << visibleText("draftTokens").toStdString();
    const int size = app->chat()->contextSize();
    ASSERT_GT(size, 0);
    EXPECT_TRUE(visibleText("draftTokens").contains(QString("%1 of %1 left").arg(size)))
        << visibleText("draftTokens").toStdString();
    // Debounced: thirteen keystrokes, not thirteen counts.
    EXPECT_LE(engine->countCalls(), 2);
    QTest::keyClick(window, Qt::Key_Return);
    ASSERT_TRUE(test::waitUntil([&] { return !app->chat()->busy(); }));
    EXPECT_TRUE(visibleItems("draftTokens").isEmpty());  // sent: the input is empty again
    // After a reply the space left shrinks by what the chat uses.
    type("four five");
    ASSERT_TRUE(test::waitUntil([&] { return visibleText("draftTokens").startsWith("2 tokens"); }));
    const int left = size - app->chat()->contextUsed();
    EXPECT_TRUE(visibleText("draftTokens").contains(QString("%1 of %2 left").arg(left).arg(size)))
        << visibleText("draftTokens").toStdString();
}

TEST_F(ReplyFeatures, ContinueGoesOnWithAStoppedAnswerInTheSameMessage) {
    loadFakeModel();
    engine->intervalMs = 20;
    engine->answerScript = QString("a b c d e f g h").split(' ');
    click(item("messageInput"));
    type("go");
    QTest::keyClick(window, Qt::Key_Return);
    // A new answer has its thinking panel while the prompt is read: no reading note.
    EXPECT_TRUE(visibleItems("readingNote").isEmpty());
    ASSERT_TRUE(test::waitUntil([&] {
        return app->chat()
                   ->messages()
                   ->data(app->chat()->messages()->index(1), MessageModel::ContentRole)
                   .toString()
                   .size() >= 2;
    }));
    click(item("stopButton"));
    ASSERT_TRUE(test::waitUntil([&] { return !app->chat()->busy(); }));
    MessageModel* m = app->chat()->messages();
    const QString cut = m->data(m->index(1), MessageModel::ContentRole).toString();
    ASSERT_FALSE(cut.isEmpty());
    ASSERT_LT(cut.size(), 8);
    ASSERT_EQ(m->data(m->index(1), MessageModel::StatusRole).toString(), "stopped");

    // The engine takes a while before its first piece (it reads the whole conversation again):
    // the answer says so meanwhile, as its text alone would not move.
    engine->intervalMs = 300;
    engine->answerScript = QStringList{" and", " more"};
    ASSERT_TRUE(test::waitUntil([&] { return !visibleItems("continueButton").isEmpty(); }));
    click(visibleItems("continueButton").last());
    ASSERT_TRUE(app->chat()->busy()) << "the click missed the Continue button";
    ASSERT_TRUE(app->chat()->readingPrompt());
    ASSERT_TRUE(test::waitUntil([&] { return !visibleItems("readingNote").isEmpty(); }));
    EXPECT_EQ(text(visibleItems("readingNote").first()), "Reading the conversation…");
    ASSERT_TRUE(test::waitUntil([&] { return visibleItems("readingNote").isEmpty(); }));
    EXPECT_FALSE(app->chat()->readingPrompt());
    EXPECT_TRUE(app->chat()->busy());  // it went away because pieces came, not because it ended
    ASSERT_TRUE(test::waitUntil([&] { return !app->chat()->busy(); }));
    // The engine was asked to go on from the cut answer, and the text was appended to it.
    EXPECT_TRUE(engine->lastSettings().continueLast);
    ASSERT_FALSE(engine->lastHistory().isEmpty());
    EXPECT_EQ(engine->lastHistory().back().role, ChatTurn::Role::Assistant);
    EXPECT_EQ(engine->lastHistory().back().content, cut);
    EXPECT_EQ(engine->lastHistory().back().reasoning, engine->reasoningScript.join(QString()));
    ASSERT_EQ(m->rowCount(), 2);  // the same message, no new branch
    EXPECT_EQ(m->data(m->index(1), MessageModel::ContentRole).toString(), cut + " and more");
    EXPECT_EQ(m->data(m->index(1), MessageModel::StatusRole).toString(), "done");
    EXPECT_TRUE(visibleItems("continueButton").isEmpty());  // finished: nothing to continue
    // And the store has the whole answer, finished.
    app->chat()->flushHistory();
    storage::HistoryStore store(*app->database());
    const auto stored = store.message(m->idAt(1));
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(QString::fromStdString(stored->content), cut + " and more");
    EXPECT_EQ(stored->status, storage::MessageStatus::Complete);
    EXPECT_EQ(store.messages(app->chat()->conversationId()).size(), 2u);
}

TEST_F(ReplyFeatures, ChatsGoOutAsJsonAndComeBackAsNewChats) {
    loadFakeModel();
    sendAndWait("backup me");
    const qint64 id = app->chat()->conversationId();
    const QString one = QString::fromStdString((dir / "one.json").string());
    const QString all = QString::fromStdString((dir / "all.json").string());
    ASSERT_TRUE(app->chat()->exportConversationJson(id, QUrl::fromLocalFile(one)));
    ASSERT_TRUE(app->chat()->exportAllJson(QUrl::fromLocalFile(all)));
    QFile file(one);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray json = file.readAll();
    EXPECT_TRUE(json.contains("\"ponder-history\"")) << json.toStdString();
    EXPECT_TRUE(json.contains("backup me"));
    EXPECT_TRUE(json.contains(engine->reasoningScript.first().toUtf8()));  // reasoning kept

    EXPECT_EQ(app->chat()->importJson(QUrl::fromLocalFile(all)), 1);
    EXPECT_EQ(app->chat()->conversations()->rowCount(), 2);
    EXPECT_NE(app->chat()->conversationId(), id);  // the imported chat is shown
    EXPECT_EQ(text(visibleItems("userText").value(0)), "backup me");

    // A file that is not an export: an error in the banner, nothing imported.
    const QString bad = QString::fromStdString((dir / "bad.json").string());
    QFile badFile(bad);
    ASSERT_TRUE(badFile.open(QIODevice::WriteOnly));
    badFile.write("{\"format\":\"something else\"}");
    badFile.close();
    EXPECT_EQ(app->chat()->importJson(QUrl::fromLocalFile(bad)), 0);
    EXPECT_FALSE(app->chat()->lastError().isEmpty());
    EXPECT_EQ(app->chat()->conversations()->rowCount(), 2);
    // The sidebar has the buttons that open the import and export-all dialogs.
    EXPECT_NE(item("importChatsButton"), nullptr);
    EXPECT_NE(item("exportAllButton"), nullptr);
}

TEST_F(ReplyFeatures, UnloadFreesTheModelAndTheMemoryLineShowsWhileLoaded) {
    loadFakeModel();
    QQuickItem* unload = item("unloadButton");
    ASSERT_NE(unload, nullptr);
    EXPECT_TRUE(unload->isVisible());
#if defined(__linux__)
    QQuickItem* memory = item("memoryLabel");
    ASSERT_NE(memory, nullptr);
    ASSERT_TRUE(test::waitUntil([&] { return memory->isVisible(); }));
    EXPECT_TRUE(text(memory).startsWith("Memory ")) << text(memory).toStdString();
    EXPECT_TRUE(text(memory).endsWith(" MB") || text(memory).endsWith(" GB")) << text(memory).toStdString();
#endif
    click(unload);
    ASSERT_TRUE(test::waitUntil([&] { return !app->library()->modelReady(); }));
    EXPECT_FALSE(engine->hasModel());
    EXPECT_FALSE(unload->isVisible());
#if defined(__linux__)
    EXPECT_FALSE(memory->isVisible());
#endif
    EXPECT_FALSE(app->chat()->send("hello"));  // a model has to be loaded again first
    EXPECT_TRUE(app->chat()->lastError().contains("Load a model first"));
}

// The status bar's lines give way on a narrow window: what they draw (elided, or cut at the
// clipping column) ends before the Unload button, and the memory figure is either readable or
// hidden, never a stub. At 760 px "Memory 343 MB" once ran over Unload and Import….
TEST_F(ReplyFeatures, TheStatusLinesNeverRunUnderTheButtonsOnANarrowWindow) {
    engine->backendReasonCode = int(BackendReason::AutoSoftwareGpuOnly);
    engine->backendReasonArgs = {QStringLiteral("llvmpipe (LLVM 15.0.6, 256 bits)")};
    loadFakeModel();
    QQuickItem* unload = item("unloadButton");
    ASSERT_NE(unload, nullptr);
#if defined(__linux__)
    QQuickItem* memory = item("memoryLabel");
    ASSERT_NE(memory, nullptr);
    ASSERT_TRUE(test::waitUntil([&] { return memory->isVisible(); }));
#endif
    // Where a label's text stops being drawn: its painted width, cut by a clipping ancestor. A
    // label laid out to no width at all draws its whole line (Qt elides only into a width; its
    // paintedWidth then says 0): its implicit width.
    auto drawnRight = [](QQuickItem* label) {
        const double painted = label->width() < 1 ? label->implicitWidth() : label->property("paintedWidth").toDouble();
        double right = label->mapToScene(QPointF(painted, 0)).x();
        for (QQuickItem* p = label->parentItem(); p; p = p->parentItem())
            if (p->clip()) right = std::min(right, p->mapToScene(QPointF(p->width(), 0)).x());
        return right;
    };
    for (int width : {1100, 900, 760, 700, 640}) {
        window->resize(width, 600);
        ASSERT_TRUE(test::waitUntil([&] { return window->width() == width; })) << width;
        QTest::qWait(50);  // the layouts settle on the next polish
        const double buttons = unload->mapToScene(QPointF(0, 0)).x();
        for (const char* name : {"backendLabel", "contextLabel", "memoryLabel"}) {
            QQuickItem* label = item(name);
            if (!label || !label->isVisible() || label->opacity() == 0.0) continue;
            EXPECT_LE(drawnRight(label), buttons + 0.5) << name << " at " << width << " px";
            if (std::string_view(name) == "memoryLabel") {
                EXPECT_LE(label->property("paintedWidth").toDouble(), label->width() + 0.5)
                    << "a stub of the memory figure at " << width << " px";
            }
        }
    }
}

TEST_F(ReplyFeatures, TheDeviceLineAndEngineErrorsAreInTheChosenLanguage) {
    engine->backendReasonCode = int(BackendReason::AutoSoftwareGpuOnly);
    engine->backendReasonArgs = {QStringLiteral("llvmpipe")};
    loadFakeModel();
    QQuickItem* line = item("backendLabel");
    ASSERT_NE(line, nullptr);
    EXPECT_EQ(text(line), "CPU: Test CPU (auto: the only Vulkan device, llvmpipe, is a software renderer)");
    app->settings()->setLanguage("zh_CN");
    ASSERT_TRUE(test::waitUntil([&] { return text(line).contains(QString::fromUtf8("软件渲染")); }))
        << text(line).toStdString();
    EXPECT_TRUE(text(line).contains("llvmpipe"));
    app->settings()->setLanguage("zh_TW");
    ASSERT_TRUE(test::waitUntil([&] { return text(line).contains(QString::fromUtf8("軟體算繪")); }))
        << text(line).toStdString();

    // Engine errors with a code are worded by the app; unknown codes keep the engine's English.
    const ponder::Error coded("x.gguf: architecture mamba is not supported yet", ErrorCode::UnsupportedArchitecture,
                              {"x.gguf", "mamba"});
    EXPECT_TRUE(engineErrorText(coded).contains(QString::fromUtf8("尚無法執行")))
        << engineErrorText(coded).toStdString();
    const ponder::Error unknown("something new", static_cast<ErrorCode>(999), {});
    EXPECT_EQ(engineErrorText(unknown), "something new");
    app->settings()->setLanguage("en");
    ASSERT_TRUE(test::waitUntil([&] { return text(line).startsWith("CPU: Test CPU"); }));
    EXPECT_TRUE(engineErrorText(coded).contains("which Ponder cannot run yet")) << engineErrorText(coded).toStdString();
}

}  // namespace
