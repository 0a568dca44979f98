// chat_template.cpp: compiling and rendering chat templates, template selection with fallback, history conversion.
#include "chat/chat_template.h"

#include "chat/jinja/interpreter.h"
#include "chat/jinja/lexer.h"
#include "chat/jinja/parser.h"
#include "chat/reasoning.h"
#include "util/log.h"

namespace ponder::chat {

ChatTemplate::ChatTemplate(std::string_view source, std::string name) : m_name(std::move(name)), m_source(source) {
    m_program = jinja::parse(source, m_name);
    // Which switches the template reads: a name or a string key anywhere in its tags. A bare
    // variable `thinking` (not an attribute, not text) is DeepSeek V3.1's switch.
    bool enable_thinking = false, thinking = false;
    const std::vector<jinja::Token> tokens = jinja::lex(source, m_name);
    for (std::size_t k = 0; k < tokens.size(); ++k) {
        const jinja::Token& t = tokens[k];
        if (t.type != jinja::TokenType::Name && t.type != jinja::TokenType::String) continue;
        if (t.text == "enable_thinking") enable_thinking = true;
        if (t.text == "reasoning_content") m_reasoning_content = true;
        const bool after_dot = k > 0 && tokens[k - 1].type == jinja::TokenType::Operator && tokens[k - 1].text == ".";
        if (t.type == jinja::TokenType::Name && t.text == "thinking" && !after_dot) thinking = true;
    }
    if (enable_thinking)
        m_thinking_variable = "enable_thinking";
    else if (thinking)
        m_thinking_variable = "thinking";
}

ChatTemplate ChatTemplate::builtin(BuiltinTemplate which) {
    return ChatTemplate(builtin_template_source(which), "built-in " + std::string(to_string(which)) + " template");
}

static std::string render_program(const jinja::Program& program, const std::string& name, const jinja::Value& variables,
                                  const std::tm* now) {
    jinja::RenderOptions options;
    if (now) options.now = *now;
    jinja::Interpreter interpreter(name, options);
    return interpreter.render(program, variables);
}

std::string ChatTemplate::render(const ChatContext& context) const {
    nlohmann::ordered_json vars = nlohmann::ordered_json::object();
    nlohmann::ordered_json messages = nlohmann::ordered_json::array();
    for (const ChatMessage& m : context.messages) {
        nlohmann::ordered_json j = {{"role", m.role}, {"content", m.content}};
        if (m.reasoning_content) j["reasoning_content"] = *m.reasoning_content;
        messages.push_back(std::move(j));
    }
    vars["messages"] = std::move(messages);
    vars["add_generation_prompt"] = context.add_generation_prompt;
    vars["bos_token"] = context.bos_token;
    vars["eos_token"] = context.eos_token;
    vars["tools"] = nullptr;  // as Hugging Face passes it: defined, and none
    if (context.extra.is_object())
        for (auto it = context.extra.begin(); it != context.extra.end(); ++it) vars[it.key()] = it.value();
    else if (!context.extra.is_null())
        fail("%s: extra template variables must be a JSON object", m_name.c_str());
    // Callers set the reasoning switch as enable_thinking; templates that name it differently
    // (DeepSeek V3.1: thinking) get the same value under their own name.
    if (!m_thinking_variable.empty() && m_thinking_variable != "enable_thinking" && vars.contains("enable_thinking") &&
        !vars.contains(m_thinking_variable))
        vars[m_thinking_variable] = vars["enable_thinking"];
    return render_json(vars);
}

std::string ChatTemplate::render_json(const nlohmann::ordered_json& variables) const {
    return render_json(variables, nullptr);
}

std::string ChatTemplate::render_json(const nlohmann::ordered_json& variables, const std::tm* now) const {
    if (!variables.is_object()) fail("%s: the template context must be a JSON object", m_name.c_str());
    return render_program(*m_program, m_name, jinja::from_json(variables), now);
}

SelectedTemplate select_template(const TemplateSource& source) {
    SelectedTemplate out;
    out.bos_token = source.bos_token;
    out.eos_token = source.eos_token;
    std::string reason;
    if (source.chat_template && !source.chat_template->empty()) {
        try {
            auto own = std::make_shared<ChatTemplate>(*source.chat_template, "model chat template");
            // A trial render catches templates that parse but use something unsupported on the
            // common path (an unknown filter, say). raise_exception() is the template's own
            // choice and does not count against it.
            ChatContext probe;
            probe.bos_token = source.bos_token;
            probe.eos_token = source.eos_token;
            probe.messages.push_back({"user", "Hello", std::nullopt});
            const std::vector<ChatMessage> conversation = {{"system", "Be brief.", std::nullopt},
                                                           {"user", "Hello", std::nullopt},
                                                           {"assistant", "Hi.", std::nullopt},
                                                           {"user", "Bye", std::nullopt}};
            for (int round = 0; round < 2; ++round) {
                if (round == 1) probe.messages = conversation;
                try {
                    (void)own->render(probe);
                } catch (const jinja::TemplateRaise&) {}
            }
            out.chat_template = std::move(own);
            return out;
        } catch (const Error& e) {
            reason = std::string("the model's chat template cannot be used: ") + e.what();
        }
    } else {
        reason = "the model has no chat template";
    }
    const BuiltinTemplate family = detect_builtin_family(source);
    out.chat_template = std::make_shared<ChatTemplate>(ChatTemplate::builtin(family));
    out.is_builtin = true;
    out.builtin = family;
    out.fallback_reason = reason + "; using the built-in " + std::string(to_string(family)) + " template";
    PONDER_LOG_WARN("%s", out.fallback_reason.c_str());
    return out;
}

std::vector<ChatMessage> to_chat_messages(std::span<const Message> history, bool keep_reasoning) {
    std::vector<ChatMessage> out;
    out.reserve(history.size());
    for (const Message& m : history) {
        ChatMessage c;
        switch (m.role) {
        case Role::System: c.role = "system"; break;
        case Role::User: c.role = "user"; break;
        case Role::Assistant: c.role = "assistant"; break;
        }
        c.content = m.content;
        if (m.role == Role::Assistant) {
            for (const ThinkMarkers& markers : known_think_markers()) c.content = strip_reasoning(c.content, markers);
            if (keep_reasoning && !m.reasoning.empty()) c.reasoning_content = m.reasoning;
        }
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace ponder::chat
