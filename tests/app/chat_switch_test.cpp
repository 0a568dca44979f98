// chat_switch_test.cpp: nothing happens silently when the user moves between chats: a running answer
// goes on (and shows again when its chat is opened), and the context meter belongs to the chat shown.
#include "controller_fixture.h"
#include "storage/history_store.h"

#include "qt_test_app.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

using namespace ponder;

namespace {

class ChatSwitchTest : public test::ControllerTest {
protected:
    void SetUp() override {
        ControllerTest::SetUp();
        engine.intervalMs = 2;
        ASSERT_NO_FATAL_FAILURE(loadModel({QStringLiteral("/models/test.gguf"), QStringLiteral("auto"), 0, 2048}));
    }
    QString lastContent() const {
        MessageModel* m = chat->messages();
        return m->data(m->index(m->rowCount() - 1), MessageModel::ContentRole).toString();
    }
};

}  // namespace

TEST_F(ChatSwitchTest, OpeningAnotherChatLetsTheAnswerGoOnAndItShowsWhenBack) {
    ASSERT_TRUE(chat->send("first chat"));
    ASSERT_TRUE(waitIdle());
    const qint64 other = chat->conversationId();
    chat->newConversation();

    QStringList pieces;
    for (int i = 0; i < 60; ++i) pieces.append(QStringLiteral("p%1 ").arg(i));
    engine.answerScript = pieces;
    engine.intervalMs = 5;
    ASSERT_TRUE(chat->send("long answer please"));
    const qint64 generating = chat->conversationId();
    ASSERT_TRUE(test::waitUntil([&] { return lastContent().size() > 10; }));

    chat->openConversation(other);
    EXPECT_TRUE(chat->busy()) << "switching chats stopped the answer";
    EXPECT_EQ(chat->generatingConversationId(), generating);
    EXPECT_EQ(chat->conversationId(), other);
    QTest::qWait(60);
    chat->openConversation(generating);  // back while it still streams: it keeps growing here
    const QString partial = lastContent();
    ASSERT_TRUE(waitIdle());
    EXPECT_EQ(chat->generatingConversationId(), 0);
    EXPECT_EQ(lastContent(), pieces.join(QString())) << "pieces were lost or doubled (had: " << partial.size() << ")";
    MessageModel* m = chat->messages();
    EXPECT_EQ(m->data(m->index(m->rowCount() - 1), MessageModel::StatusRole).toString(), "done");
}

TEST_F(ChatSwitchTest, AnAnswerFinishedWhileAwayIsCompleteInTheStore) {
    engine.answerScript = {"one ", "two ", "three"};
    engine.intervalMs = 20;
    ASSERT_TRUE(chat->send("question"));
    const qint64 generating = chat->conversationId();
    chat->newConversation();
    EXPECT_TRUE(chat->busy());
    ASSERT_TRUE(waitIdle());
    chat->openConversation(generating);
    EXPECT_EQ(lastContent(), "one two three");
}

TEST_F(ChatSwitchTest, ContextMeterBelongsToTheChatShownAndMovesWhileStreaming) {
    EXPECT_EQ(chat->contextSize(), 2048) << "the meter's size is the loaded model's";
    QStringList pieces;
    for (int i = 0; i < 40; ++i) pieces.append(QStringLiteral("t%1 ").arg(i));
    engine.answerScript = pieces;
    engine.intervalMs = 10;
    ASSERT_TRUE(chat->send("count"));
    ASSERT_TRUE(test::waitUntil([&] { return lastContent().size() > 20; }));
    const int midway = chat->contextUsed();
    EXPECT_GT(midway, 0) << "the meter stayed at 0 while streaming";
    ASSERT_TRUE(waitIdle());
    const int used = chat->contextUsed();
    EXPECT_GT(used, midway);
    const qint64 first = chat->conversationId();

    chat->newConversation();
    EXPECT_EQ(chat->contextUsed(), 0) << "a new empty chat showed another chat's number";
    chat->openConversation(first);
    EXPECT_EQ(chat->contextUsed(), used);

    engine.loadModel({QStringLiteral("/models/other.gguf"), QStringLiteral("auto"), 0, 8192});
    ASSERT_TRUE(test::waitUntil([&] { return chat->contextSize() == 8192; })) << "kept the old model's size";
}
