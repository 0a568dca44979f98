// launcher_test.cpp: `ponder FILE.gguf` and later launches: the command line's files, the
// single-instance hand-over between two launches on one profile, and the import card they open.
#include "app/command_line.h"
#include "app/ponder_app.h"
#include "app/single_instance.h"
#include "fake_inference_service.h"
#include "models/model_library.h"
#include "ponder_version.h"
#include "qt_test_app.h"
#include "support/temp_dir.h"

#include <QtQml/qqmlextensionplugin.h>
#include <gtest/gtest.h>
#include <QDir>
#include <QGuiApplication>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QUrl>

#include <fstream>
#include <thread>

Q_IMPORT_QML_PLUGIN(PonderPlugin)

using namespace ponder;

namespace {

ModelProbe namedProbe() {
    return ModelProbe{[](const QString& path, const QString&, int, int) {
        ModelFacts f;
        f.path = path;
        f.name = QStringLiteral("FromTheCommandLine");
        f.architecture = "llama";
        f.supported = true;
        f.fileBytes = 2048;
        f.parameterCount = 260000;
        f.quantization = "F32";
        f.contextLength = 512;
        f.memoryBytes = 3 << 20;
        f.fit = "cpu";
        return f;
    }};
}

class LauncherTest : public ::testing::Test {
protected:
    void SetUp() override { test::ensureQtApp(); }
    QString path(const std::string& name) const { return QString::fromStdString((dir.path() / name).string()); }
    test::TempDir dir;
};

TEST_F(LauncherTest, FilesBecomeAbsolutePathsAndOptionsAreNotFiles) {
    const QString cwd = QDir::currentPath();
    const QStringList files = filesFromArguments(
        {"ponder", "model.gguf", "--unknown", "file:///models/b.gguf", "../c.gguf", "--", "-odd-name.gguf"});
    ASSERT_EQ(files.size(), 4);
    EXPECT_EQ(files[0], QDir::cleanPath(cwd + "/model.gguf"));
    EXPECT_EQ(files[1], "/models/b.gguf");
    EXPECT_EQ(files[2], QDir::cleanPath(cwd + "/../c.gguf"));
    EXPECT_EQ(files[3], QDir::cleanPath(cwd + "/-odd-name.gguf"));
    EXPECT_TRUE(filesFromArguments({"ponder"}).isEmpty());
}

TEST_F(LauncherTest, HelpAndVersionAnswerWithoutAnApplicationObject) {
    char prog[] = "ponder", help[] = "--help", version[] = "-v", file[] = "x.gguf";
    char* helpArgv[] = {prog, file, help};
    char* versionArgv[] = {prog, version};
    char* fileArgv[] = {prog, file};
    EXPECT_EQ(handleInfoOptions(3, helpArgv), 0);
    EXPECT_EQ(handleInfoOptions(2, versionArgv), 0);
    EXPECT_EQ(handleInfoOptions(2, fileArgv), std::nullopt);
}

TEST_F(LauncherTest, ASecondLaunchOnTheSameProfileHandsItsFilesToTheFirst) {
    SingleInstance first(path("profile"));
    QString error;
    ASSERT_EQ(first.claim({}, &error), SingleInstance::Role::Primary) << error.toStdString();
    QSignalSpy received(&first, &SingleInstance::filesReceived);

    // The second launch blocks until answered, as a separate process would: give it its own thread
    // while this one serves.
    SingleInstance::Role secondRole = SingleInstance::Role::Failed;
    std::thread second([&] {
        SingleInstance other(path("profile"));
        QString e;
        secondRole = other.claim({"/models/a.gguf", "/models/模型.gguf"}, &e);
    });
    const bool got = test::waitUntil([&] { return received.count() == 1; });
    second.join();
    ASSERT_TRUE(got);
    EXPECT_EQ(secondRole, SingleInstance::Role::HandedOver);
    EXPECT_EQ(received.at(0).at(0).toStringList(), QStringList({"/models/a.gguf", "/models/模型.gguf"}));
}

TEST_F(LauncherTest, AnotherProfileIsAnotherInstance) {
    SingleInstance a(path("one")), b(path("two"));
    QString error;
    EXPECT_EQ(a.claim({}, &error), SingleInstance::Role::Primary);
    EXPECT_EQ(b.claim({}, &error), SingleInstance::Role::Primary);
    EXPECT_NE(a.serverName(), b.serverName());
}

TEST_F(LauncherTest, AfterTheFirstQuitsTheNextLaunchIsTheFirstAgain) {
    QString error;
    {
        SingleInstance first(path("profile"));
        ASSERT_EQ(first.claim({}, &error), SingleInstance::Role::Primary);
    }
    SingleInstance next(path("profile"));
    EXPECT_EQ(next.claim({}, &error), SingleInstance::Role::Primary) << error.toStdString();
}

TEST_F(LauncherTest, OpenedFilesShowTheImportCardLikeADrop) {
    std::ofstream(dir.path() / "tiny.gguf") << "GGUF";
    PonderApp app(AppPaths{path("data"), path("config")}, std::make_unique<FakeInferenceService>(), namedProbe());
    QString error;
    ASSERT_TRUE(app.start(&error)) << error.toStdString();
    app.openFiles({path("tiny.gguf")});
    ASSERT_TRUE(test::waitUntil([&] { return app.library()->card()->isReady(); }));
    EXPECT_EQ(app.library()->card()->name(), "FromTheCommandLine");
    // Not a model: the same message a drop gets, and no card.
    app.library()->dismissCard();
    app.openFiles({path("notes.txt")});
    EXPECT_TRUE(app.library()->importError().contains("notes.txt"));
}

TEST_F(LauncherTest, TheAboutBoxShowsTheVersionTheProgramsPrint) {
    QCoreApplication::setApplicationVersion(QString::fromUtf8(version_text()));  // as main() does
    PonderApp app(AppPaths{path("data"), path("config")}, std::make_unique<FakeInferenceService>(), namedProbe());
    QString error;
    ASSERT_TRUE(app.start(&error)) << error.toStdString();
    QObject* about = app.window()->findChild<QObject*>("aboutDialog");
    ASSERT_NE(about, nullptr);
    QMetaObject::invokeMethod(about, "open");
    ASSERT_TRUE(test::waitUntil([&] { return about->property("opened").toBool(); }));
    QObject* label = about->findChild<QObject*>("aboutVersion");
    ASSERT_NE(label, nullptr);
    EXPECT_TRUE(label->property("text").toString().contains(QString::fromUtf8(version_text())))
        << label->property("text").toString().toStdString();
}

}  // namespace
