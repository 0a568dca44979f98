// schema.h: every schema version's SQL and the migration steps between them (internal; tests use it).
#pragma once

#include <string_view>

struct sqlite3;

namespace ponder::storage::schema {

// Version 1: conversations (with per-chat settings) and messages as a tree. Kept verbatim forever:
// it is what fresh databases start from and what the migration tests build old files with.
extern const std::string_view kV1;
// Version 1 -> 2: models library table and the FTS5 search indexes (filled from existing rows).
extern const std::string_view kV1ToV2;

// Version 2 -> 3: what a reply's notices say (older messages left out for the context, thinking
// ended by the reasoning budget), so they are still shown when the chat is opened again.
extern const std::string_view kV2ToV3;

constexpr int kLatest = 3;

// Applies the single step `from` -> `from + 1` (from = 0 creates version 1) and sets
// user_version. The caller wraps all steps in one transaction.
void apply_step(sqlite3* db, int from);

}  // namespace ponder::storage::schema
