// import.cpp: reads an export_json() document back as new conversations, all or nothing.
#include "storage/export.h"

#include "storage/records.h"
#include "storage/sqlite_handle.h"

#include <nlohmann/json.hpp>

#include <sqlite3.h>

#include <limits>
#include <map>
#include <type_traits>

namespace ponder::storage {

using detail::Statement;
using json = nlohmann::json;

namespace {

constexpr std::string_view kInsertConversation =
    "INSERT INTO conversations (title, created_at, updated_at, pinned, model, system_prompt, temperature, "
    "top_p, top_k, min_p, repeat_penalty, seed, max_tokens, reasoning_enabled, reasoning_budget) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
constexpr std::string_view kInsertMessage =
    "INSERT INTO messages (conversation_id, parent_id, role, content, reasoning, reasoning_ms, status, error, "
    "model, prompt_tokens, generated_tokens, reasoning_tokens, ttft_ms, tokens_per_s, backend, created_at, "
    "updated_at, dropped_messages, reasoning_budget_reached) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";
constexpr std::string_view kParentOf = "SELECT parent_id FROM messages WHERE id = ?1";
constexpr std::string_view kRememberChild = "UPDATE messages SET selected_child_id = ?2 WHERE id = ?1";
constexpr std::string_view kSetLeaf = "UPDATE conversations SET current_leaf_id = ?2 WHERE id = ?1";

[[noreturn]] void bad(const std::string& where, const std::string& why) {
    throw StorageError(ErrorKind::InvalidArgument, "The file cannot be imported: " + where + ": " + why + ".");
}

// A value of the wrong type or range; import_json() adds where it was.
struct BadValue {
    std::string message;
};

template <class T>
T checked_get(const json& value, const char* key) {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        // Integers only, in range: a float such as 1e300 must not be cast (undefined behaviour).
        if (!value.is_number_integer()) throw BadValue{std::string("\"") + key + "\" must be an integer"};
        if (value.is_number_unsigned()
                ? value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<T>::max())
                : (value.get<std::int64_t>() < std::numeric_limits<T>::min() ||
                   value.get<std::int64_t>() > std::numeric_limits<T>::max()))
            throw BadValue{std::string("\"") + key + "\" is out of range"};
    }
    return value.get<T>();
}

template <class T>
T get_or(const json& object, const char* key, T fallback) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return fallback;
    return checked_get<T>(*it, key);
}

template <class T>
std::optional<T> get_opt(const json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return std::nullopt;
    return checked_get<T>(*it, key);
}

std::int64_t import_conversation(sqlite3* db, const json& jc, const std::string& where) {
    if (!jc.is_object()) bad(where, "expected an object");
    const std::int64_t now = now_ms();
    const json settings = jc.contains("settings") ? jc.at("settings") : json::object();
    const json sampling = settings.contains("sampling") ? settings.at("sampling") : json::object();
    if (!settings.is_object() || !sampling.is_object()) bad(where, "\"settings\" must be an object");
    const std::int64_t created = get_or<std::int64_t>(jc, "created_at", now);
    Statement insert(db, kInsertConversation, "importing conversations");
    insert.bind(1, get_or<std::string>(jc, "title", ""))
        .bind(2, created)
        .bind(3, get_or<std::int64_t>(jc, "updated_at", created))
        .bind(4, get_or<bool>(jc, "pinned", false))
        .bind(5, get_or<std::string>(settings, "model", ""))
        .bind(6, get_or<std::string>(settings, "system_prompt", ""))
        .bind(7, get_opt<double>(sampling, "temperature"))
        .bind(8, get_opt<double>(sampling, "top_p"))
        .bind(9, get_opt<int>(sampling, "top_k"))
        .bind(10, get_opt<double>(sampling, "min_p"))
        .bind(11, get_opt<double>(sampling, "repeat_penalty"))
        .bind(12, get_opt<std::int64_t>(sampling, "seed"))
        .bind(13, get_opt<int>(sampling, "max_tokens"))
        .bind(14, get_or<bool>(settings, "reasoning_enabled", true))
        .bind(15, get_or<int>(settings, "reasoning_budget", -1))
        .run();
    const std::int64_t conversation_id = sqlite3_last_insert_rowid(db);

    const json messages = jc.contains("messages") ? jc.at("messages") : json::array();
    if (!messages.is_array()) bad(where, "\"messages\" must be an array");
    // Parents may come after children in a hand-edited file: insert in passes until all placed.
    std::map<std::int64_t, std::int64_t> new_id;  // file id -> row id
    std::vector<bool> placed(messages.size(), false);
    std::size_t remaining = messages.size();
    Statement msg(db, kInsertMessage, "importing conversations");
    while (remaining > 0) {
        std::size_t progress = 0;
        for (std::size_t i = 0; i < messages.size(); ++i) {
            if (placed[i]) continue;
            const json& jm = messages[i];
            const std::string at = where + ", message " + std::to_string(i + 1);
            if (!jm.is_object()) bad(at, "expected an object");
            if (!jm.contains("id")) bad(at, "missing \"id\"");
            const auto file_id = checked_get<std::int64_t>(jm.at("id"), "id");
            const auto parent = get_opt<std::int64_t>(jm, "parent");
            if (parent && !new_id.count(*parent)) continue;  // parent not placed yet
            if (new_id.count(file_id)) bad(at, "duplicate message id " + std::to_string(file_id));
            const auto role = parse_role(get_or<std::string>(jm, "role", ""));
            if (!role) bad(at, "\"role\" must be system, user or assistant");
            auto status = parse_message_status(get_or<std::string>(jm, "status", "complete"));
            if (!status) bad(at, "unknown \"status\"");
            if (*status == MessageStatus::Streaming) status = MessageStatus::Interrupted;
            const json stats = jm.contains("stats") ? jm.at("stats") : json::object();
            if (!stats.is_object()) bad(at, "\"stats\" must be an object");
            const std::int64_t created_at = get_or<std::int64_t>(jm, "created_at", now);
            msg.reset();
            msg.bind(1, conversation_id)
                .bind(2, parent ? std::optional<std::int64_t>(new_id[*parent]) : std::nullopt)
                .bind(3, to_string(*role))
                .bind(4, get_or<std::string>(jm, "content", ""))
                .bind(5, get_or<std::string>(jm, "reasoning", ""))
                .bind(6, get_or<std::int64_t>(jm, "reasoning_ms", 0))
                .bind(7, to_string(*status))
                .bind(8, get_or<std::string>(jm, "error", ""))
                .bind(9, get_or<std::string>(jm, "model", ""))
                .bind(10, get_or<int>(stats, "prompt_tokens", 0))
                .bind(11, get_or<int>(stats, "generated_tokens", 0))
                .bind(12, get_or<int>(stats, "reasoning_tokens", 0))
                .bind(13, get_or<double>(stats, "ttft_ms", 0))
                .bind(14, get_or<double>(stats, "tokens_per_s", 0))
                .bind(15, get_or<std::string>(stats, "backend", ""))
                .bind(16, created_at)
                .bind(17, get_or<std::int64_t>(jm, "updated_at", created_at))
                .bind(18, get_or<int>(stats, "dropped_messages", 0))
                .bind(19, get_or<bool>(stats, "reasoning_budget_reached", false) ? 1 : 0)
                .run();
            new_id[file_id] = sqlite3_last_insert_rowid(db);
            placed[i] = true;
            --remaining;
            ++progress;
        }
        if (progress == 0) bad(where, "a message refers to a parent that is not in the file (or parents form a cycle)");
    }

    // Restore the selected branch, remembering the choice at every level like select_message().
    if (const auto leaf = get_opt<std::int64_t>(jc, "current_leaf"); leaf && new_id.count(*leaf)) {
        const std::int64_t leaf_row = new_id[*leaf];
        Statement(db, kSetLeaf, "importing conversations").bind(1, conversation_id).bind(2, leaf_row).run();
        Statement parent_of(db, kParentOf, "importing conversations");
        Statement remember(db, kRememberChild, "importing conversations");
        std::int64_t node = leaf_row;
        for (;;) {
            parent_of.reset();
            parent_of.bind(1, node);
            if (!parent_of.step() || parent_of.is_null(0)) break;
            const std::int64_t parent = parent_of.int64(0);
            remember.reset();
            remember.bind(1, parent).bind(2, node).run();
            node = parent;
        }
    }
    return conversation_id;
}

}  // namespace

std::vector<std::int64_t> import_json(Database& db, const std::string& json_text) {
    json doc;
    try {
        doc = json::parse(json_text);
    } catch (const json::exception& e) {
        bad("the JSON", e.what());
    }
    if (!doc.is_object() || doc.value("format", std::string()) != "ponder-history")
        bad("the document", "it is not a Ponder history export (\"format\" is not \"ponder-history\")");
    if (!doc.contains("version") || !doc.at("version").is_number_integer() || doc.at("version").get<int>() != 1)
        bad("the document", "unsupported \"version\" (this Ponder reads version 1)");
    if (!doc.contains("conversations") || !doc.at("conversations").is_array())
        bad("the document", "\"conversations\" must be an array");

    std::lock_guard lock(db.mutex());
    detail::Transaction tx(db.handle());
    std::vector<std::int64_t> ids;
    const json& list = doc.at("conversations");
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string where = "conversation " + std::to_string(i + 1);
        try {
            ids.push_back(import_conversation(db.handle(), list[i], where));
        } catch (const json::exception& e) {
            bad(where, e.what());  // a value of the wrong type
        } catch (const BadValue& e) {
            bad(where, e.message);
        }
    }
    tx.commit();
    return ids;
}

}  // namespace ponder::storage
