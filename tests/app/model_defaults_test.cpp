// model_defaults_test.cpp: per-model defaults (issue 10): remembered per file, a new chat starts from them.
#include "settings/model_defaults.h"
#include "controller_fixture.h"
#include "storage/history_store.h"

#include "qt_test_app.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <QSignalSpy>

using namespace ponder;

namespace {

const QString kModelA = QStringLiteral("/models/alpha.gguf");
const QString kModelB = QStringLiteral("/models/beta.gguf");

class ModelDefaultsTest : public test::ControllerTest {
protected:
    void load(const QString& path) {
        engine.loadModel({path});
        ASSERT_TRUE(test::waitUntil([&] { return engine.hasModel() && chat->modelDefaults()->modelPath() == path; }));
    }
};

}  // namespace

TEST_F(ModelDefaultsTest, StoredPerFileAndKeptAcrossARestart) {
    EXPECT_TRUE(settings->modelDefaults(kModelA).empty());
    ModelDefaultValues d;
    d.systemPrompt = QStringLiteral("You are a poet.");
    d.temperature = 0.9;
    d.topP = 0.8;
    d.topK = 12;
    d.contextLength = 2048;
    QSignalSpy changed(settings.get(), &AppSettings::changed);
    settings->setModelDefaults(kModelA, d);
    EXPECT_EQ(changed.count(), 1);
    settings->setModelDefaults(kModelA, d);  // the same again: nothing written, no signal
    EXPECT_EQ(changed.count(), 1);
    chat.reset();
    settings = std::make_unique<AppSettings>(iniPath());
    EXPECT_EQ(settings->modelDefaults(kModelA), d);
    EXPECT_TRUE(settings->modelDefaults(kModelB).empty()) << "another file has its own (none)";
    EXPECT_EQ(settings->contextLengthFor(kModelA), 2048);
    EXPECT_EQ(settings->contextLengthFor(kModelB), settings->contextLength());
    settings->setModelDefaults(kModelA, {});
    EXPECT_TRUE(settings->modelDefaults(kModelA).empty());
}

TEST_F(ModelDefaultsTest, ANewChatWithTheModelStartsFromItsDefaultsAndKeepsThem) {
    settings->setSystemPrompt("App-wide prompt.");
    settings->setTemperature(0.3);
    load(kModelA);
    ChatSettings* cs = chat->chatSettings();
    // "Use as defaults for this model" on a chat's settings.
    cs->setSystemPrompt("You are a poet.");
    cs->setTemperature(1.2);
    cs->setTopK(5);
    ModelDefaults* md = chat->modelDefaults();
    EXPECT_TRUE(md->available());
    EXPECT_FALSE(md->saved());
    QSignalSpy mdChanged(md, &ModelDefaults::changed);
    md->saveFrom(cs);
    EXPECT_GE(mdChanged.count(), 1);
    EXPECT_TRUE(md->saved());
    EXPECT_TRUE(md->summary().contains("1.2")) << md->summary().toStdString();
    chat->newConversation();
    EXPECT_EQ(cs->systemPrompt(), "You are a poet.");
    EXPECT_DOUBLE_EQ(cs->temperature(), 1.2);
    EXPECT_EQ(cs->topK(), 5);
    ASSERT_TRUE(sendAndWait("a poem, please"));
    EXPECT_DOUBLE_EQ(engine.lastSettings().temperature, 1.2);
    EXPECT_EQ(engine.lastSettings().topK, 5);
    ASSERT_FALSE(engine.lastHistory().isEmpty());
    EXPECT_EQ(engine.lastHistory()[0].content, "You are a poet.");
    const qint64 poetChat = chat->conversationId();
    const auto stored = storage::HistoryStore(*db).conversation(poetChat);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->settings.system_prompt, "You are a poet.");
    EXPECT_EQ(stored->settings.sampling.temperature, 1.2);

    // Changing the model's defaults later leaves that chat as it was.
    md->forget();
    EXPECT_FALSE(md->saved());
    chat->newConversation();
    EXPECT_EQ(cs->systemPrompt(), "App-wide prompt.");
    EXPECT_DOUBLE_EQ(cs->temperature(), 0.3);
    chat->openConversation(poetChat);
    EXPECT_DOUBLE_EQ(cs->temperature(), 1.2);
    EXPECT_EQ(cs->systemPrompt(), "You are a poet.");
}

TEST_F(ModelDefaultsTest, AnotherModelsNewChatUsesThatModelsDefaults) {
    ModelDefaultValues a;
    a.temperature = 1.7;
    settings->setModelDefaults(kModelA, a);
    ModelDefaultValues b;
    b.topP = 0.4;
    settings->setModelDefaults(kModelB, b);
    load(kModelA);
    EXPECT_DOUBLE_EQ(chat->chatSettings()->temperature(), 1.7);
    EXPECT_DOUBLE_EQ(chat->chatSettings()->topP(), settings->topP());
    load(kModelB);  // the empty new chat follows the model now loaded
    EXPECT_DOUBLE_EQ(chat->chatSettings()->temperature(), settings->temperature());
    EXPECT_DOUBLE_EQ(chat->chatSettings()->topP(), 0.4);
    EXPECT_EQ(chat->modelDefaults()->modelName(), "beta");
    ASSERT_TRUE(sendAndWait("hi"));
    EXPECT_DOUBLE_EQ(engine.lastSettings().topP, 0.4);
}

TEST_F(ModelDefaultsTest, AfterARestartANewChatStartsFromTheLastModelsDefaults) {
    load(kModelA);
    settings->setLastModelPath(kModelA);  // ModelLibrary records it when a model loads
    chat->chatSettings()->setTemperature(1.4);
    chat->modelDefaults()->saveFrom(chat->chatSettings());
    chat->modelDefaults()->setContextLength(3000);
    chat.reset();
    settings = std::make_unique<AppSettings>(iniPath());
    chat = std::make_unique<ChatController>(*db, engine, *settings);  // before the model is loaded again
    EXPECT_EQ(chat->modelDefaults()->modelPath(), kModelA);
    EXPECT_DOUBLE_EQ(chat->chatSettings()->temperature(), 1.4);
    EXPECT_EQ(chat->modelDefaults()->contextLength(), 3000);
    EXPECT_EQ(settings->contextLengthFor(kModelA), 3000);
    chat->modelDefaults()->setContextLength(0);  // back to the app's setting
    EXPECT_EQ(settings->contextLengthFor(kModelA), settings->contextLength());
    EXPECT_TRUE(chat->modelDefaults()->saved()) << "the sampling defaults stay";
}
