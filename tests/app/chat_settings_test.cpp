// chat_settings_test.cpp: the typed per-chat settings: each property signals, clamps and is stored with its chat.
#include "chat/chat_settings.h"
#include "controller_fixture.h"
#include "storage/history_store.h"

#include "qt_test_app.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <QSignalSpy>

using namespace ponder;

TEST(ChatSettingsObject, EachSetterEmitsItsOwnSignalAndEditedOnlyWhenTheValueChanges) {
    test::ensureQtApp();
    ChatSettings s;
    QSignalSpy temperature(&s, &ChatSettings::temperatureChanged);
    QSignalSpy topK(&s, &ChatSettings::topKChanged);
    QSignalSpy prompt(&s, &ChatSettings::systemPromptChanged);
    QSignalSpy edited(&s, &ChatSettings::edited);

    s.setTemperature(1.1);
    EXPECT_DOUBLE_EQ(s.temperature(), 1.1);
    EXPECT_EQ(temperature.count(), 1);
    EXPECT_EQ(topK.count(), 0);  // one property, one signal
    ASSERT_EQ(edited.count(), 1);
    EXPECT_EQ(edited.first().at(0).value<ChatSettings::Field>(), ChatSettings::Field::Temperature);

    s.setTemperature(1.1);  // same value: nothing
    EXPECT_EQ(temperature.count(), 1);
    EXPECT_EQ(edited.count(), 1);

    s.setTopK(5000);  // clamped to the engine's range
    EXPECT_EQ(s.topK(), 1000);
    EXPECT_EQ(topK.count(), 1);
    s.setTopK(2000);  // clamps to the same 1000: no change
    EXPECT_EQ(topK.count(), 1);
    s.setMaxTokens(0);
    EXPECT_EQ(s.maxTokens(), -1);
    s.setReasoningBudget(-7);
    EXPECT_EQ(s.reasoningBudget(), -1);
    s.setRepeatPenalty(0.1);
    EXPECT_DOUBLE_EQ(s.repeatPenalty(), 0.5);

    // Through the meta-object, as QML writes it.
    EXPECT_TRUE(s.setProperty("systemPrompt", QStringLiteral("Be kind.")));
    EXPECT_EQ(s.systemPrompt(), "Be kind.");
    EXPECT_EQ(prompt.count(), 1);
}

TEST(ChatSettingsObject, AssignSignalsWhatChangedButIsNoEdit) {
    test::ensureQtApp();
    ChatSettings s;
    QSignalSpy temperature(&s, &ChatSettings::temperatureChanged);
    QSignalSpy topP(&s, &ChatSettings::topPChanged);
    QSignalSpy edited(&s, &ChatSettings::edited);
    ChatSettingValues v = s.values();
    v.temperature = 0.2;
    v.topK = 4000;  // clamped here too
    s.assign(v);
    EXPECT_DOUBLE_EQ(s.temperature(), 0.2);
    EXPECT_EQ(s.topK(), 1000);
    EXPECT_EQ(temperature.count(), 1);
    EXPECT_EQ(topP.count(), 0);
    EXPECT_EQ(edited.count(), 0);  // nothing for the controller to store
}

namespace {

class ChatSettingsStoreTest : public test::ControllerTest {
protected:
    void SetUp() override {
        ControllerTest::SetUp();
        ASSERT_NO_FATAL_FAILURE(loadModel());
    }
    storage::ConversationSettings stored() {
        const auto conv = storage::HistoryStore(*db).conversation(chat->conversationId());
        return conv ? conv->settings : storage::ConversationSettings{};
    }
};

}  // namespace

TEST_F(ChatSettingsStoreTest, AChangeIsStoredWithTheChatAndShownAgainWhenItIsOpened) {
    ASSERT_TRUE(sendAndWait("hello"));
    const qint64 first = chat->conversationId();
    ChatSettings* cs = chat->chatSettings();
    QSignalSpy topP(cs, &ChatSettings::topPChanged);
    cs->setTopP(0.5);
    EXPECT_EQ(topP.count(), 1);
    EXPECT_EQ(stored().sampling.top_p, 0.5);
    EXPECT_FALSE(stored().sampling.temperature) << "only the field the user set is stored";
    cs->setSystemPrompt("Answer in French.");
    EXPECT_EQ(stored().system_prompt, "Answer in French.");

    // Another chat shows its own values (signalled), this one's come back when it is opened.
    chat->newConversation();
    EXPECT_DOUBLE_EQ(cs->topP(), settings->topP());
    EXPECT_EQ(topP.count(), 2);
    chat->openConversation(first);
    EXPECT_DOUBLE_EQ(cs->topP(), 0.5);
    EXPECT_EQ(cs->systemPrompt(), "Answer in French.");

    // And after a restart (a new controller on the same database).
    chat.reset();
    chat = std::make_unique<ChatController>(*db, engine, *settings);
    chat->openConversation(first);
    EXPECT_DOUBLE_EQ(chat->chatSettings()->topP(), 0.5);
    ASSERT_TRUE(sendAndWait("encore"));
    EXPECT_DOUBLE_EQ(engine.lastSettings().topP, 0.5);
    ASSERT_FALSE(engine.lastHistory().isEmpty());
    EXPECT_EQ(engine.lastHistory()[0].content, "Answer in French.");
}

TEST_F(ChatSettingsStoreTest, ChoicesMadeBeforeTheFirstMessageAreStoredWhenTheChatIsCreated) {
    ChatSettings* cs = chat->chatSettings();
    cs->setTemperature(1.5);
    cs->setReasoningEnabled(false);
    settings->setTopK(7);  // a default changing meanwhile does not undo the choice made
    EXPECT_DOUBLE_EQ(cs->temperature(), 1.5);
    EXPECT_EQ(cs->topK(), 7);
    ASSERT_TRUE(sendAndWait("first"));
    EXPECT_EQ(stored().sampling.temperature, 1.5);
    EXPECT_FALSE(stored().reasoning_enabled);
    EXPECT_DOUBLE_EQ(engine.lastSettings().temperature, 1.5);
    EXPECT_EQ(engine.lastSettings().topK, 7);
    chat->resetChatSettings();
    EXPECT_DOUBLE_EQ(cs->temperature(), settings->temperature());
    EXPECT_FALSE(stored().sampling.temperature);
}
