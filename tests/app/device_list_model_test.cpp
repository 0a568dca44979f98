// device_list_model_test.cpp: the Settings device picker: rows from the engine's survey, the
// choice applied to the next load, a saved device that is gone, and a machine with no GPU driver.
#include "devices/device_list_model.h"
#include "fake_inference_service.h"
#include "models/model_library.h"
#include "settings/app_settings.h"
#include "storage/database.h"

#include "qt_test_app.h"
#include "support/temp_dir.h"

#include <ponder/engine.h>

#include <gtest/gtest.h>

using namespace ponder;

namespace {

ModelProbe unusedProbe() {
    return ModelProbe{[](const QString& path, const QString&, int, int) {
        ModelFacts f;
        f.path = path;
        f.name = QStringLiteral("m");
        f.supported = true;
        return f;
    }};
}

class DeviceListModelTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::ensureQtApp();
        settings = std::make_unique<AppSettings>(QString::fromStdString((dir / "ponder.ini").string()));
    }
    QString text(const DeviceListModel& m, int row) const {
        return m.data(m.index(row), DeviceListModel::TextRole).toString();
    }
    bool listed(const DeviceListModel& m) const {
        return test::waitUntil([&] { return m.listed(); });
    }
    test::TempDir dir;
    FakeInferenceService engine;
    std::unique_ptr<AppSettings> settings;
};

}  // namespace

TEST_F(DeviceListModelTest, ListsAutomaticThenEveryDeviceWithItsMemoryOnce) {
    DeviceListModel m(engine, *settings);
    EXPECT_EQ(engine.listDevicesCalls(), 0);  // nothing is surveyed until the picker is shown
    m.ensureListed();
    EXPECT_TRUE(m.listing());
    ASSERT_TRUE(listed(m));
    ASSERT_EQ(m.rowCount(), 3);
    EXPECT_EQ(m.data(m.index(0), DeviceListModel::BackendRole).toString(), "auto");
    EXPECT_TRUE(text(m, 0).contains("Test CPU")) << text(m, 0).toStdString();
    EXPECT_TRUE(text(m, 1).contains("llvmpipe")) << text(m, 1).toStdString();
    EXPECT_TRUE(text(m, 1).contains("16.0 GiB")) << text(m, 1).toStdString();
    EXPECT_EQ(m.data(m.index(2), DeviceListModel::BackendRole).toString(), "cpu");
    EXPECT_TRUE(m.autoText().contains("software renderer")) << m.autoText().toStdString();
    m.ensureListed();
    EXPECT_EQ(engine.listDevicesCalls(), 1);
}

TEST_F(DeviceListModelTest, TheChoiceSetsBackendAndDeviceAndReachesTheNextLoad) {
    DeviceListModel m(engine, *settings);
    m.ensureListed();
    ASSERT_TRUE(listed(m));
    m.choose(1);
    EXPECT_EQ(settings->backend(), "vulkan");
    EXPECT_EQ(settings->deviceIndex(), 0);
    EXPECT_EQ(m.currentRow(), 1);

    auto db = storage::Database::open(dir / "history.db");
    ModelLibrary library(*db, engine, *settings, unusedProbe(), QString::fromStdString((dir / "models").string()));
    library.load(QString::fromStdString((dir / "m.gguf").string()));
    EXPECT_EQ(engine.lastLoadRequest().backend, "vulkan");
    EXPECT_EQ(engine.lastLoadRequest().deviceIndex, 0);

    m.choose(0);
    EXPECT_EQ(settings->backend(), "auto");
    EXPECT_EQ(m.currentRow(), 0);
}

TEST_F(DeviceListModelTest, ASavedDeviceThatIsGoneIsShownAsMissingNotMappedToAnother) {
    settings->setBackend("vulkan");
    settings->setDeviceIndex(3);
    DeviceListModel m(engine, *settings);
    EXPECT_FALSE(m.currentMissing());  // before a survey it may well exist
    m.ensureListed();
    ASSERT_TRUE(listed(m));
    ASSERT_EQ(m.rowCount(), 4);
    EXPECT_EQ(m.currentRow(), 3);
    EXPECT_TRUE(m.currentMissing());
    EXPECT_TRUE(m.data(m.index(3), DeviceListModel::MissingRole).toBool());
    EXPECT_EQ(settings->deviceIndex(), 3);  // kept as saved
    m.choose(3);                            // a missing row cannot be chosen
    EXPECT_EQ(settings->deviceIndex(), 3);
    EXPECT_EQ(settings->backend(), "vulkan");
}

TEST_F(DeviceListModelTest, WithoutAGpuDriverOnlyAutomaticAndTheCpuAreOffered) {
    DeviceOption cpu{QStringLiteral("cpu"), 0, QStringLiteral("Test CPU (2 threads)"), quint64(8) << 30, false};
    engine.devices = {};
    engine.devices.devices = {cpu};
    engine.devices.autoPick = cpu;
    engine.devices.autoReasonCode = int(BackendReason::AutoNoGpu);
    engine.devices.autoReasonArgs = {QStringLiteral("no Vulkan driver found")};
    DeviceListModel m(engine, *settings);
    m.ensureListed();
    ASSERT_TRUE(listed(m));
    ASSERT_EQ(m.rowCount(), 2);
    EXPECT_EQ(m.data(m.index(1), DeviceListModel::BackendRole).toString(), "cpu");
    EXPECT_TRUE(m.autoText().contains("no Vulkan driver found")) << m.autoText().toStdString();
}
