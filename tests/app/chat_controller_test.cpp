// chat_controller_test.cpp: the chat loop against the scripted engine and a real history database.
#include "controller_fixture.h"
#include "storage/history_store.h"

#include "qt_test_app.h"
#include "support/temp_dir.h"
#include "support/testdata.h"

#include <gtest/gtest.h>
#include <QSignalSpy>
#include <QTimer>

using namespace ponder;

namespace {

class ChatControllerTest : public test::ControllerTest {
protected:
    void SetUp() override {
        ControllerTest::SetUp();
        engine.intervalMs = 2;
        ASSERT_NO_FATAL_FAILURE(loadModel());
    }
    QString text(int row, MessageModel::Role role) const {
        MessageModel* m = chat->messages();
        return m->data(m->index(row), role).toString();
    }
    storage::HistoryStore store() { return storage::HistoryStore(*db); }
};

}  // namespace

TEST_F(ChatControllerTest, SendStreamsReasoningThenAnswerIntoViewAndStore) {
    // Snapshot the reply row every time it grows: reasoning must be complete before any answer.
    QList<QPair<QString, QString>> snapshots;
    QObject::connect(chat->messages(), &MessageModel::contentChangedAt, [&](int row) {
        snapshots.append({text(row, MessageModel::ReasoningRole), text(row, MessageModel::ContentRole)});
    });
    ASSERT_TRUE(chat->send(QStringLiteral("  Hello there\nsecond line ")));
    EXPECT_TRUE(chat->busy());
    EXPECT_EQ(text(1, MessageModel::StatusRole), "streaming");
    ASSERT_TRUE(waitIdle());

    const QString reasoning = engine.reasoningScript.join(QString());
    const QString answer = engine.answerScript.join(QString());
    // Pieces are batched for the view (at most one update per ~33 ms), never lost.
    ASSERT_GE(snapshots.size(), 2);
    ASSERT_LE(snapshots.size(), engine.reasoningScript.size() + engine.answerScript.size());
    for (const auto& [r, a] : snapshots) {
        if (!a.isEmpty()) {
            EXPECT_EQ(r, reasoning) << "answer text arrived before the reasoning was complete";
        }
    }
    EXPECT_TRUE(reasoning.startsWith(snapshots.first().first));
    EXPECT_TRUE(snapshots.first().second.isEmpty());

    ASSERT_EQ(chat->messages()->rowCount(), 2);
    EXPECT_EQ(text(0, MessageModel::ContentRole), "Hello there\nsecond line");
    EXPECT_EQ(text(1, MessageModel::ReasoningRole), reasoning);
    EXPECT_EQ(text(1, MessageModel::ContentRole), answer);
    EXPECT_EQ(text(1, MessageModel::StatusRole), "done");
    EXPECT_EQ(chat->title(), "Hello there");  // first line of the question, never reasoning

    chat->flushHistory();
    const auto path = store().active_path(chat->conversationId());
    ASSERT_EQ(path.size(), 2u);
    EXPECT_EQ(path[0].message.content, "Hello there\nsecond line");
    EXPECT_EQ(path[1].message.role, storage::Role::Assistant);
    EXPECT_EQ(path[1].message.reasoning, reasoning.toStdString());
    EXPECT_EQ(path[1].message.content, answer.toStdString());
    EXPECT_EQ(path[1].message.status, storage::MessageStatus::Complete);
    EXPECT_EQ(path[1].message.stats.generated_tokens, int(engine.reasoningScript.size() + engine.answerScript.size()));
    EXPECT_EQ(store().conversation(chat->conversationId())->title, "Hello there");

    // The engine saw the question (and no system turn: the prompt is empty by default).
    ASSERT_EQ(engine.lastHistory().size(), 1);
    EXPECT_EQ(engine.lastHistory()[0].role, ChatTurn::Role::User);
}

TEST_F(ChatControllerTest, StopEndsTheReplyAndKeepsWhatWasWritten) {
    engine.intervalMs = 15;
    engine.answerScript = {"one ", "two ", "three ", "four ", "five"};
    ASSERT_TRUE(chat->send("count"));
    ASSERT_TRUE(test::waitUntil([&] { return !text(1, MessageModel::ContentRole).isEmpty(); }));
    chat->stop();
    ASSERT_TRUE(waitIdle());
    EXPECT_EQ(text(1, MessageModel::StatusRole), "stopped");
    const QString partial = text(1, MessageModel::ContentRole);
    EXPECT_TRUE(partial.startsWith("one ")) << partial.toStdString();
    EXPECT_NE(partial, engine.answerScript.join(QString()));
    chat->flushHistory();
    const auto msg = store().message(chat->messages()->idAt(1));
    ASSERT_TRUE(msg);
    EXPECT_EQ(msg->status, storage::MessageStatus::Stopped);
    EXPECT_EQ(msg->content, partial.toStdString());
}

TEST_F(ChatControllerTest, RegenerateCreatesABranchAndBothAreReachable) {
    engine.answerScript = {"first answer"};
    ASSERT_TRUE(chat->send("question"));
    ASSERT_TRUE(waitIdle());
    const qint64 firstReply = chat->messages()->idAt(1);
    engine.answerScript = {"second answer"};
    ASSERT_TRUE(chat->regenerate(1));
    ASSERT_TRUE(waitIdle());
    ASSERT_EQ(chat->messages()->rowCount(), 2);
    EXPECT_EQ(text(1, MessageModel::ContentRole), "second answer");
    EXPECT_EQ(text(1, MessageModel::BranchIndexRole), "2");
    EXPECT_EQ(text(1, MessageModel::BranchCountRole), "2");
    // The regenerated request had the same history (the question only).
    ASSERT_EQ(engine.lastHistory().size(), 1);
    EXPECT_EQ(engine.lastHistory()[0].content, "question");

    chat->switchBranch(1, -1);
    EXPECT_EQ(text(1, MessageModel::ContentRole), "first answer");
    EXPECT_EQ(chat->messages()->idAt(1), firstReply);
    chat->flushHistory();
    EXPECT_EQ(store().siblings(firstReply).size(), 2u);
    // The chosen branch is remembered by the store: reopening shows it.
    const qint64 conv = chat->conversationId();
    chat->newConversation();
    chat->openConversation(conv);
    EXPECT_EQ(text(1, MessageModel::ContentRole), "first answer");
}

TEST_F(ChatControllerTest, SwitchingBranchesShowsThatBranchsContextUse) {
    // Two replies of different lengths to one question: the meter follows the branch shown.
    engine.answerScript = {"a ", "long ", "first ", "answer ", "of ", "many ", "pieces ", "indeed"};
    ASSERT_TRUE(chat->send("question"));
    ASSERT_TRUE(waitIdle());
    const int usedFirst = chat->contextUsed();
    engine.answerScript = {"short"};
    ASSERT_TRUE(chat->regenerate(1));
    ASSERT_TRUE(waitIdle());
    const int usedSecond = chat->contextUsed();
    ASSERT_GT(usedFirst, usedSecond);

    QSignalSpy changed(chat.get(), &ChatController::contextChanged);
    chat->switchBranch(1, -1);
    EXPECT_EQ(chat->contextUsed(), usedFirst) << "the meter kept the other branch's figure";
    EXPECT_EQ(changed.count(), 1);
    chat->switchBranch(1, +1);
    EXPECT_EQ(chat->contextUsed(), usedSecond);
}

TEST_F(ChatControllerTest, AContinuedReplyCountsTheTokensOfBothParts) {
    engine.intervalMs = 15;
    engine.answerScript = {"one ", "two ", "three ", "four ", "five ", "six ", "seven ", "eight"};
    ASSERT_TRUE(chat->send("count"));
    ASSERT_TRUE(test::waitUntil([&] { return text(1, MessageModel::ContentRole).contains("two"); }));
    chat->stop();
    ASSERT_TRUE(waitIdle());
    const QVariantMap first = chat->messages()->data(chat->messages()->index(1), MessageModel::StatsRole).toMap();
    const int firstTokens = first.value("tokens").toInt();
    ASSERT_GE(firstTokens, 2);

    engine.intervalMs = 2;
    engine.answerScript = {" nine", " ten"};
    ASSERT_TRUE(chat->continueReply(1));
    ASSERT_TRUE(waitIdle());
    const QVariantMap both = chat->messages()->data(chat->messages()->index(1), MessageModel::StatsRole).toMap();
    EXPECT_EQ(both.value("tokens").toInt(), firstTokens + 2) << "the footer counted the continuation alone";
    EXPECT_EQ(both.value("ttftMs").toDouble(), first.value("ttftMs").toDouble());  // the reply's first token
    // One speed over both parts: firstTokens at ~67/s and 2 at 500/s.
    const double expected = (firstTokens + 2) / (firstTokens / (1000.0 / 15) + 2 / 500.0);
    EXPECT_NEAR(both.value("tokensPerSecond").toDouble(), expected, 0.01);
    chat->flushHistory();
    const auto msg = store().message(chat->messages()->idAt(1));
    ASSERT_TRUE(msg);
    EXPECT_EQ(msg->stats.generated_tokens, firstTokens + 2);
}

TEST_F(ChatControllerTest, EditAndResendBranchesTheQuestionAndKeepsTheOriginal) {
    engine.answerScript = {"about cats"};
    ASSERT_TRUE(chat->send("tell me about cats"));
    ASSERT_TRUE(waitIdle());
    engine.answerScript = {"about dogs"};
    ASSERT_TRUE(chat->editAndResend(0, "tell me about dogs"));
    ASSERT_TRUE(waitIdle());
    ASSERT_EQ(chat->messages()->rowCount(), 2);
    EXPECT_EQ(text(0, MessageModel::ContentRole), "tell me about dogs");
    EXPECT_EQ(text(0, MessageModel::BranchCountRole), "2");
    EXPECT_EQ(text(1, MessageModel::ContentRole), "about dogs");
    ASSERT_EQ(engine.lastHistory().size(), 1);
    EXPECT_EQ(engine.lastHistory()[0].content, "tell me about dogs");

    chat->switchBranch(0, -1);
    EXPECT_EQ(text(0, MessageModel::ContentRole), "tell me about cats");
    EXPECT_EQ(text(1, MessageModel::ContentRole), "about cats");
    chat->flushHistory();
    EXPECT_EQ(store().messages(chat->conversationId()).size(), 4u);  // nothing was overwritten
}

TEST_F(ChatControllerTest, FollowUpTurnsCarryTheConversationAndSystemPrompt) {
    chat->chatSettings()->setSystemPrompt("Be brief.");
    ASSERT_TRUE(chat->send("first"));
    ASSERT_TRUE(waitIdle());
    ASSERT_TRUE(chat->send("second"));
    ASSERT_TRUE(waitIdle());
    const QList<ChatTurn> h = engine.lastHistory();
    ASSERT_EQ(h.size(), 4);
    EXPECT_EQ(h[0].role, ChatTurn::Role::System);
    EXPECT_EQ(h[0].content, "Be brief.");
    EXPECT_EQ(h[1].content, "first");
    EXPECT_EQ(h[2].role, ChatTurn::Role::Assistant);
    EXPECT_EQ(h[2].content, engine.answerScript.join(QString()));
    EXPECT_TRUE(h[2].reasoning.isEmpty());  // the first reply's thinking is not sent back
    EXPECT_EQ(h[3].content, "second");
}

TEST_F(ChatControllerTest, PerChatSettingsReachTheEngineAndAreStored) {
    ASSERT_TRUE(chat->send("warm up"));
    ASSERT_TRUE(waitIdle());
    chat->chatSettings()->setTemperature(1.25);
    chat->chatSettings()->setReasoningEnabled(false);
    chat->chatSettings()->setTopK(5000);  // clamped
    chat->chatSettings()->setMaxTokens(32);
    ASSERT_TRUE(chat->send("again"));
    ASSERT_TRUE(waitIdle());
    EXPECT_DOUBLE_EQ(engine.lastSettings().temperature, 1.25);
    EXPECT_FALSE(engine.lastSettings().reasoning);
    EXPECT_EQ(engine.lastSettings().topK, 1000);
    EXPECT_EQ(engine.lastSettings().maxTokens, 32);
    EXPECT_TRUE(text(3, MessageModel::ReasoningRole).isEmpty());  // the fake honours reasoning off
    const auto conv = store().conversation(chat->conversationId());
    ASSERT_TRUE(conv);
    EXPECT_EQ(conv->settings.sampling.temperature, 1.25);
    EXPECT_FALSE(conv->settings.reasoning_enabled);
    // A new chat starts from the app defaults again.
    chat->newConversation();
    EXPECT_DOUBLE_EQ(chat->effectiveSettings().temperature, settings->temperature());
}

TEST_F(ChatControllerTest, SearchFindsAConversationByAnswerText) {
    engine.answerScript = {"Zebras have stripes."};
    ASSERT_TRUE(chat->send("animals"));
    ASSERT_TRUE(waitIdle());
    const qint64 zebraChat = chat->conversationId();
    chat->newConversation();
    engine.answerScript = {"Paris is in France."};
    ASSERT_TRUE(chat->send("geography"));
    ASSERT_TRUE(waitIdle());
    chat->flushHistory();
    EXPECT_EQ(chat->conversations()->rowCount(), 2);
    chat->setSearchQuery("zebra");
    ASSERT_EQ(chat->conversations()->rowCount(), 1);
    EXPECT_EQ(chat->conversations()->idAt(0), zebraChat);
    EXPECT_TRUE(chat->conversations()
                    ->data(chat->conversations()->index(0), ConversationListModel::SnippetRole)
                    .toString()
                    .contains("Zebras"));
    chat->setSearchQuery("");
    EXPECT_EQ(chat->conversations()->rowCount(), 2);
}

TEST_F(ChatControllerTest, EventLoopKeepsTurningWhileTokensStream) {
    engine.intervalMs = 40;  // slower than the view's batching, so every piece is its own update
    engine.answerScript = QString("a b c d e f g h i j").split(' ');
    int ticks = 0;
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
    ticker.start(1);
    QList<int> ticksAtPiece;
    QObject::connect(chat->messages(), &MessageModel::contentChangedAt, [&](int) { ticksAtPiece.append(ticks); });
    ASSERT_TRUE(chat->send("go"));
    ASSERT_TRUE(waitIdle());
    ASSERT_GE(ticksAtPiece.size(), 5);  // ten pieces, batched at most in pairs when a timer runs late
    // Between consecutive pieces the GUI thread ran other work (the timer), i.e. it never blocked.
    int gaps = 0;
    for (int i = 1; i < ticksAtPiece.size(); ++i) gaps += ticksAtPiece[i] > ticksAtPiece[i - 1] ? 1 : 0;
    EXPECT_GE(gaps, ticksAtPiece.size() - 2);
}

TEST_F(ChatControllerTest, EngineFailureMarksTheReplyAndReportsIt) {
    engine.failAfterPieces = 2;
    engine.generationError = "backend lost";
    ASSERT_TRUE(chat->send("hello"));
    ASSERT_TRUE(waitIdle());
    EXPECT_EQ(chat->lastError(), "backend lost");
    EXPECT_EQ(text(1, MessageModel::StatusRole), "failed");
    chat->flushHistory();
    const auto msg = store().message(chat->messages()->idAt(1));
    ASSERT_TRUE(msg);
    EXPECT_EQ(msg->status, storage::MessageStatus::Failed);
    EXPECT_EQ(msg->error, "backend lost");
}

TEST_F(ChatControllerTest, SendingWithoutAModelIsRefusedAndNothingIsStored) {
    engine.unloadModel();
    EXPECT_FALSE(chat->send("hello"));
    EXPECT_FALSE(chat->lastError().isEmpty());
    EXPECT_EQ(chat->messages()->rowCount(), 0);
    EXPECT_TRUE(store().list_conversations().empty());
}

TEST_F(ChatControllerTest, RenamePinAndDeleteConversations) {
    ASSERT_TRUE(chat->send("one"));
    ASSERT_TRUE(waitIdle());
    chat->flushHistory();  // the reply's last commit also bumps the chat's updated_at
    const qint64 a = chat->conversationId();
    chat->newConversation();
    ASSERT_TRUE(chat->send("two"));
    ASSERT_TRUE(waitIdle());
    chat->flushHistory();
    chat->refreshConversations();
    const qint64 b = chat->conversationId();
    EXPECT_EQ(chat->conversations()->idAt(0), b);  // newest first
    chat->setPinned(a, true);
    EXPECT_EQ(chat->conversations()->idAt(0), a);  // pinned first
    chat->renameConversation(a, "  Renamed   chat ");
    EXPECT_EQ(chat->conversations()->titleAt(0), "Renamed chat");
    chat->deleteConversation(b);
    EXPECT_EQ(chat->conversationId(), 0);  // it was open: the view is cleared
    EXPECT_EQ(chat->conversations()->rowCount(), 1);
    EXPECT_FALSE(store().conversation(b).has_value());
}

TEST_F(ChatControllerTest, ExportWritesTheChatWithItsReasoningAsMarkdown) {
    engine.reasoningScript = {"pondering penguins"};
    engine.answerScript = {"Penguins cannot fly."};
    ASSERT_TRUE(chat->send("Can penguins fly?"));
    ASSERT_TRUE(waitIdle());
    const auto file = dir / "chat.md";
    ASSERT_TRUE(
        chat->exportConversation(chat->conversationId(), QUrl::fromLocalFile(QString::fromStdString(file.string()))));
    const std::string markdown = test::read_file(file);
    EXPECT_NE(markdown.find("Can penguins fly?"), std::string::npos);
    EXPECT_NE(markdown.find("Penguins cannot fly."), std::string::npos);
    EXPECT_NE(markdown.find("pondering penguins"), std::string::npos);
    // An unwritable target reports an error instead of failing silently.
    EXPECT_FALSE(chat->exportConversation(chat->conversationId(), QUrl::fromLocalFile("/nonexistent/dir/x.md")));
    EXPECT_FALSE(chat->lastError().isEmpty());
}
