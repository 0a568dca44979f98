// search.cpp: FTS5 (trigram) search with a LIKE pass for 1-2 character terms, and snippet building.
#include "storage/search.h"

#include "storage/sqlite_handle.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace ponder::storage {

using detail::Statement;

namespace {

// Every term must match (FTS5 MATCH for terms of 3+ characters, which the trigram index can
// answer; LIKE for shorter ones, which it cannot). ?2 is a JSON array of LIKE patterns.
//
// note: bm25 costs a doclist and docsize read per matching row, so ranking every one of thousands
// of matches of a common word takes tens of ms. Only the kRankWindow newest matches are ranked:
// kFtsThreshold finds the rowid where that window starts (cheap: no ranking), and ?5 passes it
// on as a rowid range, which FTS5 applies inside the index scan.
constexpr int kRankWindow = 1000;
constexpr std::string_view kMessageFtsThreshold =
    "SELECT rowid FROM message_fts WHERE message_fts MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ?2";
constexpr std::string_view kTitleFtsThreshold =
    "SELECT rowid FROM title_fts WHERE title_fts MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ?2";
constexpr std::string_view kMessagesByFts =
    "SELECT rowid, bm25(message_fts, 1.0, 0.5) AS score FROM message_fts "
    "WHERE message_fts MATCH ?1 AND rowid >= ?5 ORDER BY score LIMIT ?4";
constexpr std::string_view kMessagesByFtsAndLike =
    "WITH hits AS (SELECT rowid AS id, bm25(message_fts, 1.0, 0.5) AS score FROM message_fts "
    "              WHERE message_fts MATCH ?1 AND rowid >= ?5) "
    "SELECT h.id, h.score FROM hits h JOIN messages m ON m.id = h.id "
    "WHERE NOT EXISTS (SELECT 1 FROM json_each(?2) j WHERE NOT (m.content LIKE j.value ESCAPE '\\' "
    "                  OR (?3 AND m.reasoning LIKE j.value ESCAPE '\\'))) "
    "ORDER BY h.score LIMIT ?4";
constexpr std::string_view kMessagesByScan =
    "SELECT m.id, 0.0 FROM messages m WHERE m.status <> 'streaming' "
    "AND NOT EXISTS (SELECT 1 FROM json_each(?2) j WHERE NOT (m.content LIKE j.value ESCAPE '\\' "
    "                OR (?3 AND m.reasoning LIKE j.value ESCAPE '\\'))) "
    "ORDER BY m.updated_at DESC, m.id DESC LIMIT ?4";
constexpr std::string_view kTitlesByFts =
    "WITH hits AS (SELECT rowid AS id, bm25(title_fts) AS score FROM title_fts "
    "              WHERE title_fts MATCH ?1 AND rowid >= ?5) "
    "SELECT h.id, h.score FROM hits h JOIN conversations c ON c.id = h.id "
    "WHERE NOT EXISTS (SELECT 1 FROM json_each(?2) j WHERE NOT (c.title LIKE j.value ESCAPE '\\')) "
    "ORDER BY h.score LIMIT ?3";
constexpr std::string_view kTitlesByScan =
    "SELECT c.id, 0.0 FROM conversations c "
    "WHERE NOT EXISTS (SELECT 1 FROM json_each(?2) j WHERE NOT (c.title LIKE j.value ESCAPE '\\')) "
    "ORDER BY c.updated_at DESC LIMIT ?3";
constexpr std::string_view kMessageDetail =
    "SELECT m.conversation_id, c.title, c.updated_at, m.content, m.reasoning "
    "FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ?1";
constexpr std::string_view kTitleDetail = "SELECT title, updated_at FROM conversations WHERE id = ?1";

std::size_t code_points(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Splits on spaces (ASCII and U+3000); "double quotes" keep a phrase together; a trailing '*'
// (prefix syntax users know from other search boxes) is dropped since every term is a substring.
std::vector<std::string> split_terms(std::string_view query) {
    std::vector<std::string> terms;
    std::string current;
    bool quoted = false;
    auto flush = [&] {
        while (!current.empty() && current.back() == '*') current.pop_back();
        if (!current.empty()) terms.push_back(current);
        current.clear();
    };
    for (std::size_t i = 0; i < query.size(); ++i) {
        const char c = query[i];
        if (c == '"') {
            flush();
            quoted = !quoted;
        } else if (!quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
            flush();
        } else if (!quoted && query.substr(i, 3) == "\xE3\x80\x80") {  // ideographic space
            flush();
            i += 2;
        } else {
            current += c;
        }
    }
    flush();
    return terms;
}

struct Plan {
    std::vector<std::string> lowered;  // every term, ASCII-lowered (for snippets)
    std::string fts_messages;          // MATCH expression for message_fts ("" = none)
    std::string fts_titles;            // MATCH expression for title_fts
    std::string like_patterns;         // JSON array of LIKE patterns for short terms
};

std::string fts_phrase(const std::string& term) {
    std::string out = "\"";
    for (char c : term) {
        out += c;
        if (c == '"') out += '"';
    }
    return out + "\"";
}

std::string like_pattern(const std::string& term) {
    std::string out = "%";
    for (char c : term) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out + "%";
}

Plan make_plan(std::string_view query, bool include_reasoning) {
    Plan plan;
    nlohmann::json patterns = nlohmann::json::array();
    for (const std::string& term : split_terms(query)) {
        plan.lowered.push_back(ascii_lower(term));
        if (code_points(term) >= 3) {
            const std::string phrase = fts_phrase(term);
            auto join = [](std::string& into, const std::string& part) {
                into += into.empty() ? part : " AND " + part;
            };
            join(plan.fts_messages, include_reasoning ? phrase : "{content} : " + phrase);
            join(plan.fts_titles, phrase);
        } else {
            patterns.push_back(like_pattern(term));
        }
    }
    // note: invalid UTF-8 in a query must not throw; 'replace' keeps the rest searchable.
    plan.like_patterns = patterns.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return plan;
}

// Moves back to the start of a UTF-8 sequence.
std::size_t char_start(std::string_view s, std::size_t i) {
    while (i > 0 && i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
    return i;
}

std::size_t advance_chars(std::string_view s, std::size_t i, std::size_t n) {
    while (i < s.size() && n > 0) {
        ++i;
        while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
        --n;
    }
    return i;
}

bool contains_all(const std::string& lowered_text, const std::vector<std::string>& terms) {
    return std::all_of(terms.begin(), terms.end(),
                       [&](const std::string& t) { return lowered_text.find(t) != std::string::npos; });
}

// The smallest rowid of the kRankWindow newest matches (0 when there are fewer).
std::int64_t rank_window_start(sqlite3* db, std::string_view sql, const std::string& match) {
    Statement st(db, sql, "searching the history");
    st.bind(1, match).bind(2, kRankWindow - 1);
    return st.step() ? st.int64(0) : 0;
}

}  // namespace

// Text around the first match, every match wrapped in the markers, line breaks flattened.
static std::string make_snippet(std::string_view text, const std::vector<std::string>& lowered_terms,
                                const SearchOptions& options) {
    const std::string lower = ascii_lower(text);
    std::size_t first = std::string::npos;
    for (const std::string& t : lowered_terms)
        if (!t.empty()) first = std::min(first, lower.find(t));
    const std::size_t width = static_cast<std::size_t>(std::max(options.snippet_chars, 16));
    std::size_t begin = 0;
    if (first != std::string::npos) {
        // Start about a third of the width before the match (counted in characters).
        std::size_t back = first, steps = width / 3;
        while (back > 0 && steps > 0) {
            back = char_start(text, back - 1);
            --steps;
        }
        begin = back;
    }
    const std::size_t end = advance_chars(text, begin, width);
    std::string out = begin > 0 ? "\xE2\x80\xA6" : "";  // …
    for (std::size_t i = begin; i < end;) {
        std::size_t match = 0;
        for (const std::string& t : lowered_terms)
            if (!t.empty() && t.size() > match && lower.compare(i, t.size(), t) == 0) match = t.size();
        if (match > 0) {
            out += options.highlight_open;
            out.append(text.substr(i, match));
            out += options.highlight_close;
            i += match;
        } else {
            const char c = text[i];
            out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
            ++i;
        }
    }
    if (end < text.size()) out += "\xE2\x80\xA6";
    return out;
}

std::vector<SearchHit> search(Database& db, std::string_view query, const SearchOptions& options) {
    const Plan plan = make_plan(query, options.include_reasoning);
    if (plan.lowered.empty() || options.limit <= 0) return {};
    std::lock_guard lock(db.mutex());
    sqlite3* handle = db.handle();
    std::vector<SearchHit> hits;

    // Title hits first: a chat whose name matches is the likeliest thing the user is looking for.
    if (options.include_titles) {
        const bool fts = !plan.fts_titles.empty();
        Statement st(handle, fts ? kTitlesByFts : kTitlesByScan, "searching the history");
        if (fts) st.bind(1, plan.fts_titles).bind(5, rank_window_start(handle, kTitleFtsThreshold, plan.fts_titles));
        st.bind(2, plan.like_patterns).bind(3, options.limit);
        Statement detail(handle, kTitleDetail, "searching the history");
        while (st.step()) {
            SearchHit hit;
            hit.conversation_id = st.int64(0);
            hit.score = st.real(1);
            hit.field = SearchField::Title;
            detail.reset();
            detail.bind(1, hit.conversation_id);
            if (detail.step()) {
                hit.conversation_title = detail.text(0);
                hit.updated_at = detail.int64(1);
                hit.snippet = make_snippet(hit.conversation_title, plan.lowered, options);
            }
            hits.push_back(std::move(hit));
        }
    }

    const int remaining = options.limit - static_cast<int>(hits.size());
    if (remaining <= 0) return hits;
    const bool fts = !plan.fts_messages.empty();
    const bool like = plan.like_patterns != "[]";
    Statement st(handle,
                 !fts   ? kMessagesByScan
                 : like ? kMessagesByFtsAndLike
                        : kMessagesByFts,
                 "searching the history");
    if (fts) st.bind(1, plan.fts_messages).bind(5, rank_window_start(handle, kMessageFtsThreshold, plan.fts_messages));
    if (like || !fts) st.bind(2, plan.like_patterns).bind(3, options.include_reasoning);
    st.bind(4, remaining);
    Statement detail(handle, kMessageDetail, "searching the history");
    while (st.step()) {
        SearchHit hit;
        hit.message_id = st.int64(0);
        hit.score = st.real(1);
        detail.reset();
        detail.bind(1, *hit.message_id);
        if (!detail.step()) continue;
        hit.conversation_id = detail.int64(0);
        hit.conversation_title = detail.text(1);
        hit.updated_at = detail.int64(2);
        const std::string content = detail.text(3);
        const bool in_content = contains_all(ascii_lower(content), plan.lowered);
        if (!in_content && options.include_reasoning) {
            hit.field = SearchField::Reasoning;
            hit.snippet = make_snippet(detail.text(4), plan.lowered, options);
        } else {
            hit.field = SearchField::Content;
            hit.snippet = make_snippet(content, plan.lowered, options);
        }
        hits.push_back(std::move(hit));
    }
    return hits;
}

}  // namespace ponder::storage
