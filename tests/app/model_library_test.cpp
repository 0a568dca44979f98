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
        return test::waitUntil([&] { return library->card()->isReady(); });
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
    const ImportCard* card = library->card();
    EXPECT_EQ(card->name(), "TinyModel");
    EXPECT_EQ(card->parameters(), "260.0 K");
    EXPECT_EQ(card->size(), "2.0 KB");
    EXPECT_EQ(card->memory(), "3.0 MB");
    EXPECT_EQ(card->fit(), "cpu");
    library->acceptCard(false);
    ASSERT_TRUE(test::waitUntil([&] { return library->models()->rowCount() == 1; }));
    EXPECT_EQ(library->models()->entries()[0].path, file);
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
    ASSERT_EQ(library->models()->rowCount(), 4);
    QStringList labels;
    for (const ModelEntry& m : library->models()->entries()) {
        EXPECT_EQ(m.name, "Twin");
        const QString label = m.label;
        EXPECT_TRUE(label.startsWith("Twin · F32 · ")) << label.toStdString();
        EXPECT_TRUE(label.contains(m.size)) << label.toStdString();
        labels.append(label);
    }
    labels.removeDuplicates();
    EXPECT_EQ(labels.size(), 4) << labels.join(" | ").toStdString();
    // Same name, format and size: the file name tells them apart.
    for (const ModelEntry& m : library->models()->entries()) {
        const QString file = QFileInfo(m.path).fileName();
        if (file == "c.gguf" || file == "d.gguf")
            EXPECT_TRUE(m.label.endsWith(" · " + file)) << m.label.toStdString();
        else
            EXPECT_FALSE(m.label.contains(".gguf"));
    }
}

TEST_F(ModelLibraryTest, InvalidFilesReportTheReaderMessageAndChangeNothing) {
    library->importPaths({write("broken.gguf", "BAD bytes")});
    ASSERT_TRUE(test::waitUntil([&] { return !library->importError().isEmpty(); }));
    EXPECT_TRUE(library->importError().contains("bad magic")) << library->importError().toStdString();
    EXPECT_TRUE(!library->card()->isReady());
    EXPECT_EQ(library->importPaths({write("readme.txt", "hello")}), 0);
    EXPECT_TRUE(library->importError().contains("readme.txt"));
    EXPECT_EQ(library->importUrls({QUrl("https://example.com/model.gguf")}), 0);
    ASSERT_TRUE(waitIdle());
    EXPECT_TRUE(library->models()->rowCount() == 0);
    EXPECT_TRUE(storage::ModelStore(*db).list().empty());
    EXPECT_FALSE(library->loading());
}

TEST_F(ModelLibraryTest, SeveralFilesAreShownOneAfterAnother) {
    library->importPaths({write("a.gguf", "ModelA"), write("b.gguf", "ModelB")});
    ASSERT_TRUE(waitCard());
    EXPECT_EQ(library->card()->name(), "ModelA");
    library->dismissCard();
    ASSERT_TRUE(test::waitUntil([&] { return library->card()->name() == "ModelB"; }));
    library->acceptCard(false);
    ASSERT_TRUE(test::waitUntil([&] { return library->models()->rowCount() == 1; }));
    EXPECT_EQ(library->models()->entries()[0].name, "ModelB");
}

TEST_F(ModelLibraryTest, CopyIntoTheModelsFolder) {
    library->importPaths({write("copy-me.gguf", "CopyMe")});
    ASSERT_TRUE(waitCard());
    library->acceptCard(true);
    ASSERT_TRUE(test::waitUntil([&] { return library->models()->rowCount() == 1; }));
    const QString copied = path("models/copy-me.gguf");
    EXPECT_EQ(library->models()->entries()[0].path, copied);
    EXPECT_TRUE(std::filesystem::exists(dir / "models" / "copy-me.gguf"));
    EXPECT_TRUE(std::filesystem::exists(dir / "copy-me.gguf"));  // the original stays
}

TEST_F(ModelLibraryTest, MovedFilesAreFlaggedMissingAndCanBeLocated) {
    const QString file = write("moving.gguf", "Mover");
    library->importPaths({file});
    ASSERT_TRUE(waitCard());
    library->acceptCard(false);
    ASSERT_TRUE(test::waitUntil([&] { return library->models()->rowCount() == 1; }));
    std::filesystem::create_directory(dir / "elsewhere");
    std::filesystem::rename(dir / "moving.gguf", dir / "elsewhere" / "moving.gguf");
    library->refresh();
    ASSERT_EQ(library->models()->rowCount(), 1);
    EXPECT_TRUE(library->models()->entries()[0].missing);
    const qint64 id = library->models()->entries()[0].id;
    library->locate(id, QUrl::fromLocalFile(path("elsewhere/moving.gguf")));
    ASSERT_EQ(library->models()->rowCount(), 1);
    const ModelEntry entry = library->models()->entries()[0];
    EXPECT_FALSE(entry.missing);
    EXPECT_EQ(entry.path, path("elsewhere/moving.gguf"));
    EXPECT_EQ(entry.name, "Mover");  // metadata kept across the move
}

TEST_F(ModelLibraryTest, LocateRefusesADifferentModelFile) {
    const QString file = write("original.gguf", "Original");
    library->importPaths({file});
    ASSERT_TRUE(waitCard());
    library->acceptCard(false);
    ASSERT_TRUE(test::waitUntil([&] { return library->models()->rowCount() == 1; }));
    std::filesystem::remove(dir / "original.gguf");
    library->refresh();
    const qint64 id = library->models()->entries()[0].id;
    write("impostor.gguf", "Impostor with other bytes");
    library->locate(id, QUrl::fromLocalFile(path("impostor.gguf")));
    EXPECT_TRUE(library->importError().contains("impostor.gguf")) << library->importError().toStdString();
    ASSERT_EQ(library->models()->rowCount(), 1);
    const ModelEntry entry = library->models()->entries()[0];
    EXPECT_EQ(entry.path, file) << "the entry now points at another model";
    EXPECT_TRUE(entry.missing);
}

TEST_F(ModelLibraryTest, TheSameFileImportedTwiceIsOneEntry) {
    const QString file = write("twice.gguf", "Twice");
    library->importPaths({file});
    ASSERT_TRUE(waitCard());
    library->acceptCard(false);
    ASSERT_TRUE(test::waitUntil([&] { return library->models()->rowCount() == 1; }));
    ASSERT_TRUE(waitIdle());
    library->importPaths({file});
    ASSERT_TRUE(waitCard());
    library->acceptCard(true);  // even when asked to copy it into the models folder
    ASSERT_TRUE(test::waitUntil([&] { return !library->importError().isEmpty(); }));
    ASSERT_TRUE(waitIdle());
    EXPECT_EQ(library->models()->rowCount(), 1);
    EXPECT_TRUE(library->importError().contains("already")) << library->importError().toStdString();
}

TEST_F(ModelLibraryTest, AnUnsupportedArchitectureIsNotAdded) {
    library->importPaths({write("other.gguf", "MAMBA")});
    ASSERT_TRUE(waitCard());
    EXPECT_FALSE(library->card()->supported());
    library->acceptCard(false);
    ASSERT_TRUE(waitIdle());
    EXPECT_TRUE(library->models()->rowCount() == 0);
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

// The typed list model: QML reads rows through named roles, so the roles are checked by name.
TEST_F(ModelLibraryTest, TheListModelsRowsAndRolesFollowImportLocateAndRemove) {
    ModelListModel* list = library->models();
    const QHash<int, QByteArray> roles = list->roleNames();
    for (const char* name : {"modelId", "path", "name", "architecture", "quantization", "size", "label", "missing"})
        EXPECT_TRUE(roles.values().contains(QByteArray(name))) << name;
    const auto roleOf = [&](const char* name) { return roles.key(QByteArray(name)); };
    const auto cell = [&](int row, const char* role) { return list->data(list->index(row), roleOf(role)); };
    QSignalSpy counts(list, &ModelListModel::countChanged);

    const QString first = write("first.gguf", "First");
    library->importPaths({first});
    ASSERT_TRUE(waitCard());
    library->acceptCard(false);
    ASSERT_TRUE(test::waitUntil([&] { return list->rowCount() == 1; }));
    ASSERT_TRUE(waitIdle());
    EXPECT_GE(counts.count(), 1);
    EXPECT_EQ(cell(0, "path").toString(), first);
    EXPECT_EQ(cell(0, "name").toString(), "First");
    EXPECT_EQ(cell(0, "architecture").toString(), "llama");
    EXPECT_EQ(cell(0, "quantization").toString(), "F32");
    EXPECT_EQ(cell(0, "label").toString(), "First · F32 · " + cell(0, "size").toString());
    EXPECT_FALSE(cell(0, "missing").toBool());
    EXPECT_GT(cell(0, "modelId").toLongLong(), 0);
    EXPECT_EQ(list->pathAt(0), first);
    EXPECT_EQ(list->pathAt(5), QString());  // out of range: nothing, no crash

    const QString second = write("second.gguf", "Second");
    library->importPaths({second});
    ASSERT_TRUE(waitCard());
    library->acceptCard(false);
    ASSERT_TRUE(test::waitUntil([&] { return list->rowCount() == 2; }));
    ASSERT_TRUE(waitIdle());

    // The file moves: the row is marked missing in place (one row changed, not a reset), then
    // Locate… gives it its new path.
    std::filesystem::create_directory(dir / "moved");
    std::filesystem::rename(dir / "first.gguf", dir / "moved" / "first.gguf");
    QSignalSpy resets(list, &QAbstractItemModel::modelReset);
    QSignalSpy changes(list, &QAbstractItemModel::dataChanged);
    library->refresh();
    EXPECT_EQ(resets.count(), 0);
    ASSERT_EQ(changes.count(), 1);
    const int row = changes.first().at(0).toModelIndex().row();
    EXPECT_EQ(cell(row, "path").toString(), first);
    EXPECT_TRUE(cell(row, "missing").toBool());
    EXPECT_TRUE(list->missingAt(row));
    library->locate(cell(row, "modelId").toLongLong(), QUrl::fromLocalFile(path("moved/first.gguf")));
    ASSERT_EQ(list->rowCount(), 2);
    QStringList paths{list->pathAt(0), list->pathAt(1)};
    paths.sort();
    EXPECT_EQ(paths, QStringList({path("moved/first.gguf"), second}));
    for (int r = 0; r < 2; ++r) EXPECT_FALSE(cell(r, "missing").toBool());

    const int secondRow = list->pathAt(0) == second ? 0 : 1;
    library->remove(cell(secondRow, "modelId").toLongLong());
    ASSERT_EQ(list->rowCount(), 1);
    EXPECT_EQ(cell(0, "path").toString(), path("moved/first.gguf"));
    EXPECT_EQ(cell(0, "name").toString(), "First");
}

TEST_F(ModelLibraryTest, TheImportCardGoesThroughItsStates) {
    ImportCard* card = library->card();
    EXPECT_EQ(card->state(), ImportCard::State::Empty);
    QList<ImportCard::State> seen;
    QObject::connect(card, &ImportCard::changed, [&] { seen.append(card->state()); });

    const QString file = write("card.gguf", "CardModel");
    library->importPaths({file});
    EXPECT_EQ(card->state(), ImportCard::State::Checking);  // at once, while the worker reads it
    EXPECT_EQ(card->fileName(), "card.gguf");
    EXPECT_TRUE(card->name().isEmpty());  // no facts before the check ends
    ASSERT_TRUE(waitCard());
    EXPECT_EQ(card->state(), ImportCard::State::Ready);
    EXPECT_EQ(card->path(), file);
    EXPECT_EQ(card->name(), "CardModel");
    EXPECT_EQ(card->size(), "2.0 KB");
    EXPECT_EQ(card->memory(), "3.0 MB");
    EXPECT_EQ(card->fit(), "cpu");
    EXPECT_TRUE(card->supported());
    EXPECT_EQ(card->contextLength(), 512);
    EXPECT_TRUE(card->error().isEmpty());
    library->dismissCard();
    EXPECT_EQ(card->state(), ImportCard::State::Empty);
    EXPECT_TRUE(card->path().isEmpty());
    EXPECT_EQ(seen, QList<ImportCard::State>(
                        {ImportCard::State::Checking, ImportCard::State::Ready, ImportCard::State::Empty}));

    library->importPaths({write("broken.gguf", "BAD bytes")});
    ASSERT_TRUE(test::waitUntil([&] { return card->state() == ImportCard::State::Failed; }));
    EXPECT_TRUE(card->error().contains("bad magic")) << card->error().toStdString();
    EXPECT_EQ(card->fileName(), "broken.gguf");
    EXPECT_EQ(library->importError(), card->error());
    ASSERT_TRUE(waitIdle());
    library->dismissError();
    EXPECT_EQ(card->state(), ImportCard::State::Empty);
    EXPECT_TRUE(library->importError().isEmpty());

    // Accepting empties the card at once; the next file then gets its own.
    library->importPaths({write("one.gguf", "One"), write("two.gguf", "Two")});
    ASSERT_TRUE(waitCard());
    EXPECT_EQ(card->name(), "One");
    library->acceptCard(false);
    EXPECT_NE(card->state(), ImportCard::State::Ready);
    ASSERT_TRUE(test::waitUntil([&] { return card->isReady() && card->name() == "Two"; }));
}

TEST_F(ModelLibraryTest, AModelsOwnContextLengthIsUsedWhenItLoadsAndFollowsItsFile) {
    const QString file = write("ctx.gguf", "Ctx");
    library->importPaths({file});
    ASSERT_TRUE(waitCard());
    library->acceptCard(false);
    ASSERT_TRUE(test::waitUntil([&] { return library->modelReady(); }));
    ASSERT_TRUE(waitIdle());
    EXPECT_EQ(library->loadedContext(), settings->contextLength());  // nothing chosen: the app's
    ModelDefaultValues own;
    own.contextLength = 1024;
    settings->setModelDefaults(file, own);
    settings->setContextLength(8192);
    library->load(file);
    ASSERT_TRUE(test::waitUntil([&] { return library->modelReady(); }));
    EXPECT_EQ(library->loadedContext(), 1024);
    const QString other = write("other-ctx.gguf", "OtherCtx");
    library->load(other);  // another file: the app's setting
    ASSERT_TRUE(test::waitUntil([&] { return library->modelReady() && library->loadedPath() == other; }));
    EXPECT_EQ(library->loadedContext(), 8192);

    // Moved and located: its defaults go with it. Removed: they are forgotten.
    std::filesystem::create_directory(dir / "away");
    std::filesystem::rename(dir / "ctx.gguf", dir / "away" / "ctx.gguf");
    library->refresh();
    const qint64 id = library->models()->entries()[0].id;
    library->locate(id, QUrl::fromLocalFile(path("away/ctx.gguf")));
    EXPECT_FALSE(settings->modelDefaults(file).contextLength);
    EXPECT_EQ(settings->modelDefaults(path("away/ctx.gguf")).contextLength, 1024);
    library->remove(id);
    EXPECT_TRUE(settings->modelDefaults(path("away/ctx.gguf")).empty());
}
