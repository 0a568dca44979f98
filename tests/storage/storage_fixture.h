// storage_fixture.h: a temporary history database per test, plus raw-SQLite helpers for checks.
#pragma once

#include "storage/database.h"
#include "storage/history_store.h"
#include "storage/sqlite_handle.h"
#include "support/temp_dir.h"
#include "support/testdata.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

namespace ponder::storage::test {

// Runs SQL on a separate raw connection (what another program would see). Returns the first
// column of the first row as text ("" when no row).
inline std::string raw_query(const std::filesystem::path& path, const std::string& sql) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        throw std::runtime_error("cannot open " + path.string());
    }
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
        const std::string msg = sqlite3_errmsg(db);
        sqlite3_close(db);
        throw std::runtime_error("bad test SQL: " + msg);
    }
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

inline std::string file_bytes(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return {};
    return ponder::test::read_file(path);
}

class StorageTest : public ::testing::Test {
protected:
    void SetUp() override {
        path = dir / "history.db";
        db = Database::open(path);
        store = std::make_unique<HistoryStore>(*db);
    }
    void reopen(OpenOptions options = {}) {
        store.reset();
        db.reset();
        db = Database::open(path, options);
        store = std::make_unique<HistoryStore>(*db);
    }

    ponder::test::TempDir dir;
    std::filesystem::path path;
    std::unique_ptr<Database> db;
    std::unique_ptr<HistoryStore> store;
};

}  // namespace ponder::storage::test
