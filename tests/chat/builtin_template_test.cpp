// builtin_template_test.cpp: built-in fallback templates, family detection, template selection and ChatContext rendering.
#include "chat/chat_template.h"
#include "chat/reasoning.h"
#include "gguf/gguf_file.h"

#include "support/testdata.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace {

using namespace ponder::chat;

ChatContext conversation(bool with_assistant) {
    ChatContext c;
    c.messages.push_back({"system", "S", std::nullopt});
    c.messages.push_back({"user", "U", std::nullopt});
    if (with_assistant) {
        c.messages.push_back({"assistant", "A", std::nullopt});
        c.messages.push_back({"user", "U2", std::nullopt});
    }
    return c;
}

TEST(BuiltinTemplates, ChatML) {
    EXPECT_EQ(ChatTemplate::builtin(BuiltinTemplate::ChatML).render(conversation(false)),
              "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n");
}

TEST(BuiltinTemplates, Llama3) {
    ChatContext c = conversation(false);
    c.bos_token = "<|begin_of_text|>";
    c.messages[1].content = "  U \n";  // Llama 3 trims message content
    EXPECT_EQ(ChatTemplate::builtin(BuiltinTemplate::Llama3).render(c),
              "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|>"
              "<|start_header_id|>user<|end_header_id|>\n\nU<|eot_id|>"
              "<|start_header_id|>assistant<|end_header_id|>\n\n");
}

TEST(BuiltinTemplates, DeepSeekR1AndV3) {
    ChatContext c = conversation(true);
    c.bos_token = "<BOS>";
    c.messages[2].content = "<think>\nr\n</think>\n\nA";  // history reasoning is cut at </think>
    EXPECT_EQ(ChatTemplate::builtin(BuiltinTemplate::DeepSeekR1).render(c),
              "<BOS>S<｜User｜>U<｜Assistant｜>\n\nA<｜end▁of▁sentence｜><｜User｜>U2<｜Assistant｜><think>\n");
    c.messages[2].content = "A";
    EXPECT_EQ(ChatTemplate::builtin(BuiltinTemplate::DeepSeekV3).render(c),
              "<BOS>S<｜User｜>U<｜Assistant｜>A<｜end▁of▁sentence｜><｜User｜>U2<｜Assistant｜>");
}

TEST(BuiltinTemplates, MatchTheRealFamilyTemplatesOnPlainConversations) {
    PONDER_REQUIRE_TESTDATA();
    const std::pair<BuiltinTemplate, const char*> families[] = {
        {BuiltinTemplate::ChatML, "chatml-OpenHermes-2.5-Mistral-7B"},
        {BuiltinTemplate::Llama3, "gguf-llama-bpe"},
        {BuiltinTemplate::DeepSeekR1, "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B"},
        {BuiltinTemplate::DeepSeekV3, "gguf-deepseek-v3"},
    };
    int compared = 0;
    for (const auto& [family, dir] : families) {
        const ChatTemplate t = ChatTemplate::builtin(family);
        for (const char* name :
             {"01_user_gen", "02_system_user_gen", "03_multiturn_gen", "04_multiturn_nogen", "05_unicode_whitespace"}) {
            const auto path = ponder::test::testdata_path(std::string("templates/cases/") + dir + "/" + name + ".json");
            const auto c = nlohmann::ordered_json::parse(ponder::test::read_file(path));
            EXPECT_EQ(t.render_json(c["context"]), c["expected"].get<std::string>()) << dir << "/" << name;
            ++compared;
        }
    }
    EXPECT_EQ(compared, 20);
}

TEST(TemplateSelection, DetectsFamilyFromVocabulary) {
    const std::vector<std::string> r1 = {"<｜begin▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>", "<think>",
                                         "</think>"};
    const std::vector<std::string> v3 = {"<｜begin▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>"};
    const std::vector<std::string> llama3 = {"<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>",
                                             "<|eot_id|>"};
    const std::vector<std::string> qwen = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
    TemplateSource s;
    s.token_texts = r1;
    EXPECT_EQ(detect_builtin_family(s), BuiltinTemplate::DeepSeekR1);
    s.token_texts = v3;
    EXPECT_EQ(detect_builtin_family(s), BuiltinTemplate::DeepSeekV3);
    s.token_texts = llama3;
    EXPECT_EQ(detect_builtin_family(s), BuiltinTemplate::Llama3);
    s.token_texts = qwen;
    EXPECT_EQ(detect_builtin_family(s), BuiltinTemplate::ChatML);
    s.token_texts = {};
    s.architecture = "deepseek2";
    EXPECT_EQ(detect_builtin_family(s), BuiltinTemplate::DeepSeekV3);
}

TEST(TemplateSelection, OwnTemplateWhenItWorks) {
    TemplateSource s;
    s.chat_template = "{{ bos_token }}{{ messages[0].content }}";
    const SelectedTemplate t = select_template(s);
    EXPECT_FALSE(t.is_builtin);
    EXPECT_EQ(t.fallback_reason, "");
    EXPECT_EQ(t.chat_template->source(), *s.chat_template);
}

TEST(TemplateSelection, FallsBackWithAReason) {
    const std::vector<std::string> llama3 = {"<|start_header_id|>", "<|eot_id|>"};
    TemplateSource s;
    s.token_texts = llama3;
    SelectedTemplate t = select_template(s);
    EXPECT_TRUE(t.is_builtin);
    EXPECT_EQ(t.builtin, BuiltinTemplate::Llama3);
    EXPECT_EQ(t.fallback_reason, "the model has no chat template; using the built-in llama3 template");

    s.chat_template = "{% for m in messages %}\n{% macro %}";
    t = select_template(s);
    EXPECT_TRUE(t.is_builtin);
    EXPECT_NE(t.fallback_reason.find("model chat template:2:"), std::string::npos) << t.fallback_reason;

    // Parses, but fails on every render (an unknown filter): also rejected up front.
    s.chat_template = "{{ messages | to_yaml }}";
    t = select_template(s);
    EXPECT_TRUE(t.is_builtin);
    EXPECT_NE(t.fallback_reason.find("No filter named 'to_yaml'"), std::string::npos) << t.fallback_reason;

    // ... also when only a longer conversation reaches the broken branch.
    s.chat_template = "{% for m in messages %}{% if m.role == 'system' %}{{ m.content | bad }}{% endif %}{% endfor %}";
    EXPECT_TRUE(select_template(s).is_builtin);

    // A template that raises for this probe on purpose is still the model's own.
    s.chat_template = "{% if messages[0].role == 'user' %}{{ raise_exception('needs a system message') }}{% endif %}";
    EXPECT_FALSE(select_template(s).is_builtin);
}

TEST(ChatTemplateApi, ContextVariablesAndSwitches) {
    const ChatTemplate t(
        "{{ tools is none }}|{{ enable_thinking }}|{{ messages[0].reasoning_content }}|"
        "{{ add_generation_prompt }}",
        "t");
    EXPECT_TRUE(t.honours_enable_thinking());
    EXPECT_TRUE(t.uses_reasoning_content());
    ChatContext c;
    c.messages.push_back({"assistant", "A", std::string("R")});
    c.add_generation_prompt = false;
    c.extra = {{"enable_thinking", false}};
    EXPECT_EQ(t.render(c), "True|False|R|False");
    EXPECT_FALSE(ChatTemplate::builtin(BuiltinTemplate::ChatML).honours_enable_thinking());
    EXPECT_EQ(ChatTemplate("{% if thinking %}T{% endif %}{{ m.thinking }}", "t").thinking_variable(), "thinking");
    EXPECT_EQ(ChatTemplate("{{ m.thinking }}{{ 'thinking' }}", "t").thinking_variable(), "");
    // enable_thinking is passed on under the template's own name.
    ChatContext on;
    on.extra = {{"enable_thinking", true}};
    EXPECT_EQ(ChatTemplate("{% if thinking %}T{% else %}F{% endif %}", "t").render(on), "T");
    on.extra = {{"enable_thinking", false}};
    EXPECT_EQ(ChatTemplate("{% if thinking %}T{% else %}F{% endif %}", "t").render(on), "F");
    EXPECT_FALSE(ChatTemplate::builtin(BuiltinTemplate::DeepSeekR1).uses_reasoning_content());
}

TEST(ChatTemplateApi, RealTemplatesReportTheirSwitches) {
    PONDER_REQUIRE_TESTDATA();
    const auto load = [](const char* name) {
        return ChatTemplate(ponder::test::read_file(ponder::test::testdata_path(std::string("templates/") + name)),
                            name);
    };
    EXPECT_TRUE(load("Qwen-Qwen3-0.6B.jinja").honours_enable_thinking());
    EXPECT_TRUE(load("Qwen-Qwen3-0.6B.jinja").uses_reasoning_content());
    EXPECT_FALSE(load("deepseek-ai-DeepSeek-R1-Distill-Qwen-32B.jinja").honours_enable_thinking());
    EXPECT_FALSE(load("Qwen-Qwen2.5-7B-Instruct.jinja").uses_reasoning_content());
    EXPECT_EQ(load("Qwen-Qwen3-0.6B.jinja").thinking_variable(), "enable_thinking");
    EXPECT_EQ(load("deepseek-ai-DeepSeek-V3.1.jinja").thinking_variable(), "thinking");
    EXPECT_EQ(load("deepseek-ai-DeepSeek-V3.2.jinja").thinking_variable(), "enable_thinking");
    // "thinking" only inside its text and string literals: no switch.
    EXPECT_EQ(load("mistralai-Ministral-3-14B-Reasoning-2512.jinja").thinking_variable(), "");
}

}  // namespace

namespace {

TEST(TemplateSelection, VocabularyGgufsFromTheReferenceData) {
    PONDER_REQUIRE_TESTDATA();
    struct Expect {
        const char* file;
        bool own_template;
        const char* bos;
        int open_id, close_id;  // -1: the model does not reason
        bool toggle;
    };
    // Token ids as published in the models' tokenizer configs (Qwen3: 151667/151668; the R1 Qwen
    // distills: 151648/151649).
    const Expect expects[] = {
        {"ggml-vocab-deepseek-r1-qwen.gguf", true, "<｜begin▁of▁sentence｜>", 151648, 151649, false},
        {"ggml-vocab-qwen3.gguf", true, "<|endoftext|>", 151667, 151668, true},
        {"ggml-vocab-qwen2.gguf", true, "<|endoftext|>", -1, -1, false},
        {"ggml-vocab-llama-bpe.gguf", true, "<|begin_of_text|>", -1, -1, false},
        {"ggml-vocab-gpt-2.gguf", false, "<|endoftext|>", -1, -1, false},
    };
    for (const Expect& e : expects) {
        const auto path = ponder::test::testdata_path(std::string("tokenizer/") + e.file);
        const ponder::GgufFile file = ponder::GgufFile::open(path);
        const SelectedTemplate t = select_template(file);
        EXPECT_EQ(!t.is_builtin, e.own_template) << e.file << ": " << t.fallback_reason;
        EXPECT_EQ(t.bos_token, e.bos) << e.file;
        EXPECT_EQ(t.chat_template->honours_enable_thinking(), e.toggle) << e.file;
        std::vector<std::string> tokens;
        if (auto list = file.get_strings("tokenizer.ggml.tokens")) tokens.assign(list->begin(), list->end());
        const auto markers = discover_think_markers(tokens, t.chat_template->source());
        if (e.open_id < 0) {
            EXPECT_FALSE(markers) << e.file;
        } else {
            ASSERT_TRUE(markers) << e.file;
            EXPECT_EQ(markers->open_id, e.open_id) << e.file;
            EXPECT_EQ(markers->close_id, e.close_id) << e.file;
        }
    }
}

}  // namespace

namespace {

TEST(TemplateSelection, WhoOpensTheThinkBlockInRealTemplates) {
    PONDER_REQUIRE_TESTDATA();
    const ThinkMarkers think{"<think>", "</think>"};
    auto opens = [&](const char* name, std::optional<bool> enable_thinking) {
        const ChatTemplate t(ponder::test::read_file(ponder::test::testdata_path(std::string("templates/") + name)),
                             name);
        ChatContext c;
        c.messages.push_back({"user", "What is 2+2?", std::nullopt});
        if (enable_thinking) c.extra["enable_thinking"] = *enable_thinking;
        return prompt_opens_think_block(t.render(c), think);
    };
    EXPECT_TRUE(opens("deepseek-ai-DeepSeek-R1-Distill-Qwen-32B.jinja", std::nullopt));  // ends with "<think>\n"
    EXPECT_FALSE(opens("gguf-deepseek-r1-qwen.jinja", std::nullopt));  // older revision: the model opens it
    EXPECT_FALSE(opens("Qwen-Qwen3-0.6B.jinja", true));                // Qwen3 opens it itself
    EXPECT_FALSE(opens("Qwen-Qwen3-0.6B.jinja", false));               // "<think>\n\n</think>\n\n": closed
}

}  // namespace
