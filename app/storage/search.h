// search.h: full-text search over all conversations (answers, optional reasoning, titles), CJK included.
#pragma once

#include "storage/database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ponder::storage {

enum class SearchField { Title, Content, Reasoning };

struct SearchOptions {
    bool include_reasoning = false;
    bool include_titles = true;
    int limit = 50;
    // Markers put around matches in snippets. Defaults are the control characters STX/ETX, which
    // never occur in chat text: escape the snippet for display (e.g. HTML), then replace them.
    std::string highlight_open = "\x02";
    std::string highlight_close = "\x03";
    int snippet_chars = 160;  // roughly how long a snippet is
};

struct SearchHit {
    std::int64_t conversation_id = 0;
    std::optional<std::int64_t> message_id;  // nullopt for a title hit
    std::string conversation_title;
    SearchField field = SearchField::Content;
    std::string snippet;  // text around the match, matches wrapped in markers
    double score = 0;     // lower is better (bm25); hits come sorted best first
    std::int64_t updated_at = 0;
};

// Query syntax: words separated by spaces must all occur (AND), each as a case-insensitive
// substring, so "quantiz" finds "quantization" (prefix matching; a trailing '*' is accepted).
// "double quotes" group a phrase. Chinese/Japanese/Korean text works without spaces: "量子计算".
// One- and two-character terms (common in Chinese: "量子") are matched too. Empty query: no hits.
// Throws StorageError only for database failures, never for odd query text.
std::vector<SearchHit> search(Database& db, std::string_view query, const SearchOptions& options = {});

}  // namespace ponder::storage
