// session_reply.cpp: Session::reply(): history -> chat template -> tokens, which turns can be
// dropped when the context is full, and the reasoning splitter for the reply.
#include "api/session_state.h"

#include "util/error.h"
#include "util/log.h"

#include <nlohmann/json.hpp>

namespace ponder {

namespace {

// Renders and tokenizes a list of template messages; message text never becomes control tokens.
class PromptRenderer {
public:
    PromptRenderer(const LoadedModel& m, bool reasoning, std::shared_ptr<const ControlTexts> controls)
        : m_m(m), m_reasoning(reasoning), m_controls(std::move(controls)) {}

    std::string render(std::vector<chat::ChatMessage> messages, bool add_generation_prompt) const {
        if (!m_m.m_template.chat_template) fail("the model has no usable chat template");
        chat::ChatContext ctx;
        ctx.messages = std::move(messages);
        ctx.add_generation_prompt = add_generation_prompt;
        ctx.bos_token = m_m.m_template.bos_token;
        ctx.eos_token = m_m.m_template.eos_token;
        ctx.extra = nlohmann::ordered_json::object();
        ctx.extra["enable_thinking"] = m_reasoning;
        return m_m.m_template.chat_template->render(ctx);
    }

    // Templates write the BOS text themselves; add BOS only when the vocabulary wants one and the
    // template did not (llama.cpp's chat path behaves the same way).
    PromptTokens prompt(std::vector<chat::ChatMessage> messages, bool add_generation_prompt) const {
        const Tokenizer& tok = *m_m.m_tokenizer;
        PromptTokens p = tokenize_prompt(
            tok, *m_controls, std::move(messages), add_generation_prompt,
            [this](std::vector<chat::ChatMessage> msgs, bool add_gen) { return render(std::move(msgs), add_gen); });
        std::vector<std::int32_t>& ids = p.ids;
        if (tok.add_bos() && tok.bos() >= 0 && (ids.empty() || ids[0] != tok.bos())) ids.insert(ids.begin(), tok.bos());
        return p;
    }

private:
    const LoadedModel& m_m;
    bool m_reasoning;
    std::shared_ptr<const ControlTexts> m_controls;
};

}  // namespace

GenerationStats Session::reply(std::span<const Message> history, const GenerateOptions& options,
                               const std::function<bool(const Piece&)>& on_piece, std::stop_token stop) {
    const LoadedModel& m = m_state->m;
    if (history.empty()) fail("reply: the conversation is empty");
    // continue_last: the cut-short reply is not a template message; its text follows the
    // generation prompt as if the model had just written it.
    const Message* cut = nullptr;
    if (options.continue_last) {
        if (history.back().role != Role::Assistant) fail("reply: continue_last needs an assistant message last");
        cut = &history.back();
        history = history.first(history.size() - 1);
        if (history.empty()) fail("reply: nothing to continue from (the reply has no question)");
    }
    const bool keep_reasoning = m.m_template.chat_template && m.m_template.chat_template->uses_reasoning_content();
    const std::vector<chat::ChatMessage> all = chat::to_chat_messages(history, keep_reasoning);
    auto renderer = std::make_shared<PromptRenderer>(m, options.reasoning, m_state->controls());

    // System messages are never dropped; of the rest, the last message (the new question) stays.
    std::vector<chat::ChatMessage> system, rest;
    for (const chat::ChatMessage& msg : all) (msg.role == "system" ? system : rest).push_back(msg);

    auto continuation = std::make_shared<std::vector<std::int32_t>>();  // the cut reply's tokens
    auto render_without = [renderer, system, rest, continuation](std::size_t dropped) {
        std::vector<chat::ChatMessage> msgs = system;
        msgs.insert(msgs.end(), rest.begin() + static_cast<std::ptrdiff_t>(dropped), rest.end());
        PromptTokens p = renderer->prompt(std::move(msgs), true);
        p.ids.insert(p.ids.end(), continuation->begin(), continuation->end());
        return p;
    };

    Plan plan;
    PromptTokens first = render_without(0);
    const std::string prompt_text = std::move(first.text);
    plan.prompt = std::move(first.ids);
    const Tokenizer& tok = *m.m_tokenizer;
    const bool prompt_opened = m.m_think && chat::prompt_opens_think_block(prompt_text, *m.m_think);
    bool continue_in_reasoning = false;
    if (cut) {
        // Markers as the model writes them (one control token when the vocabulary has it); the
        // reply's own text as plain text, as every message is.
        auto marker = [&](const std::string& text, std::int32_t id) {
            if (id >= 0)
                continuation->push_back(id);
            else
                for (std::int32_t t : tok.encode(text, false, true)) continuation->push_back(t);
        };
        auto plain = [&](const std::string& text) {
            for (std::int32_t t : tok.encode(text, false, false)) continuation->push_back(t);
        };
        if (m.m_think && (prompt_opened || !cut->reasoning.empty())) {
            if (!prompt_opened) marker(m.m_think->open, m.m_think->open_id);
            plain(cut->reasoning);
            if (cut->content.empty()) {
                continue_in_reasoning = true;
            } else {
                marker(m.m_think->close, m.m_think->close_id);
                plain("\n\n");
            }
        }
        plain(cut->content);
        plan.prompt.insert(plan.prompt.end(), continuation->begin(), continuation->end());
    }
    if (first.protected_text) PONDER_LOG_DEBUG("reply: control-token text in messages is tokenized as plain text");
    // Tokens of the system prompt: what the conversation shares with the system messages alone.
    plan.n_keep = (!plan.prompt.empty() && tok.bos() >= 0 && plan.prompt[0] == tok.bos()) ? 1 : 0;
    if (!system.empty()) {
        try {
            const std::vector<std::int32_t> sys = renderer->prompt(system, false).ids;
            std::size_t n = 0;
            while (n < sys.size() && n < plan.prompt.size() && sys[n] == plan.prompt[n]) ++n;
            plan.n_keep = std::max(plan.n_keep, static_cast<int>(n));
        } catch (const Error& e) {
            PONDER_LOG_DEBUG("system prompt alone does not render (%s); keeping only BOS", e.what());
        }
    }
    // Drops the oldest turn: the first remaining message and whatever follows it up to the next
    // user message, so the kept conversation still starts with a question.
    auto dropped = std::make_shared<std::size_t>(0);
    plan.drop_turn = [render_without, renderer, rest, dropped]() -> std::optional<std::vector<std::int32_t>> {
        std::size_t d = *dropped + 1;
        while (d + 1 < rest.size() && rest[d].role != "user") ++d;
        if (d >= rest.size()) return std::nullopt;  // the last message (the new question) stays
        *dropped = d;
        return render_without(d).ids;
    };

    if (m.m_think && (!cut || continue_in_reasoning)) {
        plan.splitter.emplace(*m.m_think, prompt_opened || continue_in_reasoning, options.reasoning_budget);
        if (continue_in_reasoning && !cut->reasoning.empty()) plan.splitter->continue_reasoning();
    } else {
        plan.splitter.emplace();  // no reasoning, or continuing the answer: everything is answer
    }
    GenerationStats stats = m_state->generate(plan, options, on_piece, stop);
    stats.dropped_messages = static_cast<int>(*dropped);
    return stats;
}

}  // namespace ponder
