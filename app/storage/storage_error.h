// storage_error.h: the one exception type the history database throws, with a kind the app can act on.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace ponder::storage {

enum class ErrorKind {
    Busy,             // another program holds the database locked beyond busy_timeout
    ReadOnly,         // file, folder or connection is read-only
    Corrupt,          // the file is damaged or not a database
    DiskFull,         // no space left (or the page limit was reached)
    TooNew,           // written by a newer Ponder: refused, left untouched
    Io,               // the operating system failed a read/write/open
    NotFound,         // a conversation/message/model id that does not exist
    InvalidArgument,  // bad input from the caller (e.g. malformed import JSON)
    Internal,         // anything else SQLite reported (a bug: message carries SQLite's text)
};

std::string_view to_string(ErrorKind kind);

// what() is a complete, user-readable sentence (it names the database file where relevant);
// sqlite_code() is SQLite's extended result code, or 0 when the error did not come from SQLite.
class StorageError : public std::runtime_error {
public:
    StorageError(ErrorKind kind, const std::string& message, int sqlite_code = 0)
        : std::runtime_error(message), m_kind(kind), m_sqlite_code(sqlite_code) {}
    ErrorKind kind() const { return m_kind; }
    int sqlite_code() const { return m_sqlite_code; }

private:
    ErrorKind m_kind;
    int m_sqlite_code;
};

}  // namespace ponder::storage
