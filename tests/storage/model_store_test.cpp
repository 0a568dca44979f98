// model_store_test.cpp: model file identity (cheap fingerprint) and the models table.
#include "storage_fixture.h"

#include "storage/model_store.h"

#include <fstream>

namespace ponder::storage::test {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, std::size_t size, char fill, std::size_t poke_at = SIZE_MAX, char poke = 0) {
    std::string bytes(size, fill);
    if (poke_at < size) bytes[poke_at] = poke;
    std::ofstream(path, std::ios::binary) << bytes;
}

TEST(ModelIdentity, FingerprintCoversSizeAndBothEnds) {
    ponder::test::TempDir dir;
    const std::size_t size = 3 << 20;  // 3 MiB: head, untouched middle, tail
    write_file(dir / "a.gguf", size, 'w');
    write_file(dir / "same.gguf", size, 'w');
    write_file(dir / "head.gguf", size, 'w', 10, 'x');
    write_file(dir / "tail.gguf", size, 'w', size - 10, 'x');
    write_file(dir / "middle.gguf", size, 'w', size / 2, 'x');
    write_file(dir / "longer.gguf", size + 1, 'w');
    const auto a = identify_model_file(dir / "a.gguf");
    EXPECT_EQ(a.size_bytes, static_cast<std::int64_t>(size));
    EXPECT_EQ(a.fingerprint.size(), 16u);
    EXPECT_GT(a.mtime_ms, 1700000000000);
    EXPECT_EQ(identify_model_file(dir / "same.gguf").fingerprint, a.fingerprint);
    EXPECT_NE(identify_model_file(dir / "head.gguf").fingerprint, a.fingerprint);
    EXPECT_NE(identify_model_file(dir / "tail.gguf").fingerprint, a.fingerprint);
    EXPECT_NE(identify_model_file(dir / "longer.gguf").fingerprint, a.fingerprint);
    // By design the middle is not read (multi-GB files must be identified in milliseconds).
    EXPECT_EQ(identify_model_file(dir / "middle.gguf").fingerprint, a.fingerprint);
    write_file(dir / "tiny.gguf", 5, 't');
    EXPECT_EQ(identify_model_file(dir / "tiny.gguf").size_bytes, 5);
    write_file(dir / "empty.gguf", 0, 't');
    EXPECT_EQ(identify_model_file(dir / "empty.gguf").size_bytes, 0);
}

TEST(ModelIdentity, MissingFileOrDirectoryIsAnIoError) {
    ponder::test::TempDir dir;
    for (const fs::path& p : {dir / "absent.gguf", dir.path()}) {
        try {
            identify_model_file(p);
            ADD_FAILURE() << p;
        } catch (const StorageError& e) {
            EXPECT_EQ(e.kind(), ErrorKind::Io);
            EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos);
        }
    }
}

TEST_F(StorageTest, ModelStoreUpsertListMoveMissingRemove) {
    ModelStore library(*db);
    write_file(dir / "a.gguf", 4096, 'a');
    write_file(dir / "b.gguf", 4096, 'b');
    const auto ida = library.upsert(dir / "a.gguf", identify_model_file(dir / "a.gguf"), R"({"arch":"qwen2"})");
    const auto idb = library.upsert(dir / "b.gguf", identify_model_file(dir / "b.gguf"));
    EXPECT_NE(ida, idb);
    auto list = library.list();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].path, (dir / "a.gguf").string());
    EXPECT_EQ(list[0].metadata_json, R"({"arch":"qwen2"})");
    EXPECT_EQ(list[1].metadata_json, "{}");
    EXPECT_FALSE(list[0].missing);
    EXPECT_EQ(list[0].size_bytes, 4096);

    // Same path again: same row, refreshed.
    EXPECT_EQ(library.upsert(dir / "a.gguf", identify_model_file(dir / "a.gguf"), "{\"v\":2}"), ida);
    EXPECT_EQ(library.find_by_path(dir / "a.gguf")->metadata_json, "{\"v\":2}");

    // A scan that only saw b: a is missing.
    const std::vector<std::int64_t> seen{idb};
    library.mark_missing_except(seen);
    EXPECT_TRUE(library.find_by_path(dir / "a.gguf")->missing);
    EXPECT_FALSE(library.find_by_path(dir / "b.gguf")->missing);

    // The user moved a.gguf: the row follows the file (same fingerprint), keeping its id.
    fs::create_directory(dir / "moved");
    fs::rename(dir / "a.gguf", dir / "moved" / "a.gguf");
    const auto moved = identify_model_file(dir / "moved" / "a.gguf");
    EXPECT_EQ(library.upsert(dir / "moved" / "a.gguf", moved), ida);
    EXPECT_FALSE(library.find_by_path(dir / "a.gguf"));
    EXPECT_FALSE(library.find_by_fingerprint(moved.fingerprint)->missing);

    // A copy (original still present) is a new row, not a move.
    fs::copy_file(dir / "b.gguf", dir / "b-copy.gguf");
    EXPECT_NE(library.upsert(dir / "b-copy.gguf", identify_model_file(dir / "b-copy.gguf")), idb);

    library.set_missing(idb, true);
    EXPECT_TRUE(library.find_by_path(dir / "b.gguf")->missing);
    EXPECT_THROW(library.set_missing(9999, true), StorageError);
    library.remove(idb);
    EXPECT_FALSE(library.find_by_path(dir / "b.gguf"));
    EXPECT_EQ(library.list().size(), 2u);
}

}  // namespace
}  // namespace ponder::storage::test
