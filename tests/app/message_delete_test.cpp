// message_delete_test.cpp: one message (and what hangs below it) can be deleted from a chat, in the view and the store.
#include "chat/chat_controller.h"
#include "fake_inference_service.h"
#include "settings/app_settings.h"
#include "storage/database.h"
#include "storage/history_store.h"

#include "qt_test_app.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

using namespace ponder;

TEST(MessageDelete, DeletingAnAnswerKeepsTheRestAndTheStoreAgrees) {
    test::ensureQtApp();
    test::TempDir dir;
    auto db = storage::Database::open(dir / "history.db");
    AppSettings settings(QString::fromStdString((dir / "ponder.ini").string()));
    FakeInferenceService engine;
    engine.intervalMs = 1;
    ChatController chat(*db, engine, settings);
    engine.loadModel({QStringLiteral("/models/test.gguf")});
    ASSERT_TRUE(test::waitUntil([&] { return engine.hasModel(); }));
    for (const char* q : {"first question", "second question"}) {
        ASSERT_TRUE(chat.send(q));
        ASSERT_TRUE(test::waitUntil([&] { return !chat.busy(); }));
    }
    MessageModel* m = chat.messages();
    ASSERT_EQ(m->rowCount(), 4);
    ASSERT_TRUE(chat.deleteMessage(3));  // the last answer
    ASSERT_EQ(m->rowCount(), 3);
    EXPECT_EQ(m->data(m->index(2), MessageModel::ContentRole).toString(), "second question");
    storage::HistoryStore store(*db);
    EXPECT_EQ(store.messages(chat.conversationId()).size(), 3u);
    ASSERT_TRUE(chat.deleteMessage(0));  // the first question takes everything below it
    EXPECT_EQ(m->rowCount(), 0);
    EXPECT_TRUE(store.messages(chat.conversationId()).empty());
    EXPECT_FALSE(chat.deleteMessage(5));  // no such row
}
