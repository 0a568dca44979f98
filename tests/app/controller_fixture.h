// controller_fixture.h: a ChatController over a fresh history database, settings file and scripted
// engine, for the controller tests that need no window.
#pragma once

#include "chat/chat_controller.h"
#include "fake_inference_service.h"
#include "settings/app_settings.h"
#include "storage/database.h"

#include "qt_test_app.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <memory>

namespace ponder::test {

class ControllerTest : public ::testing::Test {
protected:
    void SetUp() override {
        ensureQtApp();
        db = storage::Database::open(dir / "history.db");
        settings = std::make_unique<AppSettings>(iniPath());
        engine.intervalMs = 1;
        chat = std::make_unique<ChatController>(*db, engine, *settings);
    }
    QString iniPath() const { return QString::fromStdString((dir / "ponder.ini").string()); }
    // Loads a (scripted) model and waits until the engine has it.
    void loadModel(const LoadRequest& request = {QStringLiteral("/models/test.gguf")}) {
        engine.loadModel(request);
        ASSERT_TRUE(waitUntil([&] { return engine.hasModel(); }));
    }
    bool waitIdle(int ms = 5000) {
        return waitUntil([&] { return !chat->busy(); }, ms);
    }
    bool sendAndWait(const QString& text) { return chat->send(text) && waitIdle(); }

    TempDir dir;
    std::unique_ptr<storage::Database> db;
    std::unique_ptr<AppSettings> settings;
    FakeInferenceService engine;
    std::unique_ptr<ChatController> chat;
};

}  // namespace ponder::test
