// builtin_templates.cpp: Ponder's own fallback templates (ChatML, Llama 3, DeepSeek-R1, DeepSeek-V3) and family detection.
#include "chat/chat_template.h"

#include <algorithm>

namespace ponder::chat {
namespace {

// The widely used ChatML layout (Qwen, many fine-tunes).
constexpr std::string_view kChatML =
    "{%- for message in messages -%}\n"
    "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' -}}\n"
    "{%- endfor -%}\n"
    "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}\n";

// Llama 3 instruct: header tokens around each role, content trimmed, <|eot_id|> after each turn.
constexpr std::string_view kLlama3 =
    "{{- bos_token -}}\n"
    "{%- for message in messages -%}\n"
    "{{- '<|start_header_id|>' + message.role + '<|end_header_id|>\\n\\n' + message.content | trim + '<|eot_id|>' -}}\n"
    "{%- endfor -%}\n"
    "{%- if add_generation_prompt -%}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}{%- endif -%}\n";

// DeepSeek-R1 (and its distills): system text first, full-width-bar role markers, earlier
// answers without their reasoning, and a generation prompt that opens the think block.
constexpr std::string_view kDeepSeekR1 =
    "{{- bos_token -}}\n"
    "{%- for message in messages if message.role == 'system' -%}{{- message.content -}}{%- endfor -%}\n"
    "{%- for message in messages -%}\n"
    "{%- if message.role == 'user' -%}{{- '<｜User｜>' + message.content -}}\n"
    "{%- elif message.role == 'assistant' -%}\n"
    "{%- set content = message.content -%}\n"
    "{%- if '</think>' in content -%}{%- set content = content.split('</think>')[-1] -%}{%- endif -%}\n"
    "{{- '<｜Assistant｜>' + content + '<｜end▁of▁sentence｜>' -}}\n"
    "{%- endif -%}\n"
    "{%- endfor -%}\n"
    "{%- if add_generation_prompt -%}{{- '<｜Assistant｜><think>\\n' -}}{%- endif -%}\n";

// DeepSeek-V3: the same layout without reasoning.
constexpr std::string_view kDeepSeekV3 =
    "{{- bos_token -}}\n"
    "{%- for message in messages if message.role == 'system' -%}{{- message.content -}}{%- endfor -%}\n"
    "{%- for message in messages -%}\n"
    "{%- if message.role == 'user' -%}{{- '<｜User｜>' + message.content -}}\n"
    "{%- elif message.role == 'assistant' -%}"
    "{{- '<｜Assistant｜>' + message.content + '<｜end▁of▁sentence｜>' -}}\n"
    "{%- endif -%}\n"
    "{%- endfor -%}\n"
    "{%- if add_generation_prompt -%}{{- '<｜Assistant｜>' -}}{%- endif -%}\n";

bool has_token(const TemplateSource& s, std::string_view text) {
    return std::find(s.token_texts.begin(), s.token_texts.end(), text) != s.token_texts.end();
}

}  // namespace

std::string_view to_string(BuiltinTemplate which) {
    switch (which) {
    case BuiltinTemplate::ChatML: return "chatml";
    case BuiltinTemplate::Llama3: return "llama3";
    case BuiltinTemplate::DeepSeekR1: return "deepseek-r1";
    case BuiltinTemplate::DeepSeekV3: return "deepseek-v3";
    }
    return "chatml";
}

std::string_view builtin_template_source(BuiltinTemplate which) {
    switch (which) {
    case BuiltinTemplate::ChatML: return kChatML;
    case BuiltinTemplate::Llama3: return kLlama3;
    case BuiltinTemplate::DeepSeekR1: return kDeepSeekR1;
    case BuiltinTemplate::DeepSeekV3: return kDeepSeekV3;
    }
    return kChatML;
}

BuiltinTemplate detect_builtin_family(const TemplateSource& s) {
    const bool deepseek_roles = has_token(s, "<｜Assistant｜>") || has_token(s, "<｜User｜>");
    const bool deepseek_arch =
        s.architecture == "deepseek2" || s.architecture == "deepseek3" || s.architecture == "deepseek";
    const bool think = has_token(s, "<think>") && has_token(s, "</think>");
    if (deepseek_roles || (deepseek_arch && !has_token(s, "<|im_start|>")))
        return think ? BuiltinTemplate::DeepSeekR1 : BuiltinTemplate::DeepSeekV3;
    if (has_token(s, "<|start_header_id|>") && has_token(s, "<|eot_id|>")) return BuiltinTemplate::Llama3;
    if (s.token_texts.empty() && s.architecture == "llama" && s.bos_token == "<|begin_of_text|>")
        return BuiltinTemplate::Llama3;
    return BuiltinTemplate::ChatML;
}

}  // namespace ponder::chat
