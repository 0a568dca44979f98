// no_gpu_driver_test.cpp: the app with the real engine on a machine without any Vulkan driver (the
// loader is pointed at none by this test's environment, see CMakeLists.txt): it starts, lists the
// CPU only, loads a model chosen for Vulkan on the CPU with the reason shown, and answers.
#include "../inference/tiny_model.h"
#include "app/ponder_app.h"
#include "chat/chat_controller.h"
#include "devices/device_list_model.h"
#include "inference/engine_service.h"
#include "models/model_library.h"
#include "qt_test_app.h"
#include "settings/app_settings.h"
#include "support/temp_dir.h"

#include <QtQml/qqmlextensionplugin.h>
#include <gtest/gtest.h>
#include <QQuickWindow>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(PonderPlugin)

using namespace ponder;

TEST(NoGpuDriver, TheAppRunsOnTheCpuAndSaysWhy) {
    ASSERT_EQ(qEnvironmentVariable("VK_ICD_FILENAMES"), "/nonexistent/icd.json") << "run it through ctest";
    test::ensureQtApp();
    test::TempDir dir;
    const auto model = dir / "tiny.gguf";
    test::write_tiny_model(model, test::TinyModelSpec{});
    const QString root = QString::fromStdString(dir.path().string());
    {
        AppSettings pre(root + "/config/ponder.ini");
        pre.setBackend("vulkan");  // chosen when this machine still had a GPU driver
        pre.setMaxTokens(4);
    }
    PonderApp app(AppPaths{root + "/data", root + "/config"}, std::make_unique<EngineService>(), engineModelProbe());
    QString error;
    ASSERT_TRUE(app.start(&error)) << error.toStdString();
    QQuickWindow* window = app.window();
    window->show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(window));

    DeviceListModel* devices = app.devices();
    devices->ensureListed();
    ASSERT_TRUE(test::waitUntil([&] { return devices->listed(); }, 30000));
    // Automatic, the CPU, and the saved Vulkan choice marked as not found (it stays chosen).
    EXPECT_EQ(devices->rowCount(), 3);
    EXPECT_TRUE(devices->currentMissing());
    EXPECT_TRUE(devices->autoText().contains("CPU")) << devices->autoText().toStdString();

    app.library()->load(QString::fromStdString(model.string()));
    ASSERT_TRUE(test::waitUntil([&] { return !app.library()->loading(); }, 60000));
    ASSERT_TRUE(app.library()->modelReady()) << app.library()->loadError().toStdString();
    const QString backend = app.library()->backendText();
    std::printf("status bar device line: %s\n", qPrintable(backend));
    EXPECT_TRUE(backend.contains("CPU", Qt::CaseInsensitive)) << backend.toStdString();
    EXPECT_TRUE(backend.contains("Vulkan")) << "the reason is not shown: " << backend.toStdString();

    ASSERT_TRUE(app.chat()->send("hi"));
    ASSERT_TRUE(test::waitUntil([&] { return !app.chat()->busy(); }, 60000));
    EXPECT_TRUE(app.chat()->lastError().isEmpty()) << app.chat()->lastError().toStdString();
    MessageModel* m = app.chat()->messages();
    ASSERT_EQ(m->rowCount(), 2);
    EXPECT_EQ(m->data(m->index(1), MessageModel::StatusRole).toString(), "done");
}
