// sqlite_handle.cpp: RAII wrappers over the SQLite C API and the mapping of its errors to StorageError.
#include "storage/sqlite_handle.h"

#include <sqlite3.h>

#include <filesystem>

namespace ponder::storage::detail {

ErrorKind kind_of(int sqlite_code) {
    switch (sqlite_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return ErrorKind::Busy;
    case SQLITE_READONLY: return ErrorKind::ReadOnly;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return ErrorKind::Corrupt;
    case SQLITE_FULL: return ErrorKind::DiskFull;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
    case SQLITE_PROTOCOL: return ErrorKind::Io;
    case SQLITE_NOTFOUND: return ErrorKind::NotFound;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE: return ErrorKind::InvalidArgument;
    default: return ErrorKind::Internal;
    }
}

std::string database_label(sqlite3* db) {
    const char* name = db ? sqlite3_db_filename(db, "main") : nullptr;
    if (!name || !*name) return "the history database";
    return "the history database " + std::string(name);
}

void throw_sqlite(sqlite3* db, int rc, std::string_view doing) {
    const std::string where = database_label(db);
    const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    const ErrorKind kind = kind_of(rc);
    std::string message;
    switch (kind) {
    case ErrorKind::Busy:
        message = "Could not finish " + std::string(doing) + ": " + where +
                  " is locked by another program or window. Close it and try again.";
        break;
    case ErrorKind::ReadOnly:
        message = "Could not finish " + std::string(doing) + ": " + where +
                  " is read-only. Check the file and folder permissions.";
        break;
    case ErrorKind::Corrupt: message = "Could not finish " + std::string(doing) + ": " + where + " is damaged."; break;
    case ErrorKind::DiskFull:
        message = "Could not finish " + std::string(doing) + ": the disk holding " + where +
                  " is full. Free some space and try again; what was already saved is kept.";
        break;
    case ErrorKind::Io:
        message = "Could not finish " + std::string(doing) + ": the system could not read or write " + where + ".";
        break;
    default: message = "Could not finish " + std::string(doing) + " in " + where + "."; break;
    }
    message += " (SQLite: " + detail + ")";
    throw StorageError(kind, message, rc);
}

Connection::~Connection() { reset(); }

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        reset();
        m_db = other.release();
    }
    return *this;
}

void Connection::reset() {
    if (m_db) {
        // close_v2 defers the close until any forgotten statement is finalized, never fails.
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

Statement::Statement(sqlite3* db, std::string_view sql, std::string_view doing) : m_db(db), m_doing(doing) {
    const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr);
    if (rc != SQLITE_OK) throw_sqlite(db, rc, m_doing);
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

static void check_bind(sqlite3* db, int rc) {
    if (rc != SQLITE_OK) throw_sqlite(db, rc, "passing a value to the database");
}

Statement& Statement::bind(int index, std::int64_t value) {
    check_bind(m_db, sqlite3_bind_int64(m_stmt, index, value));
    return *this;
}

Statement& Statement::bind(int index, double value) {
    check_bind(m_db, sqlite3_bind_double(m_stmt, index, value));
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    // SQLITE_TRANSIENT: SQLite copies, so callers may pass temporaries.
    check_bind(m_db, sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
}

Statement& Statement::bind_null(int index) {
    check_bind(m_db, sqlite3_bind_null(m_stmt, index));
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(m_stmt);  // leaves the statement reusable after e.g. SQLITE_BUSY
    throw_sqlite(m_db, rc, m_doing);
}

void Statement::reset() { sqlite3_reset(m_stmt); }

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(m_stmt, column); }
double Statement::real(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string Statement::text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

bool Statement::is_null(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

std::optional<std::int64_t> Statement::opt_int64(int column) const {
    if (is_null(column)) return std::nullopt;
    return int64(column);
}

std::optional<double> Statement::opt_real(int column) const {
    if (is_null(column)) return std::nullopt;
    return real(column);
}

void exec(sqlite3* db, std::string_view sql, std::string_view doing) {
    const std::string copy(sql);  // sqlite3_exec wants a NUL-terminated string
    const int rc = sqlite3_exec(db, copy.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) throw_sqlite(db, rc, doing);
}

std::int64_t query_int(sqlite3* db, std::string_view sql, std::string_view doing) {
    Statement st(db, sql, doing);
    return st.step() ? st.int64(0) : 0;
}

std::string query_text(sqlite3* db, std::string_view sql, std::string_view doing) {
    Statement st(db, sql, doing);
    return st.step() ? st.text(0) : std::string();
}

Transaction::Transaction(sqlite3* db) : m_db(db) { exec(db, "BEGIN IMMEDIATE", "starting a transaction"); }

Transaction::~Transaction() {
    if (!m_done) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    exec(m_db, "COMMIT", "saving changes");
    m_done = true;
}

}  // namespace ponder::storage::detail
