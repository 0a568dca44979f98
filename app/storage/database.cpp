// database.cpp: opening the history database: PRAGMAs, migrations with a backup first, refusing newer
// files, setting damaged files aside, and scrubbing deleted text out of the file and WAL.
#include "storage/database.h"

#include "storage/records.h"
#include "storage/schema.h"
#include "storage/sqlite_handle.h"

#include <sqlite3.h>

#include <ctime>
#include <system_error>

namespace ponder::storage {

namespace fs = std::filesystem;
using detail::Connection;
using detail::exec;
using detail::query_int;
using detail::query_text;
using detail::Statement;

namespace {

constexpr std::string_view kMarkInterrupted =
    "UPDATE messages SET status = 'interrupted', updated_at = ?1 WHERE status = 'streaming'";
constexpr std::string_view kCountTables = "SELECT count(*) FROM sqlite_master";

// UTC "20261123-130501-123": sorts by time and is safe in file names on every OS.
std::string file_stamp() {
    const std::int64_t ms = now_ms();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buffer[40];
    std::strftime(buffer, sizeof buffer, "%Y%m%d-%H%M%S", &tm);
    char with_ms[48];
    std::snprintf(with_ms, sizeof with_ms, "%s-%03d", buffer, static_cast<int>(ms % 1000));
    return with_ms;
}

fs::path with_suffix(const fs::path& path, const std::string& suffix) { return fs::path(path.string() + suffix); }

// Copies the whole database (WAL content included) with SQLite's online backup API.
fs::path backup_before_migration(sqlite3* source, const fs::path& path, int version) {
    const fs::path target = with_suffix(path, ".v" + std::to_string(version) + "-backup-" + file_stamp());
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(target.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    Connection dest(raw);
    if (rc != SQLITE_OK) detail::throw_sqlite(raw, rc, "making a backup copy before upgrading the history database");
    sqlite3_backup* backup = sqlite3_backup_init(raw, "main", source, "main");
    if (!backup) detail::throw_sqlite(raw, sqlite3_errcode(raw), "making a backup copy before upgrading");
    const int step_rc = sqlite3_backup_step(backup, -1);
    const int finish_rc = sqlite3_backup_finish(backup);
    if (step_rc != SQLITE_DONE || finish_rc != SQLITE_OK) {
        dest.reset();
        std::error_code ignored;
        fs::remove(target, ignored);
        detail::throw_sqlite(source, step_rc != SQLITE_DONE ? step_rc : finish_rc,
                             "making a backup copy before upgrading the history database");
    }
    return target;
}

}  // namespace

class DatabaseOpener {
public:
    static std::unique_ptr<Database> open(const fs::path& path, const OpenOptions& options, bool allow_recovery);

private:
    static std::unique_ptr<Database> set_aside_and_reopen(Connection& conn, const fs::path& path,
                                                          const OpenOptions& options, const StorageError& damage);
    static void configure_and_migrate(sqlite3* db, const fs::path& path, const OpenOptions& options,
                                      OpenReport& report);
};

std::unique_ptr<Database> DatabaseOpener::open(const fs::path& path, const OpenOptions& options, bool allow_recovery) {
    std::error_code ec;
    const bool existed = fs::exists(path, ec) && fs::file_size(path, ec) > 0;
    if (options.read_only && !existed)
        throw StorageError(ErrorKind::NotFound, "The history database " + path.string() + " does not exist.");

    int flags = SQLITE_OPEN_FULLMUTEX;
    flags |= options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Connection conn(raw);
    if (rc != SQLITE_OK) detail::throw_sqlite(raw, rc, "opening the history database");
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, options.busy_timeout_ms);
    if (!options.read_only && sqlite3_db_readonly(raw, "main") == 1)
        throw StorageError(ErrorKind::ReadOnly,
                           "The history database " + path.string() +
                               " is read-only, so new chats could not be saved. Check the permissions "
                               "of the file and its folder.",
                           SQLITE_READONLY);

    OpenReport report;
    report.created = !existed;
    try {
        report.previous_version =
            static_cast<int>(query_int(raw, "PRAGMA user_version", "reading the history database"));
        if (report.previous_version > schema::kLatest)
            throw StorageError(ErrorKind::TooNew, "The history database " + path.string() +
                                                      " was written by a newer version of "
                                                      "Ponder (format " +
                                                      std::to_string(report.previous_version) +
                                                      "; this version reads up to " + std::to_string(schema::kLatest) +
                                                      "). It was left unchanged; update Ponder to open it.");
        if (existed && options.check_integrity) {
            const std::string verdict = query_text(raw, "PRAGMA quick_check", "checking the history database");
            if (verdict != "ok")
                throw StorageError(ErrorKind::Corrupt,
                                   "The history database " + path.string() + " is damaged (" + verdict + ").",
                                   SQLITE_CORRUPT);
        }
        configure_and_migrate(raw, path, options, report);
    } catch (const StorageError& e) {
        if (e.kind() == ErrorKind::Corrupt && allow_recovery && !options.read_only)
            return set_aside_and_reopen(conn, path, options, e);
        throw;
    }

    std::unique_ptr<Database> db(new Database(path, conn.release(), options.read_only));
    db->m_report = report;
    return db;
}

void DatabaseOpener::configure_and_migrate(sqlite3* db, const fs::path& path, const OpenOptions& options,
                                           OpenReport& report) {
    if (!options.read_only) {
        // WAL: readers never block the streaming writer, and a crash mid-commit leaves the last
        // committed state intact.
        const std::string mode = query_text(db, "PRAGMA journal_mode = WAL", "switching to WAL mode");
        if (mode != "wal")
            throw StorageError(ErrorKind::Busy, "Could not switch " + detail::database_label(db) +
                                                    " to WAL mode (it is in '" + mode +
                                                    "' mode, probably held open by another program).");
        exec(db, options.synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
             "configuring the history database");
    }
    exec(db, "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON", "configuring the history database");

    const int from = report.previous_version;
    if (from < schema::kLatest) {
        if (options.read_only)
            throw StorageError(ErrorKind::ReadOnly, "The history database " + path.string() +
                                                        " needs an upgrade, which is impossible read-only.");
        if (from == 0 && query_int(db, kCountTables, "reading the history database") > 0)
            throw StorageError(ErrorKind::InvalidArgument,
                               path.string() +
                                   " is an SQLite database but not a Ponder history database; "
                                   "it was left unchanged.");
        if (from > 0) report.backup_path = backup_before_migration(db, path, from);
        detail::Transaction tx(db);
        for (int v = from; v < schema::kLatest; ++v) schema::apply_step(db, v);
        tx.commit();
    }
    report.version = schema::kLatest;

    if (!options.read_only && options.mark_interrupted) {
        Statement st(db, kMarkInterrupted, "marking interrupted answers");
        st.bind(1, now_ms()).run();
        report.interrupted_messages = sqlite3_changes(db);
    }
}

std::unique_ptr<Database> DatabaseOpener::set_aside_and_reopen(Connection& conn, const fs::path& path,
                                                               const OpenOptions& options, const StorageError& damage) {
    conn.reset();
    const fs::path target = with_suffix(path, ".corrupt-" + file_stamp());
    std::error_code ec;
    fs::rename(path, target, ec);
    if (ec)
        throw StorageError(ErrorKind::Io, "The history database " + path.string() +
                                              " is damaged and could not be moved aside (" + ec.message() + ").");
    // The WAL belongs to the damaged file: keep it next to the copy; the shm index is rebuilt.
    if (fs::exists(with_suffix(path, "-wal"), ec))
        fs::rename(with_suffix(path, "-wal"), with_suffix(target, "-wal"), ec);
    fs::remove(with_suffix(path, "-shm"), ec);

    auto db = open(path, options, /*allow_recovery=*/false);
    db->m_report.corrupt_moved_to = target;
    db->m_report.corrupt_reason = damage.what();
    return db;
}

std::unique_ptr<Database> Database::open(const fs::path& path, OpenOptions options) {
    return DatabaseOpener::open(path, options, options.recover_corrupt);
}

Database::Database(fs::path path, sqlite3* db, bool read_only)
    : m_path(std::move(path)), m_db(db), m_read_only(read_only) {}

Database::~Database() { sqlite3_close_v2(m_db); }

int Database::schema_version() {
    std::lock_guard lock(m_mutex);
    return static_cast<int>(query_int(m_db, "PRAGMA user_version", "reading the schema version"));
}

std::string Database::integrity_check() {
    std::lock_guard lock(m_mutex);
    Statement st(m_db, "PRAGMA integrity_check", "checking the history database");
    std::string result;
    while (st.step()) {
        if (!result.empty()) result += '\n';
        result += st.text(0);
    }
    return result;
}

bool Database::checkpoint() {
    std::lock_guard lock(m_mutex);
    if (m_read_only) return true;
    const int rc = sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return false;
    if (rc != SQLITE_OK) detail::throw_sqlite(m_db, rc, "writing the history database");
    return true;
}

void Database::scrub() {
    std::lock_guard lock(m_mutex);
    if (m_read_only) return;
    // FTS deletes only add tombstones; 'optimize' rewrites the index without the deleted rows,
    // and secure_delete zeroes the freed pages and cells.
    exec(m_db,
         "INSERT INTO message_fts(message_fts) VALUES ('optimize');"
         "INSERT INTO title_fts(title_fts) VALUES ('optimize');",
         "erasing deleted text from the search index");
    const std::int64_t free_pages = query_int(m_db, "PRAGMA freelist_count", "reading the database size");
    const std::int64_t pages = query_int(m_db, "PRAGMA page_count", "reading the database size");
    if (free_pages * 4 > pages && pages > 64) {
        // Only about file size (freed pages are already zeroed), so a failure here (another
        // connection mid-read, no room for the temporary copy) must not fail the delete.
        try {
            exec(m_db, "VACUUM", "compacting the history database");
        } catch (const StorageError&) {}
    }
    checkpoint();
}

}  // namespace ponder::storage
