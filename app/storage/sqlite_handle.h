// sqlite_handle.h: the small RAII layer over the SQLite C API used by the whole module (internal).
#pragma once

#include "storage/storage_error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace ponder::storage::detail {

// Turns a failed SQLite call into a StorageError whose message names the file and what was
// being done ("saving the message"), in words a user can act on.
[[noreturn]] void throw_sqlite(sqlite3* db, int rc, std::string_view doing);
ErrorKind kind_of(int sqlite_code);
std::string database_label(sqlite3* db);  // the file name, for messages

// Owns a sqlite3* (closed in the destructor).
class Connection {
public:
    Connection() = default;
    explicit Connection(sqlite3* db) : m_db(db) {}
    ~Connection();
    Connection(Connection&& other) noexcept : m_db(other.release()) {}
    Connection& operator=(Connection&& other) noexcept;
    sqlite3* get() const { return m_db; }
    sqlite3* release() {
        sqlite3* db = m_db;
        m_db = nullptr;
        return db;
    }
    void reset();

private:
    sqlite3* m_db = nullptr;
};

// One prepared statement. bind() indexes are 1-based like SQLite's; column() indexes 0-based.
class Statement {
public:
    // `doing` completes "Could not finish ..." in error messages, e.g. "saving the message".
    Statement(sqlite3* db, std::string_view sql, std::string_view doing = "a database operation");
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind_null(int index);
    template <class T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind_null(index);
    }

    bool step();  // true: a row is ready; false: done. Throws on error.
    void run() {
        while (step()) {}
    }              // executes to completion
    void reset();  // ready to step again (bindings kept)

    std::int64_t int64(int column) const;
    int int32(int column) const { return static_cast<int>(int64(column)); }
    double real(int column) const;
    std::string text(int column) const;
    bool is_null(int column) const;
    std::optional<std::int64_t> opt_int64(int column) const;
    std::optional<double> opt_real(int column) const;

    sqlite3_stmt* get() const { return m_stmt; }

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt = nullptr;
    std::string m_doing;
};

// Runs one or more statements without results (schema scripts, PRAGMAs).
void exec(sqlite3* db, std::string_view sql, std::string_view doing);
// The single integer or text a query returns (e.g. PRAGMA user_version).
std::int64_t query_int(sqlite3* db, std::string_view sql, std::string_view doing);
std::string query_text(sqlite3* db, std::string_view sql, std::string_view doing);

// BEGIN IMMEDIATE (take the write lock up front, so busy_timeout applies at the start rather
// than failing mid-transaction); rolls back unless commit() was called.
class Transaction {
public:
    explicit Transaction(sqlite3* db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    sqlite3* m_db;
    bool m_done = false;
};

}  // namespace ponder::storage::detail
