// database.h: opening the history database: PRAGMAs, migrations, backups, corrupt-file recovery.
#pragma once

#include "storage/storage_error.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

struct sqlite3;

namespace ponder::storage {

struct OpenOptions {
    int busy_timeout_ms = 5000;    // how long to wait for another connection's lock
    bool read_only = false;        // open without writing anything (no migration, no recovery)
    bool check_integrity = true;   // PRAGMA quick_check on open; damage => set the file aside
    bool recover_corrupt = true;   // false: throw ErrorKind::Corrupt instead of setting aside
    bool synchronous_full = true;  // fsync each commit (survives power loss), else NORMAL
    bool mark_interrupted = true;  // leftover Streaming messages -> Interrupted (app start)
};

// What open() did, so the app can tell the user (e.g. "Your history was damaged; a copy was kept
// at ... and a new one started").
struct OpenReport {
    bool created = false;                                   // the file did not exist before
    int previous_version = 0;                               // user_version found (0 for a new file)
    int version = 0;                                        // user_version now (== kSchemaVersion)
    std::optional<std::filesystem::path> backup_path;       // copy taken before migrating
    std::optional<std::filesystem::path> corrupt_moved_to;  // damaged file set aside here
    std::string corrupt_reason;                             // SQLite's words for the damage
    int interrupted_messages = 0;                           // leftover Streaming rows now Interrupted
};

// One SQLite connection to the history database. Every operation in this module that takes a
// Database& locks mutex() for its duration, so one Database may be shared between threads; the
// streaming writer (stream_writer.h) opens its own connection to the same file instead.
class Database {
public:
    static constexpr int kSchemaVersion = 2;

    // Opens (creating if needed) and migrates to kSchemaVersion. Throws StorageError:
    // TooNew (file untouched), Busy, ReadOnly, Io, Corrupt (only with recover_corrupt = false).
    static std::unique_ptr<Database> open(const std::filesystem::path& path, OpenOptions options = {});

    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    const OpenReport& report() const { return m_report; }
    bool read_only() const { return m_read_only; }
    int schema_version();
    std::string integrity_check();  // "ok" or SQLite's list of problems

    // Makes deleted text unrecoverable from the file and WAL: FTS optimize, checkpoint(TRUNCATE),
    // VACUUM when more than a quarter of the file is free pages. Called by the delete operations.
    void scrub();
    // checkpoint(TRUNCATE): copies the WAL into the database and empties it. Returns false when
    // another connection's open read prevented a full checkpoint (retry later).
    bool checkpoint();

    // For the module's own code (and tests): the raw connection and its lock.
    sqlite3* handle() { return m_db; }
    std::recursive_mutex& mutex() { return m_mutex; }

private:
    Database(std::filesystem::path path, sqlite3* db, bool read_only);
    std::filesystem::path m_path;
    sqlite3* m_db = nullptr;
    bool m_read_only = false;
    OpenReport m_report;
    std::recursive_mutex m_mutex;
    friend class DatabaseOpener;
};

}  // namespace ponder::storage
