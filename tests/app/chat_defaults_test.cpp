// chat_defaults_test.cpp: the app-wide defaults chosen in Settings reach every new chat's request.
#include "chat/chat_controller.h"
#include "fake_inference_service.h"
#include "settings/app_settings.h"
#include "storage/database.h"

#include "qt_test_app.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

using namespace ponder;

TEST(ChatDefaults, ReasoningBudgetAndSwitchFromDefaultsReachANewChat) {
    test::ensureQtApp();
    test::TempDir dir;
    auto db = storage::Database::open(dir / "history.db");
    const QString ini = QString::fromStdString((dir / "ponder.ini").string());
    {
        AppSettings settings(ini);
        settings.setReasoningBudget(256);
        settings.setReasoningEnabled(false);
    }
    AppSettings settings(ini);  // persisted across a restart
    FakeInferenceService engine;
    engine.intervalMs = 1;
    ChatController chat(*db, engine, settings);
    engine.loadModel({QStringLiteral("/models/test.gguf")});
    ASSERT_TRUE(test::waitUntil([&] { return engine.hasModel(); }));
    ASSERT_TRUE(chat.send("hello"));
    ASSERT_TRUE(test::waitUntil([&] { return !chat.busy(); }));
    EXPECT_EQ(engine.lastSettings().reasoningBudget, 256) << "the new chat got the storage default instead";
    EXPECT_FALSE(engine.lastSettings().reasoning);
    EXPECT_EQ(chat.chatSettings()->reasoningBudget(), 256);
    // A chat's own choice still wins over the defaults afterwards.
    chat.chatSettings()->setReasoningBudget(64);
    ASSERT_TRUE(chat.send("again"));
    ASSERT_TRUE(test::waitUntil([&] { return !chat.busy(); }));
    EXPECT_EQ(engine.lastSettings().reasoningBudget, 64);
}
