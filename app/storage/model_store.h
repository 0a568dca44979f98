// model_store.h: the models table: which model files Ponder knows, their identity and metadata.
#pragma once

#include "storage/database.h"
#include "storage/records.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ponder::storage {

// Cheap identity of a (multi-GB) model file: size, mtime and a 64-bit hash of its first and last
// MiB. Equal fingerprints across paths mean "the same file, moved". Throws StorageError(Io).
struct ModelIdentity {
    std::int64_t size_bytes = 0;
    std::int64_t mtime_ms = 0;
    std::string fingerprint;  // 16 hex digits, hashing size + first MiB + last MiB
};
ModelIdentity identify_model_file(const std::filesystem::path& path);

class ModelStore {
public:
    explicit ModelStore(Database& db) : m_db(db) {}

    // Adds or refreshes the model at `path`: identity, metadata, last_seen_at = now, missing = 0.
    // A known fingerprint at a new path (file moved) updates that row's path. Returns the row id.
    std::int64_t upsert(const std::filesystem::path& path, const ModelIdentity& identity,
                        const std::string& metadata_json = "{}");
    std::vector<ModelRecord> list();  // by path
    std::optional<ModelRecord> find_by_path(const std::filesystem::path& path);
    std::optional<ModelRecord> find_by_fingerprint(const std::string& fingerprint);
    void set_missing(std::int64_t id, bool missing);
    // After scanning the models folder: every model not in `seen_ids` is marked missing.
    void mark_missing_except(std::span<const std::int64_t> seen_ids);
    void remove(std::int64_t id);

private:
    Database& m_db;
};

}  // namespace ponder::storage
