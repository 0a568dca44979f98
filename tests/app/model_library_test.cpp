// model_library_test.cpp: import queue, validation errors, copy into the models folder, missing files and locate.
#include "models/model_library.h"
#include "fake_inference_service.h"
#include "settings/app_settings.h"
#include "storage/database.h"
#include "storage/model_store.h"

#include "qt_test_app.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <QFileInfo>
#include <QSignalSpy>

#include <fstream>
#include <stdexcept>

using namespace ponder;

namespace {

// A scripted probe: files whose content starts with "BAD" are rejected with the reader's words.
ModelProbe scriptedProbe() {
    return ModelProbe{[](const QString& path, const QString&, int, int) {
        std::ifstream in(path.toStdString());
        std::string head;
        in >> head;
        if (head.rfind("BAD", 0) == 0) throw std::runtime_error(path.toStdString() + ": not a GGUF file (bad magic)");
        ModelFacts f;
        f.path = path;
        f.name = QString::fromStdString(head);
        f.architecture = head.rfind("MAMBA", 0) == 0 ? "mamba" : "llama";
        f.supported = f.architecture == "llama";
        f.fileBytes = 2048;
        f.parameterCount = 260000;
        f.quantization = "F32";
        f.contextLength = 512;
        f.memoryBytes = 3 << 20;
        f.fit = "cpu";
        return f;
    }};
}

class ModelLibraryTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::ensureQtApp();
        db = storage::Database::open(dir / "history.db");
        settings = std::make_unique<AppSettings>(path("ponder.ini"));
        library = std::make_unique<ModelLibrary>(*db, engine, *settings, scriptedProbe(), path("models"));
    }
    QString path(const std::string& name) const { return QString::fromStdString((dir / name).string()); }
    QString write(const std::string& name, const std::string& content) {
        std::ofstream(dir / name) << content;
        return path(name);
    }
    bool waitCard() {
        return test::waitUntil([&] { return !library->card().isEmpty(); });
    }
    bool waitIdle() {
        return test::waitUntil([&] { return !library->busy(); });
    }

    test::TempDir dir;
    std::unique_ptr<storage::Database> db;
    std::unique_ptr<AppSettings> settings;
    FakeInferenceService engine;
    std::unique_ptr<ModelLibrary> library;
};

}  // namespace

TEST_F(ModelLibraryTest, CardShowsFactsAndAcceptingAddsAndLoads) {
    const QString file = write("tiny.gguf", "TinyModel");
    EXPECT_EQ(library->importPaths({file}), 1);
    ASSERT_TRUE(waitCard());
    const QVariantMap card = library->card();
    EXPECT_EQ(card.value("name").toString(), "TinyModel");
    EXPECT_EQ(card.value("parameters").toString(), "260.0 K");
    EXPECT_EQ(card.value("size").toString(), "2.0 KB");
    EXPECT_EQ(card.value("memory").toString(), "3.0 MB");
    EXPECT_EQ(card.value("fit").toString(), "cpu");
    library->acceptCard(false);
    ASSERT_TRUE(test::waitUntil([&] { return library->models().size() == 1; }));
    EXPECT_EQ(library->models()[0].toMap().value("path").toString(), file);
    ASSERT_TRUE(test::waitUntil([&] { return library->modelReady(); }));
    EXPECT_EQ(library->loadedPath(), file);
    EXPECT_EQ(settings->lastModelPath(), file);
}

TEST_F(ModelLibraryTest, ThePickerLabelTellsModelsOfTheSameNameApart) {
    // Same name and format; sizes differ for one pair, not for the other.
    const QString a = write("a.gguf", "Twin one");
    const QString b = write("b.gguf", "Twin twoo");
    const QString c = write("c.gguf", "Twin 3");
    const QString d = write("d.gguf", "Twin 4");
    for (const QString& f : {a, b, c, d}) {
        library->importPaths({f});
        ASSERT_TRUE(waitCard());
        library->acceptCard(false);
        ASSERT_TRUE(waitIdle());
    }
    ASSERT_EQ(library->models().size(), 4);
    QStringList labels;
    for (const QVariant& v : library->models()) {
        const QVariantMap m = v.toMap();
        EXPECT_EQ(m.value("name").toString(), "Twin");
        const QString label = m.value("label").toString();
        EXPECT_TRUE(label.startsWith("Twin · F32 · ")) << label.toStdString();
        EXPECT_TRUE(label.contains(m.value("size").toString())) << label.toStdString();
        labels.append(label);
    }
    labels.removeDuplicates();
    EXPECT_EQ(labels.size(), 4) << labels.join(" | ").toStdString();
    // Same name, format and size: the file name tells them apart.
    for (const QVariant& v : library->models()) {
        const QVariantMap m = v.toMap();
        const QString file = QFileInfo(m.value("path").toString()).fileName();
        if (file == "c.gguf" || file == "d.gguf")
            EXPECT_TRUE(m.value("label").toString().endsWith(" · " + file))
                << m.value("label").toString().toStdString();
        else
            EXPECT_FALSE(m.value("label").toString().contains(".gguf"));
    }
}

TEST_F(ModelLibraryTest, InvalidFilesReportTheReaderMessageAndChangeNothing) {
    library->importPaths({write("broken.gguf", "BAD bytes")});
    ASSERT_TRUE(test::waitUntil([&] { return !library->importError().isEmpty(); }));
    EXPECT_TRUE(library->importError().contains("bad magic")) << library->importError().toStdString();
    EXPECT_TRUE(library->card().isEmpty());
    EXPECT_EQ(library->importPaths({write("readme.txt", "hello")}), 0);
    EXPECT_TRUE(library->importError().contains("readme.txt"));
    EXPECT_EQ(library->importUrls({QUrl("https://example.com/model.gguf")}), 0);
    ASSERT_TRUE(waitIdle());
    EXPECT_TRUE(library->models().isEmpty());
    EXPECT_TRUE(storage::ModelStore(*db).list().empty());
    EXPECT_FALSE(library->loading());
}

TEST_F(ModelLibraryTest, SeveralFilesAreShownOneAfterAnother) {
    library->importPaths({write("a.gguf", "ModelA"), write("b.gguf", "ModelB")});
    ASSERT_TRUE(waitCard());
    EXPECT_EQ(library->card().value("name").toString(), "ModelA");
    library->dismissCard();
    ASSERT_TRUE(test::waitUntil([&] { return library->card().value("name").toString() == "ModelB"; }));
    library->acceptCard(false);
    ASSERT_TRUE(test::waitUntil([&] { return library->models().size() == 1; }));
    EXPECT_EQ(library->models()[0].toMap().value("name").toString(), "ModelB");
}

TEST_F(ModelLibraryTest, CopyIntoTheModelsFolder) {
    library->importPaths({write("copy-me.gguf", "CopyMe")});
    ASSERT_TRUE(waitCard());
    library->acceptCard(true);
    ASSERT_TRUE(test::waitUntil([&] { return library->models().size() == 1; }));
    const QString copied = path("models/copy-me.gguf");
    EXPECT_EQ(library->models()[0].toMap().value("path").toString(), copied);
    EXPECT_TRUE(std::filesystem::exists(dir / "models" / "copy-me.gguf"));
    EXPECT_TRUE(std::filesystem::exists(dir / "copy-me.gguf"));  // the original stays
}

TEST_F(ModelLibraryTest, MovedFilesAreFlaggedMissingAndCanBeLocated) {
    const QString file = write("moving.gguf", "Mover");
    library->importPaths({file});
    ASSERT_TRUE(waitCard());
    library->acceptCard(false);
    ASSERT_TRUE(test::waitUntil([&] { return library->models().size() == 1; }));
    std::filesystem::create_directory(dir / "elsewhere");
    std::filesystem::rename(dir / "moving.gguf", dir / "elsewhere" / "moving.gguf");
    library->refresh();
    ASSERT_EQ(library->models().size(), 1);
    EXPECT_TRUE(library->models()[0].toMap().value("missing").toBool());
    const qint64 id = library->models()[0].toMap().value("id").toLongLong();
    library->locate(id, QUrl::fromLocalFile(path("elsewhere/moving.gguf")));
    ASSERT_EQ(library->models().size(), 1);
    const QVariantMap entry = library->models()[0].toMap();
    EXPECT_FALSE(entry.value("missing").toBool());
    EXPECT_EQ(entry.value("path").toString(), path("elsewhere/moving.gguf"));
    EXPECT_EQ(entry.value("name").toString(), "Mover");  // metadata kept across the move
}

TEST_F(ModelLibraryTest, LocateRefusesADifferentModelFile) {
    const QString file = write("original.gguf", "Original");
    library->importPaths({file});
    ASSERT_TRUE(waitCard());
    library->acceptCard(false);
    ASSERT_TRUE(test::waitUntil([&] { return library->models().size() == 1; }));
    std::filesystem::remove(dir / "original.gguf");
    library->refresh();
    const qint64 id = library->models()[0].toMap().value("id").toLongLong();
    write("impostor.gguf", "Impostor with other bytes");
    library->locate(id, QUrl::fromLocalFile(path("impostor.gguf")));
    EXPECT_TRUE(library->importError().contains("impostor.gguf")) << library->importError().toStdString();
    ASSERT_EQ(library->models().size(), 1);
    const QVariantMap entry = library->models()[0].toMap();
    EXPECT_EQ(entry.value("path").toString(), file) << "the entry now points at another model";
    EXPECT_TRUE(entry.value("missing").toBool());
}

TEST_F(ModelLibraryTest, TheSameFileImportedTwiceIsOneEntry) {
    const QString file = write("twice.gguf", "Twice");
    library->importPaths({file});
    ASSERT_TRUE(waitCard());
    library->acceptCard(false);
    ASSERT_TRUE(test::waitUntil([&] { return library->models().size() == 1; }));
    ASSERT_TRUE(waitIdle());
    library->importPaths({file});
    ASSERT_TRUE(waitCard());
    library->acceptCard(true);  // even when asked to copy it into the models folder
    ASSERT_TRUE(test::waitUntil([&] { return !library->importError().isEmpty(); }));
    ASSERT_TRUE(waitIdle());
    EXPECT_EQ(library->models().size(), 1);
    EXPECT_TRUE(library->importError().contains("already")) << library->importError().toStdString();
}

TEST_F(ModelLibraryTest, AnUnsupportedArchitectureIsNotAdded) {
    library->importPaths({write("other.gguf", "MAMBA")});
    ASSERT_TRUE(waitCard());
    EXPECT_FALSE(library->card().value("supported").toBool());
    library->acceptCard(false);
    ASSERT_TRUE(waitIdle());
    EXPECT_TRUE(library->models().isEmpty());
    EXPECT_TRUE(library->importError().contains("mamba")) << library->importError().toStdString();
}

TEST_F(ModelLibraryTest, LoadFailureAndCancelAreReported) {
    engine.loadError = "out of memory while mapping weights";
    library->load(path("x.gguf"));
    EXPECT_TRUE(library->loading());
    ASSERT_TRUE(test::waitUntil([&] { return !library->loading(); }));
    EXPECT_EQ(library->loadError(), "out of memory while mapping weights");
    EXPECT_FALSE(library->modelReady());
    engine.loadError.clear();
    engine.loadSteps = 50;
    library->load(path("x.gguf"));
    ASSERT_TRUE(test::waitUntil([&] { return library->loadProgress() > 0; }));
    library->cancelLoad();
    ASSERT_TRUE(test::waitUntil([&] { return !library->loading(); }));
    EXPECT_FALSE(library->modelReady());
    EXPECT_TRUE(library->loadError().isEmpty());
}
