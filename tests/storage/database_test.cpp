// database_test.cpp: opening, PRAGMAs, migration v1 -> v2, refusing newer files, corrupt-file
// recovery, interrupted answers, and clear errors for locked, read-only and full databases.
#include "storage_fixture.h"

#include "storage/schema.h"
#include "storage/search.h"

#include <unistd.h>

#include <fstream>
#include <set>

namespace ponder::storage::test {
namespace {

namespace fs = std::filesystem;

void write_bytes(const fs::path& path, const std::string& bytes, std::streamoff at = 0) {
    std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
    if (!f) {
        std::ofstream create(path, std::ios::binary);
        create << bytes;
        return;
    }
    f.seekp(at);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Builds a version-1 file the way Ponder 1 left it: v1 schema, one chat, one finished and one
// still-streaming answer.
void make_v1_database(const fs::path& path) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const std::string script = std::string(schema::kV1) + R"sql(
        PRAGMA user_version = 1;
        INSERT INTO conversations (id, title, created_at, updated_at, pinned, system_prompt, temperature)
            VALUES (1, 'Old chat about gravitation', 1000, 2000, 1, 'be brief', 0.6);
        INSERT INTO messages (id, conversation_id, parent_id, role, content, created_at, updated_at)
            VALUES (1, 1, NULL, 'user', 'Explain gravitation', 1000, 1000);
        INSERT INTO messages (id, conversation_id, parent_id, role, content, reasoning, status, created_at, updated_at)
            VALUES (2, 1, 1, 'assistant', 'Mass bends spacetime.', 'think about Einstein', 'complete', 1100, 1100);
        INSERT INTO messages (id, conversation_id, parent_id, role, content, status, created_at, updated_at)
            VALUES (3, 1, 1, 'assistant', 'Half an answer about orbits', 'streaming', 1200, 1200);
        UPDATE conversations SET current_leaf_id = 2 WHERE id = 1;
    )sql";
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db, script.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_close(db);
}

std::set<std::string> schema_objects(const fs::path& path) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'", -1, &st,
                       nullptr);
    std::set<std::string> out;
    while (sqlite3_step(st) == SQLITE_ROW) out.insert(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

// What version 2 must contain (FTS5 shadow tables included), written out independently of the
// migration code so that a step that forgets something fails here.
const std::set<std::string> kExpectedV2 = {
    "table conversations",
    "index conversations_by_recency",
    "table messages",
    "index messages_by_conversation",
    "index messages_by_parent",
    "index messages_streaming",
    "table models",
    "index models_by_fingerprint",
    "table message_fts",
    "table message_fts_data",
    "table message_fts_idx",
    "table message_fts_docsize",
    "table message_fts_config",
    "table title_fts",
    "table title_fts_data",
    "table title_fts_idx",
    "table title_fts_docsize",
    "table title_fts_config",
    "trigger messages_fts_insert",
    "trigger messages_fts_delete",
    "trigger messages_fts_update",
    "trigger conversations_fts_insert",
    "trigger conversations_fts_delete",
    "trigger conversations_fts_update",
};

TEST(Database, CreatesFreshDatabaseAtLatestVersionWithSafePragmas) {
    ponder::test::TempDir dir;
    auto db = Database::open(dir / "h.db");
    EXPECT_TRUE(db->report().created);
    EXPECT_EQ(db->report().previous_version, 0);
    EXPECT_EQ(db->report().version, 3);
    EXPECT_EQ(db->schema_version(), 3);
    EXPECT_FALSE(db->report().backup_path);  // nothing to back up in a new file
    EXPECT_EQ(detail::query_text(db->handle(), "PRAGMA journal_mode", "t"), "wal");
    EXPECT_EQ(detail::query_int(db->handle(), "PRAGMA foreign_keys", "t"), 1);
    EXPECT_EQ(detail::query_int(db->handle(), "PRAGMA secure_delete", "t"), 1);
    EXPECT_EQ(detail::query_int(db->handle(), "PRAGMA synchronous", "t"), 2);  // FULL
    EXPECT_EQ(db->integrity_check(), "ok");
    EXPECT_EQ(schema_objects(dir / "h.db"), kExpectedV2);
}

TEST(Database, ReopeningDoesNotMigrateOrBackUpAgain) {
    ponder::test::TempDir dir;
    Database::open(dir / "h.db").reset();
    auto db = Database::open(dir / "h.db");
    EXPECT_FALSE(db->report().created);
    EXPECT_EQ(db->report().previous_version, 3);
    EXPECT_FALSE(db->report().backup_path);
}

TEST(Database, StepZeroToOneCreatesExactlyTheV1Schema) {
    ponder::test::TempDir dir;
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "v1.db").c_str(), &raw), SQLITE_OK);
    schema::apply_step(raw, 0);
    sqlite3_close(raw);
    EXPECT_EQ(raw_query(dir / "v1.db", "PRAGMA user_version"), "1");
    EXPECT_EQ(schema_objects(dir / "v1.db"),
              (std::set<std::string>{"table conversations", "index conversations_by_recency", "table messages",
                                     "index messages_by_conversation", "index messages_by_parent",
                                     "index messages_streaming"}));
}

TEST(Database, MigratesV1ToTheLatestKeepingDataWithBackupFirst) {
    ponder::test::TempDir dir;
    const fs::path path = dir / "h.db";
    make_v1_database(path);
    auto db = Database::open(path);
    const OpenReport& r = db->report();
    EXPECT_EQ(r.previous_version, 1);
    EXPECT_EQ(r.version, 3);
    ASSERT_TRUE(r.backup_path);
    // The backup is the untouched version-1 database.
    EXPECT_EQ(raw_query(*r.backup_path, "PRAGMA user_version"), "1");
    EXPECT_EQ(raw_query(*r.backup_path, "SELECT content FROM messages WHERE id = 2"), "Mass bends spacetime.");
    EXPECT_EQ(raw_query(*r.backup_path, "SELECT count(*) FROM sqlite_master WHERE name = 'models'"), "0");

    EXPECT_EQ(schema_objects(path), kExpectedV2);
    EXPECT_EQ(db->integrity_check(), "ok");
    HistoryStore store(*db);
    const auto c = store.conversation(1);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->title, "Old chat about gravitation");
    EXPECT_TRUE(c->pinned);
    EXPECT_EQ(c->settings.system_prompt, "be brief");
    EXPECT_EQ(c->settings.sampling.temperature, 0.6);
    EXPECT_EQ(c->message_count, 3);
    const auto path_msgs = store.active_path(1);
    ASSERT_EQ(path_msgs.size(), 2u);
    EXPECT_EQ(path_msgs[1].message.reasoning, "think about Einstein");
    EXPECT_EQ(path_msgs[1].sibling_count, 2);
    // The leftover streaming answer is now interrupted, and old rows are searchable.
    EXPECT_EQ(r.interrupted_messages, 1);
    EXPECT_EQ(store.message(3)->status, MessageStatus::Interrupted);
    EXPECT_EQ(search(*db, "spacetime").size(), 1u);
    EXPECT_EQ(search(*db, "orbits").size(), 1u);
    EXPECT_EQ(search(*db, "gravitation", {.include_titles = true}).front().field, SearchField::Title);
    detail::exec(db->handle(), "INSERT INTO message_fts(message_fts) VALUES ('integrity-check')", "fts check");
}

// Version 3 stores what a reply's notices say; a version-2 file gains the columns (0 for old rows)
// and what is stored after the upgrade reads back.
TEST(Database, MigratesV2ToV3AddingTheNoticeColumns) {
    ponder::test::TempDir dir;
    const fs::path path = dir / "h.db";
    make_v1_database(path);
    {
        sqlite3* raw = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
        schema::apply_step(raw, 1);
        sqlite3_close(raw);
    }
    ASSERT_EQ(raw_query(path, "PRAGMA user_version"), "2");
    auto db = Database::open(path);
    EXPECT_EQ(db->report().previous_version, 2);
    EXPECT_EQ(db->report().version, 3);
    ASSERT_TRUE(db->report().backup_path);
    EXPECT_EQ(raw_query(*db->report().backup_path, "PRAGMA user_version"), "2");
    EXPECT_EQ(schema_objects(path), kExpectedV2);  // columns only: no new tables, indexes or triggers
    HistoryStore store(*db);
    EXPECT_EQ(store.message(2)->content, "Mass bends spacetime.");
    EXPECT_EQ(store.message(2)->stats.dropped_messages, 0);
    EXPECT_FALSE(store.message(2)->stats.reasoning_budget_reached);
    MessageStats stats;
    stats.generated_tokens = 5;
    stats.dropped_messages = 6;
    stats.reasoning_budget_reached = true;
    store.finish_message(2, MessageStatus::Complete, stats);
    EXPECT_EQ(store.message(2)->stats.dropped_messages, 6);
    EXPECT_TRUE(store.message(2)->stats.reasoning_budget_reached);
    EXPECT_EQ(db->integrity_check(), "ok");
}

TEST(Database, FailedMigrationRollsBackAndKeepsVersion1) {
    ponder::test::TempDir dir;
    const fs::path path = dir / "h.db";
    make_v1_database(path);
    // A stray table with the name step 1->2 needs makes that step fail half way.
    raw_query(path, "CREATE TABLE models (x)");
    EXPECT_THROW(Database::open(path), StorageError);
    EXPECT_EQ(raw_query(path, "PRAGMA user_version"), "1");
    EXPECT_EQ(raw_query(path, "SELECT count(*) FROM sqlite_master WHERE name = 'message_fts'"), "0");
    EXPECT_EQ(raw_query(path, "SELECT content FROM messages WHERE id = 2"), "Mass bends spacetime.");
    EXPECT_EQ(raw_query(path, "PRAGMA integrity_check"), "ok");
}

TEST(Database, CheckpointReportsWhenAReaderHoldsTheWal) {
    ponder::test::TempDir dir;
    const fs::path path = dir / "h.db";
    auto db = Database::open(path, {.busy_timeout_ms = 30});
    HistoryStore(*db).create_conversation("x");
    sqlite3* reader = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &reader), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM conversations;", nullptr, nullptr, nullptr), SQLITE_OK);
    HistoryStore(*db).create_conversation("y");  // a WAL frame the reader's snapshot predates
    EXPECT_FALSE(db->checkpoint());
    sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(reader);
    EXPECT_TRUE(db->checkpoint());
    EXPECT_EQ(fs::file_size(path.string() + "-wal"), 0u);
}

TEST(Database, RefusesNewerVersionAndLeavesFileUntouched) {
    ponder::test::TempDir dir;
    const fs::path path = dir / "h.db";
    Database::open(path).reset();
    raw_query(path, "PRAGMA user_version = 7");
    raw_query(path, "PRAGMA journal_mode = DELETE");  // a fully self-contained file to compare
    const std::string before = file_bytes(path);
    try {
        Database::open(path);
        FAIL() << "opened a database from the future";
    } catch (const StorageError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::TooNew);
        EXPECT_NE(std::string(e.what()).find("newer version of Ponder"), std::string::npos) << e.what();
    }
    EXPECT_EQ(file_bytes(path), before);
    EXPECT_FALSE(fs::exists(path.string() + "-wal"));
}

TEST(Database, RefusesAForeignSqliteDatabase) {
    ponder::test::TempDir dir;
    const fs::path path = dir / "other.db";
    raw_query(path, "CREATE TABLE photos (id INTEGER PRIMARY KEY)");
    try {
        Database::open(path);
        FAIL() << "adopted another program's database";
    } catch (const StorageError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    }
    EXPECT_EQ(raw_query(path, "SELECT count(*) FROM sqlite_master"), "1");
}

TEST(Database, GarbageFileIsSetAsideAndAFreshDatabaseOpened) {
    ponder::test::TempDir dir;
    const fs::path path = dir / "h.db";
    const std::string garbage(8192, 'x');
    write_bytes(path, garbage);
    auto db = Database::open(path);
    const OpenReport& r = db->report();
    ASSERT_TRUE(r.corrupt_moved_to);
    EXPECT_FALSE(r.corrupt_reason.empty());
    EXPECT_EQ(file_bytes(*r.corrupt_moved_to), garbage);  // the copy is kept, byte for byte
    EXPECT_EQ(db->schema_version(), 3);
    HistoryStore store(*db);
    EXPECT_GT(store.create_conversation("after recovery"), 0);
}

TEST(Database, DamagedPageIsDetectedAndSetAside) {
    ponder::test::TempDir dir;
    const fs::path path = dir / "h.db";
    {
        auto db = Database::open(path);
        HistoryStore store(*db);
        const auto c = store.create_conversation("t");
        std::optional<std::int64_t> parent;
        for (int i = 0; i < 200; ++i)
            parent = store.add_message(c, parent, Role::User, std::string(300, static_cast<char>('a' + i % 26)));
    }
    ASSERT_GT(fs::file_size(path), 40u * 4096);
    write_bytes(path, std::string(4096 * 4, '\x5a'), 4096 * 5);  // smash pages 6..9
    try {
        Database::open(path, {.recover_corrupt = false});
        FAIL() << "damage went unnoticed";
    } catch (const StorageError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Corrupt);
    }
    auto db = Database::open(path);
    ASSERT_TRUE(db->report().corrupt_moved_to);
    EXPECT_TRUE(fs::exists(*db->report().corrupt_moved_to));
    EXPECT_EQ(HistoryStore(*db).list_conversations().size(), 0u);
    EXPECT_EQ(db->integrity_check(), "ok");
}

TEST_F(StorageTest, LeftoverStreamingMessagesBecomeInterruptedOnOpen) {
    const auto c = store->create_conversation("t");
    const auto u = store->add_message(c, std::nullopt, Role::User, "hi");
    const auto a = store->start_assistant_message(c, u, "qwen");
    EXPECT_EQ(store->message(a)->status, MessageStatus::Streaming);
    reopen({.mark_interrupted = false});
    EXPECT_EQ(store->message(a)->status, MessageStatus::Streaming);
    reopen();
    EXPECT_EQ(db->report().interrupted_messages, 1);
    EXPECT_EQ(store->message(a)->status, MessageStatus::Interrupted);
    reopen();
    EXPECT_EQ(db->report().interrupted_messages, 0);
}

TEST_F(StorageTest, LockedDatabaseGivesBusyErrorAndLosesNothing) {
    const auto c = store->create_conversation("kept");
    reopen({.busy_timeout_ms = 50});
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE; UPDATE conversations SET pinned = 1", nullptr, nullptr, nullptr),
              SQLITE_OK);
    try {
        store->add_message(c, std::nullopt, Role::User, "blocked");
        FAIL() << "write went through a held lock";
    } catch (const StorageError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Busy);
        EXPECT_NE(std::string(e.what()).find("locked"), std::string::npos) << e.what();
    }
    EXPECT_EQ(store->list_conversations().size(), 1u);  // reads still work meanwhile
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    store->add_message(c, std::nullopt, Role::User, "now it works");
    EXPECT_EQ(store->conversation(c)->title, "kept");
    EXPECT_EQ(store->messages(c).size(), 1u);
}

TEST_F(StorageTest, ReadOnlyConnectionReadsButRefusesWrites) {
    const auto c = store->create_conversation("visible");
    reopen({.read_only = true});
    EXPECT_TRUE(db->read_only());
    EXPECT_EQ(store->conversation(c)->title, "visible");
    try {
        store->rename_conversation(c, "changed");
        FAIL();
    } catch (const StorageError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::ReadOnly);
        EXPECT_NE(std::string(e.what()).find("read-only"), std::string::npos) << e.what();
    }
    reopen();
    EXPECT_EQ(store->conversation(c)->title, "visible");
}

TEST(Database, ReadOnlyFileGivesClearError) {
    if (::geteuid() == 0) GTEST_SKIP() << "running as root: file permissions do not stop root from writing";
    ponder::test::TempDir dir;
    const fs::path path = dir / "h.db";
    Database::open(path).reset();
    fs::permissions(path, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    try {
        Database::open(path);
        FAIL();
    } catch (const StorageError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::ReadOnly);
    }
}

TEST(Database, ReadOnlyOpenOfMissingFileIsNotFound) {
    ponder::test::TempDir dir;
    try {
        Database::open(dir / "absent.db", {.read_only = true});
        FAIL();
    } catch (const StorageError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::NotFound);
    }
    EXPECT_FALSE(fs::exists(dir / "absent.db"));
}

TEST_F(StorageTest, FullDiskGivesClearErrorAndKeepsWhatWasStored) {
    const auto c = store->create_conversation("full disk");
    const auto first = store->add_message(c, std::nullopt, Role::User, "stored before the disk filled up");
    const auto pages = detail::query_int(db->handle(), "PRAGMA page_count", "t");
    detail::query_int(db->handle(), "PRAGMA max_page_count = " + std::to_string(pages), "t");
    try {
        store->add_message(c, first, Role::User, std::string(200000, 'z'));
        FAIL() << "wrote past the page limit";
    } catch (const StorageError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::DiskFull);
        EXPECT_NE(std::string(e.what()).find("full"), std::string::npos) << e.what();
    }
    EXPECT_EQ(store->messages(c).size(), 1u);
    EXPECT_EQ(store->message(first)->content, "stored before the disk filled up");
    EXPECT_EQ(store->conversation(c)->current_leaf_id, first);  // the failed add left no trace
    EXPECT_EQ(db->integrity_check(), "ok");
    reopen();
    EXPECT_EQ(store->message(first)->content, "stored before the disk filled up");
}

}  // namespace
}  // namespace ponder::storage::test
