// model_store.cpp: model file identity (size + mtime + hash of the ends) and the models table.
#include "storage/model_store.h"

#include "storage/sqlite_handle.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <vector>

namespace ponder::storage {

namespace fs = std::filesystem;
using detail::Statement;

namespace {

#define PONDER_MODEL_SELECT \
    "SELECT id, path, size_bytes, mtime_ms, fingerprint, metadata, added_at, last_seen_at, missing FROM models "
constexpr std::string_view kByPath = PONDER_MODEL_SELECT "WHERE path = ?1";
constexpr std::string_view kByFingerprint = PONDER_MODEL_SELECT "WHERE fingerprint = ?1 ORDER BY missing DESC, id";
constexpr std::string_view kList = PONDER_MODEL_SELECT "ORDER BY path";
constexpr std::string_view kUpdate =
    "UPDATE models SET path = ?2, size_bytes = ?3, mtime_ms = ?4, fingerprint = ?5, metadata = ?6, "
    "last_seen_at = ?7, missing = 0 WHERE id = ?1";
constexpr std::string_view kInsert =
    "INSERT INTO models (path, size_bytes, mtime_ms, fingerprint, metadata, added_at, last_seen_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)";
constexpr std::string_view kSetMissing = "UPDATE models SET missing = ?2 WHERE id = ?1";
constexpr std::string_view kMarkAllMissing = "UPDATE models SET missing = 1";
constexpr std::string_view kMarkPresent = "UPDATE models SET missing = 0 WHERE id = ?1";
constexpr std::string_view kRemove = "DELETE FROM models WHERE id = ?1";

constexpr std::size_t kEdgeBytes = 1 << 20;

// FNV-1a, 64-bit: identity, not security; stable across platforms and releases.
struct Fnv1a {
    std::uint64_t h = 0xcbf29ce484222325ull;
    void add(const unsigned char* data, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            h ^= data[i];
            h *= 0x100000001b3ull;
        }
    }
};

ModelRecord read_model(const Statement& st) {
    ModelRecord r;
    r.id = st.int64(0);
    r.path = st.text(1);
    r.size_bytes = st.int64(2);
    r.mtime_ms = st.int64(3);
    r.fingerprint = st.text(4);
    r.metadata_json = st.text(5);
    r.added_at = st.int64(6);
    r.last_seen_at = st.int64(7);
    r.missing = st.int64(8) != 0;
    return r;
}

std::optional<ModelRecord> find_one(sqlite3* db, std::string_view sql, const std::string& key) {
    Statement st(db, sql, "reading the models library");
    st.bind(1, key);
    if (!st.step()) return std::nullopt;
    return read_model(st);
}

}  // namespace

ModelIdentity identify_model_file(const fs::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
        throw StorageError(ErrorKind::Io, "Cannot read the model file " + path.string() + ".");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw StorageError(ErrorKind::Io, "Cannot open the model file " + path.string() + ".");
    ModelIdentity id;
    id.size_bytes = static_cast<std::int64_t>(info.st_size);
    id.mtime_ms = static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000 + info.st_mtim.tv_nsec / 1000000;

    Fnv1a hash;
    std::array<unsigned char, 8> size_bytes{};
    for (int i = 0; i < 8; ++i)
        size_bytes[static_cast<std::size_t>(i)] =
            static_cast<unsigned char>(static_cast<std::uint64_t>(id.size_bytes) >> (8 * i));
    hash.add(size_bytes.data(), size_bytes.size());
    const std::size_t size = static_cast<std::size_t>(id.size_bytes);
    std::vector<unsigned char> buffer(std::min(size, kEdgeBytes));
    in.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(buffer.size()));
    if (!in) throw StorageError(ErrorKind::Io, "Cannot read the model file " + path.string() + ".");
    hash.add(buffer.data(), buffer.size());
    if (size > kEdgeBytes) {
        const std::size_t tail_start = std::max(kEdgeBytes, size - kEdgeBytes);
        buffer.resize(size - tail_start);
        in.seekg(static_cast<std::streamoff>(tail_start));
        in.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(buffer.size()));
        if (!in) throw StorageError(ErrorKind::Io, "Cannot read the end of the model file " + path.string() + ".");
        hash.add(buffer.data(), buffer.size());
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash.h));
    id.fingerprint = hex;
    return id;
}

std::int64_t ModelStore::upsert(const fs::path& path, const ModelIdentity& identity, const std::string& metadata_json) {
    std::lock_guard lock(m_db.mutex());
    sqlite3* db = m_db.handle();
    detail::Transaction tx(db);
    std::optional<std::int64_t> row;
    if (auto r = find_one(db, kByPath, path.string()))
        row = r->id;
    else if (auto moved = find_one(db, kByFingerprint, identity.fingerprint)) {
        std::error_code ec;
        if (moved->missing || !fs::exists(moved->path, ec))
            row = moved->id;  // same file at a new place: keep its row (and its added_at)
    }
    const std::int64_t now = now_ms();
    if (row) {
        Statement st(db, kUpdate, "saving the model");
        st.bind(1, *row)
            .bind(2, path.string())
            .bind(3, identity.size_bytes)
            .bind(4, identity.mtime_ms)
            .bind(5, identity.fingerprint)
            .bind(6, metadata_json)
            .bind(7, now)
            .run();
    } else {
        Statement st(db, kInsert, "saving the model");
        st.bind(1, path.string())
            .bind(2, identity.size_bytes)
            .bind(3, identity.mtime_ms)
            .bind(4, identity.fingerprint)
            .bind(5, metadata_json)
            .bind(6, now)
            .run();
        row = sqlite3_last_insert_rowid(db);
    }
    tx.commit();
    return *row;
}

std::vector<ModelRecord> ModelStore::list() {
    std::lock_guard lock(m_db.mutex());
    Statement st(m_db.handle(), kList, "reading the models library");
    std::vector<ModelRecord> out;
    while (st.step()) out.push_back(read_model(st));
    return out;
}

std::optional<ModelRecord> ModelStore::find_by_path(const fs::path& path) {
    std::lock_guard lock(m_db.mutex());
    return find_one(m_db.handle(), kByPath, path.string());
}

std::optional<ModelRecord> ModelStore::find_by_fingerprint(const std::string& fingerprint) {
    std::lock_guard lock(m_db.mutex());
    return find_one(m_db.handle(), kByFingerprint, fingerprint);
}

void ModelStore::set_missing(std::int64_t id, bool missing) {
    std::lock_guard lock(m_db.mutex());
    Statement(m_db.handle(), kSetMissing, "updating the models library").bind(1, id).bind(2, missing).run();
    if (sqlite3_changes(m_db.handle()) == 0)
        throw StorageError(ErrorKind::NotFound, "There is no model with id " + std::to_string(id) + " in the library.");
}

void ModelStore::mark_missing_except(std::span<const std::int64_t> seen_ids) {
    std::lock_guard lock(m_db.mutex());
    detail::Transaction tx(m_db.handle());
    Statement(m_db.handle(), kMarkAllMissing, "updating the models library").run();
    Statement present(m_db.handle(), kMarkPresent, "updating the models library");
    for (std::int64_t id : seen_ids) {
        present.reset();
        present.bind(1, id).run();
    }
    tx.commit();
}

void ModelStore::remove(std::int64_t id) {
    std::lock_guard lock(m_db.mutex());
    Statement(m_db.handle(), kRemove, "removing the model").bind(1, id).run();
}

}  // namespace ponder::storage
