// export.h: conversations to Markdown/JSON and JSON back (the format is versioned and documented here).
#pragma once

#include "storage/database.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ponder::storage {

struct ExportOptions {
    bool include_reasoning = true;
    // Markdown only: true = every branch (indented tree), false = only the active path.
    bool all_branches = false;
};

// Markdown for reading: title, settings summary, then the messages of the active path
// (reasoning as a quoted "Thinking" block when included).
std::string export_markdown(Database& db, std::span<const std::int64_t> conversation_ids,
                            const ExportOptions& options = {});
std::string export_markdown_all(Database& db, const ExportOptions& options = {});

// JSON for backup and transfer; always holds the whole message tree:
// {"format":"ponder-history","version":1,"conversations":[{"title","created_at","updated_at",
//  "pinned","settings":{...},"current_leaf":<local id>,"messages":[{"id","parent","role",
//  "content","reasoning"?,"reasoning_ms","status","error","model","stats":{...},"created_at",
//  "updated_at"}]}]}. Message ids are local to the file; parents refer to them.
std::string export_json(Database& db, std::span<const std::int64_t> conversation_ids,
                        const ExportOptions& options = {});
std::string export_json_all(Database& db, const ExportOptions& options = {});

// Imports every conversation of an export_json() document as new conversations (new ids), in
// one transaction: all or nothing. Messages imported as Streaming become Interrupted. Throws
// StorageError(InvalidArgument) naming the offending conversation/message/key on bad input.
std::vector<std::int64_t> import_json(Database& db, const std::string& json_text);

}  // namespace ponder::storage
