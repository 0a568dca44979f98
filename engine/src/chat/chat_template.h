// chat_template.h: a model's chat template (Jinja) compiled once, rendered per conversation, with built-in fallbacks.
#pragma once

#include <ponder/engine.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ponder {
class GgufFile;
}

namespace ponder::chat {

namespace jinja {
struct Program;  // the parsed template (jinja/ast.h)
}

// One message as a template sees it. `role` is free text because templates also know "tool" etc.
struct ChatMessage {
    std::string role;                              // "system", "user", "assistant", "tool"
    std::string content;                           // for assistant messages: the answer only
    std::optional<std::string> reasoning_content;  // passed only to templates that read it
};

// Everything a template is rendered with.
struct ChatContext {
    std::vector<ChatMessage> messages;
    bool add_generation_prompt = true;
    std::string bos_token;
    std::string eos_token;
    // Further variables, e.g. {"enable_thinking": false}. Must be a JSON object (or null).
    // enable_thinking also reaches templates whose switch has another name (thinking_variable()).
    nlohmann::ordered_json extra = nlohmann::ordered_json::object();
};

// Built-in templates, used when a model has none or its own one does not compile.
enum class BuiltinTemplate { ChatML, Llama3, DeepSeekR1, DeepSeekV3 };
std::string_view to_string(BuiltinTemplate which);  // "chatml", "llama3", "deepseek-r1", "deepseek-v3"
std::string_view builtin_template_source(BuiltinTemplate which);

class ChatTemplate {
public:
    // Compiles Jinja source. Throws ponder::Error naming `name`, line and column for syntax errors
    // or unsupported constructs (so a bad template is rejected at import time, not mid-chat).
    explicit ChatTemplate(std::string_view source, std::string name = "chat template");
    static ChatTemplate builtin(BuiltinTemplate which);

    // Renders the conversation. Throws ponder::Error for render-time failures (including the
    // template's own raise_exception("...") whose text is the message).
    std::string render(const ChatContext& context) const;
    // Renders with a complete variable set in the form of the reference `context` objects:
    // {"messages": [...], "add_generation_prompt": true, "bos_token": "...", ...}. Key order is kept.
    std::string render_json(const nlohmann::ordered_json& variables) const;
    // As above with a fixed time for strftime_now() (reference renderings use a fixed date).
    std::string render_json(const nlohmann::ordered_json& variables, const std::tm* now) const;

    const std::string& name() const { return m_name; }
    const std::string& source() const { return m_source; }
    // The template has a reasoning on/off switch (the app shows a toggle for it): it reads
    // `enable_thinking` (Qwen3, DeepSeek V3.2+) or `thinking` (DeepSeek V3.1).
    bool honours_enable_thinking() const { return !m_thinking_variable.empty(); }
    // The switch's variable name ("enable_thinking" or "thinking"), empty when there is none.
    // Set it in ChatContext::extra to the user's choice.
    const std::string& thinking_variable() const { return m_thinking_variable; }
    // The template reads `reasoning_content` of messages (else earlier reasoning is never passed).
    bool uses_reasoning_content() const { return m_reasoning_content; }

private:
    std::string m_name;
    std::string m_source;
    std::shared_ptr<const jinja::Program> m_program;
    std::string m_thinking_variable;
    bool m_reasoning_content = false;
};

// What the engine knows about a model when picking its template (read from GGUF metadata).
struct TemplateSource {
    std::optional<std::string> chat_template;  // tokenizer.chat_template, when present
    std::string architecture;                  // general.architecture ("llama", "qwen2", "deepseek2", ...)
    std::span<const std::string> token_texts;  // tokenizer.ggml.tokens (may be empty)
    std::string bos_token;                     // text of the BOS token ("" when none)
    std::string eos_token;                     // text of the EOS token ("" when none)
};

// The template the engine will use, and why.
struct SelectedTemplate {
    std::shared_ptr<const ChatTemplate> chat_template;
    bool is_builtin = false;
    std::optional<BuiltinTemplate> builtin;  // set when is_builtin
    std::string fallback_reason;             // empty when the model's own template is used
    std::string bos_token;
    std::string eos_token;
};

// The built-in family for a vocabulary/architecture (DeepSeek markers -> DeepSeek, Llama 3
// header tokens -> Llama3, otherwise ChatML).
BuiltinTemplate detect_builtin_family(const TemplateSource& source);

// Uses the model's own template when it compiles; otherwise the built-in template of the detected
// family, with the reason logged (warning) and returned in fallback_reason. Never throws for a
// bad template.
SelectedTemplate select_template(const TemplateSource& source);

// Reads tokenizer.chat_template, general.architecture and the BOS/EOS token texts from a GGUF file
// and selects as above. Throws ponder::Error only when the file itself cannot be read.
SelectedTemplate select_template_from_gguf(const std::string& gguf_path);
// The same for an already opened model file (the engine's load path).
SelectedTemplate select_template(const GgufFile& file);

// Converts app-level history to template messages: assistant messages carry only the answer
// (any <think>...</think> the answer text still holds is removed), and their reasoning is passed
// as reasoning_content only when `keep_reasoning` (use ChatTemplate::uses_reasoning_content()).
std::vector<ChatMessage> to_chat_messages(std::span<const Message> history, bool keep_reasoning);

}  // namespace ponder::chat
