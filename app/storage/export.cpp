// export.cpp: conversations to Markdown (for reading) and to JSON (for backup; import.cpp reads it).
#include "storage/export.h"

#include "storage/history_rows.h"
#include "storage/history_store.h"

#include <nlohmann/json.hpp>

#include <ctime>
#include <filesystem>
#include <functional>
#include <map>

namespace ponder::storage {

using detail::Statement;
using json = nlohmann::json;

namespace {

constexpr std::string_view kAllConversationIds = "SELECT id FROM conversations ORDER BY created_at, id";

std::vector<std::int64_t> all_ids(Database& db) {
    std::lock_guard lock(db.mutex());
    Statement st(db.handle(), kAllConversationIds, "exporting the history");
    std::vector<std::int64_t> ids;
    while (st.step()) ids.push_back(st.int64(0));
    return ids;
}

Conversation require(HistoryStore& store, std::int64_t id) {
    auto c = store.conversation(id);
    if (!c)
        throw StorageError(ErrorKind::NotFound,
                           "There is no conversation with id " + std::to_string(id) + " to export.");
    return *c;
}

std::string utc_time(std::int64_t ms) {
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buffer[40];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M UTC", &tm);
    return buffer;
}

std::string quote_block(const std::string& text) {
    std::string out = "> ";
    for (char c : text) {
        out += c;
        if (c == '\n') out += "> ";
    }
    return out;
}

std::string role_heading(Role role) {
    switch (role) {
    case Role::System: return "System";
    case Role::User: return "User";
    case Role::Assistant: return "Assistant";
    }
    return "User";
}

// A model is stored by its local path; an exported chat is shared, so it names only the file.
std::string model_label(const std::string& model) {
    const std::string name = std::filesystem::path(model).filename().string();
    return name.empty() ? model : name;
}

void markdown_message(std::string& out, const Message& m, int sibling_index, int sibling_count,
                      const ExportOptions& options) {
    out += "### " + role_heading(m.role);
    if (!m.model.empty()) out += " (" + model_label(m.model) + ")";
    if (sibling_count > 1)
        out += " · branch " + std::to_string(sibling_index + 1) + "/" + std::to_string(sibling_count);
    out += "\n\n";
    if (options.include_reasoning && !m.reasoning.empty()) {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.1f", static_cast<double>(m.reasoning_ms) / 1000.0);
        out += "> **Thinking** (" + std::string(seconds) + " s)\n>\n" + quote_block(m.reasoning) + "\n\n";
    }
    out += m.content + "\n\n";
    if (m.status != MessageStatus::Complete) {
        out += "*(" + std::string(to_string(m.status));
        if (!m.error.empty()) out += ": " + m.error;
        out += ")*\n\n";
    }
}

void markdown_conversation(std::string& out, HistoryStore& store, std::int64_t id, const ExportOptions& options) {
    const Conversation c = require(store, id);
    out += "# " + (c.title.empty() ? std::string("Untitled conversation") : c.title) + "\n\n";
    out += "*Created " + utc_time(c.created_at) + ", updated " + utc_time(c.updated_at);
    if (!c.settings.model.empty()) out += " · model " + model_label(c.settings.model);
    out += "*\n\n";
    if (!c.settings.system_prompt.empty())
        out += "**System prompt:**\n\n" + quote_block(c.settings.system_prompt) + "\n\n";
    if (!options.all_branches) {
        for (const PathEntry& e : store.active_path(id))
            markdown_message(out, e.message, e.sibling_index, e.sibling_count, options);
        return;
    }
    // Every branch, depth first, siblings in creation order.
    const std::vector<Message> all = store.messages(id);
    std::map<std::optional<std::int64_t>, std::vector<const Message*>> kids;
    for (const Message& m : all) kids[m.parent_id].push_back(&m);
    std::vector<std::pair<const Message*, std::pair<int, int>>> stack;
    auto push_children = [&](std::optional<std::int64_t> parent) {
        const auto& list = kids[parent];
        for (int i = static_cast<int>(list.size()) - 1; i >= 0; --i)
            stack.push_back({list[i], {i, static_cast<int>(list.size())}});
    };
    push_children(std::nullopt);
    while (!stack.empty()) {
        auto [m, pos] = stack.back();
        stack.pop_back();
        markdown_message(out, *m, pos.first, pos.second, options);
        push_children(m->id);
    }
}

json stats_json(const MessageStats& s) {
    return json{{"prompt_tokens", s.prompt_tokens},       {"generated_tokens", s.generated_tokens},
                {"reasoning_tokens", s.reasoning_tokens}, {"ttft_ms", s.ttft_ms},
                {"tokens_per_s", s.tokens_per_s},         {"backend", s.backend},
                {"dropped_messages", s.dropped_messages}, {"reasoning_budget_reached", s.reasoning_budget_reached}};
}

json settings_json(const ConversationSettings& s) {
    json sampling = json::object();
    const SamplingSettings& p = s.sampling;
    if (p.temperature) sampling["temperature"] = *p.temperature;
    if (p.top_p) sampling["top_p"] = *p.top_p;
    if (p.top_k) sampling["top_k"] = *p.top_k;
    if (p.min_p) sampling["min_p"] = *p.min_p;
    if (p.repeat_penalty) sampling["repeat_penalty"] = *p.repeat_penalty;
    if (p.seed) sampling["seed"] = *p.seed;
    if (p.max_tokens) sampling["max_tokens"] = *p.max_tokens;
    return json{{"system_prompt", s.system_prompt},
                {"model", s.model},
                {"reasoning_enabled", s.reasoning_enabled},
                {"reasoning_budget", s.reasoning_budget},
                {"sampling", sampling}};
}

json conversation_json(HistoryStore& store, std::int64_t id, const ExportOptions& options) {
    const Conversation c = require(store, id);
    json messages = json::array();
    for (const Message& m : store.messages(id)) {
        json jm{{"id", m.id},
                {"parent", m.parent_id ? json(*m.parent_id) : json(nullptr)},
                {"role", to_string(m.role)},
                {"content", m.content},
                {"reasoning_ms", m.reasoning_ms},
                {"status", to_string(m.status)},
                {"error", m.error},
                {"model", m.model},
                {"stats", stats_json(m.stats)},
                {"created_at", m.created_at},
                {"updated_at", m.updated_at}};
        if (options.include_reasoning) jm["reasoning"] = m.reasoning;
        messages.push_back(std::move(jm));
    }
    return json{{"title", c.title},
                {"created_at", c.created_at},
                {"updated_at", c.updated_at},
                {"pinned", c.pinned},
                {"settings", settings_json(c.settings)},
                {"current_leaf", c.current_leaf_id ? json(*c.current_leaf_id) : json(nullptr)},
                {"messages", std::move(messages)}};
}

}  // namespace

std::string export_markdown(Database& db, std::span<const std::int64_t> conversation_ids,
                            const ExportOptions& options) {
    HistoryStore store(db);
    std::string out;
    for (std::size_t i = 0; i < conversation_ids.size(); ++i) {
        if (i > 0) out += "\n---\n\n";
        markdown_conversation(out, store, conversation_ids[i], options);
    }
    return out;
}

std::string export_markdown_all(Database& db, const ExportOptions& options) {
    const auto ids = all_ids(db);
    return export_markdown(db, ids, options);
}

std::string export_json(Database& db, std::span<const std::int64_t> conversation_ids, const ExportOptions& options) {
    HistoryStore store(db);
    json conversations = json::array();
    {
        // One read transaction, so a concurrent writer cannot make the export inconsistent.
        std::lock_guard lock(db.mutex());
        detail::exec(db.handle(), "BEGIN", "exporting the history");
        try {
            for (std::int64_t id : conversation_ids) conversations.push_back(conversation_json(store, id, options));
        } catch (...) {
            detail::exec(db.handle(), "ROLLBACK", "exporting the history");
            throw;
        }
        detail::exec(db.handle(), "COMMIT", "exporting the history");
    }
    const json doc{{"format", "ponder-history"}, {"version", 1}, {"conversations", std::move(conversations)}};
    // 'replace' keeps an export going even if some stored text is not valid UTF-8.
    return doc.dump(1, '\t', false, json::error_handler_t::replace);
}

std::string export_json_all(Database& db, const ExportOptions& options) {
    const auto ids = all_ids(db);
    return export_json(db, ids, options);
}

}  // namespace ponder::storage
