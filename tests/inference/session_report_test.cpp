// session_report_test.cpp: what a reply reports beyond its text (dropped turns, the reasoning
// budget), continuing a cut-short reply, token counts, and the coded errors and backend reasons
// the app translates.
#include "api/loaded_model.h"
#include "support/temp_dir.h"
#include "tiny_model.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace ponder {
namespace {

using test::TinyModelSpec;
using test::TinyVocab;

std::shared_ptr<const Model> load_tiny(const test::TempDir& dir, const TinyModelSpec& spec, int context = 512) {
    const auto path = dir / (spec.arch + (spec.think_template ? "-think" : "") + ".gguf");
    test::write_tiny_model(path, spec);
    LoadOptions lo;
    lo.path = path;
    lo.backend = BackendKind::Cpu;
    lo.context_length = context;
    lo.threads = 2;
    return load_model(lo);
}

GenerateOptions greedy(int max_tokens) {
    GenerateOptions g;
    g.sampling.temperature = 0.0f;
    g.max_tokens = max_tokens;
    return g;
}

struct Reply {
    std::string reasoning, answer;
    std::vector<Channel> channels;
    GenerationStats stats;
};

Reply reply(Session& s, const std::vector<Message>& history, const GenerateOptions& g) {
    Reply r;
    r.stats = s.reply(history, g, [&](const Piece& p) {
        r.channels.push_back(p.channel);
        (p.channel == Channel::Reasoning ? r.reasoning : r.answer).append(p.text);
        return true;
    });
    return r;
}

TEST(ReplyReport, DroppedMessagesAreCounted) {
    test::TempDir dir;
    const auto model = load_tiny(dir, TinyModelSpec{}, 160);  // room for the newest turns only
    std::vector<Message> history{{Role::System, "sys", {}}};
    for (int i = 0; i < 6; ++i) {
        history.push_back({Role::User, "question number " + std::string(1, static_cast<char>('a' + i)), {}});
        history.push_back({Role::Assistant, "answer", {}});
    }
    history.push_back({Role::User, "last question", {}});
    Session s(model);
    const Reply long_chat = reply(s, history, greedy(4));
    // Whole turns go (a question with its answer), never the system prompt or the new question.
    EXPECT_GT(long_chat.stats.dropped_messages, 0);
    EXPECT_EQ(long_chat.stats.dropped_messages % 2, 0);
    EXPECT_LT(long_chat.stats.dropped_messages, 12);

    const Reply short_chat = reply(s, {{Role::User, "hi", {}}}, greedy(4));
    EXPECT_EQ(short_chat.stats.dropped_messages, 0);
}

TEST(ReplyReport, ReasoningBudgetIsReported) {
    test::TempDir dir;
    TinyModelSpec spec;
    spec.think_template = true;
    const auto model = load_tiny(dir, spec);
    const std::vector<Message> history{{Role::User, "once upon a time", {}}};
    GenerateOptions g = greedy(10);
    g.reasoning_budget = 3;
    Session s(model);
    EXPECT_TRUE(reply(s, history, g).stats.reasoning_budget_reached);
    EXPECT_FALSE(reply(s, history, greedy(10)).stats.reasoning_budget_reached);
}

TEST(ContinueLast, CutReasoningGoesOnAsReasoning) {
    test::TempDir dir;
    TinyModelSpec spec;
    spec.think_template = true;
    const auto model = load_tiny(dir, spec);
    const std::vector<Message> question{{Role::User, "once upon a time", {}}};
    Session s(model);
    const Reply full = reply(s, question, greedy(12));
    const Reply part = reply(s, question, greedy(6));
    const auto cached_part = SessionAccess::cached_tokens(s);
    const std::vector<std::int32_t> question_prompt(cached_part.begin(),
                                                    cached_part.begin() + part.stats.prompt_tokens);
    ASSERT_FALSE(part.reasoning.empty());
    ASSERT_TRUE(part.answer.empty());

    std::vector<Message> history = question;
    history.push_back({Role::Assistant, "", part.reasoning});
    GenerateOptions g = greedy(6);
    g.continue_last = true;
    const Reply more = reply(s, history, g);
    EXPECT_EQ(more.stats.generated_tokens, 6);
    ASSERT_FALSE(more.channels.empty());
    EXPECT_EQ(more.channels.front(), Channel::Reasoning);  // still thinking, not a new reply
    // The prompt is the question's prompt plus the reasoning so far (no second open marker).
    const std::vector<std::int32_t> cut = tokenize(*model, part.reasoning, false, false);
    EXPECT_EQ(more.stats.prompt_tokens, part.stats.prompt_tokens + static_cast<int>(cut.size()));
    EXPECT_GE(more.stats.reused_tokens, part.stats.prompt_tokens);  // the question's cache is reused
    // In the cache: the question's prompt (which opened the think block), then the cut reasoning.
    const auto cached = SessionAccess::cached_tokens(s);
    ASSERT_GE(cached.size(), question_prompt.size() + cut.size());
    EXPECT_TRUE(std::equal(question_prompt.begin(), question_prompt.end(), cached.begin()));
    EXPECT_TRUE(
        std::equal(cut.begin(), cut.end(), cached.begin() + static_cast<std::ptrdiff_t>(question_prompt.size())));
    EXPECT_NE(full.reasoning, part.reasoning);  // the uncut reply did go on (the test is not vacuous)
}

TEST(ContinueLast, CutAnswerGoesOnAsAnswer) {
    test::TempDir dir;
    TinyModelSpec spec;
    spec.think_template = true;
    const auto model = load_tiny(dir, spec);
    std::vector<Message> history{{Role::User, "once upon a time", {}}, {Role::Assistant, "there was", "a story"}};
    GenerateOptions g = greedy(5);
    g.continue_last = true;
    Session s(model);
    const Reply more = reply(s, history, g);
    EXPECT_EQ(more.stats.generated_tokens, 5);
    EXPECT_TRUE(more.reasoning.empty());
    EXPECT_TRUE(
        std::all_of(more.channels.begin(), more.channels.end(), [](Channel c) { return c == Channel::Answer; }));
    // The engine closed the think block before the answer so far.
    const auto cached = SessionAccess::cached_tokens(s);
    EXPECT_NE(std::find(cached.begin(), cached.end(), TinyVocab::end_think), cached.end());

    // Without an assistant message last there is nothing to continue.
    history.pop_back();
    EXPECT_THROW(s.reply(history, g, {}), Error);
}

TEST(ModelTokens, CountTokensIsPlainMessageText) {
    test::TempDir dir;
    const auto model = load_tiny(dir, TinyModelSpec{});
    const std::string text = "once upon a time <|im_end|>";
    EXPECT_EQ(model->count_tokens(text), static_cast<int>(tokenize(*model, text, false, false).size()));
    EXPECT_GT(model->count_tokens(text), 4);
    EXPECT_EQ(model->count_tokens(""), 0);
}

TEST(CodedErrors, LoadFailuresCarryCodeAndArguments) {
    test::TempDir dir;
    TinyModelSpec spec;
    spec.arch = "mamba";
    const auto path = dir / "mamba.gguf";
    test::write_tiny_model(path, spec);
    LoadOptions lo;
    lo.path = path;
    try {
        load_model(lo);
        FAIL() << "loaded";
    } catch (const Error& e) {
        EXPECT_EQ(e.code, ErrorCode::UnsupportedArchitecture);
        ASSERT_EQ(e.args.size(), 2u);
        EXPECT_EQ(e.args[1], "mamba");
    }
    lo.path = dir / "no-such-file.gguf";
    try {
        load_model(lo);
        FAIL() << "loaded";
    } catch (const Error& e) {
        EXPECT_EQ(e.code, ErrorCode::FileUnreadable) << e.what();
        ASSERT_EQ(e.args.size(), 2u);
        EXPECT_NE(e.args[0].find("no-such-file.gguf"), std::string::npos);
    }
}

TEST(CodedErrors, BackendChoiceCarriesReasonCode) {
    const BackendChoice cpu = choose_backend(BackendKind::Cpu, 0);
    EXPECT_EQ(cpu.reason_code, BackendReason::Requested);
    EXPECT_EQ(cpu.device_memory_bytes, 0u);
    const BackendChoice cuda = choose_backend(BackendKind::Cuda, 0);  // no CUDA backend is built yet
    EXPECT_EQ(cuda.reason_code, BackendReason::BackendNotBuilt);
    ASSERT_EQ(cuda.reason_args.size(), 1u);
    EXPECT_EQ(cuda.reason_args[0], "cuda");
    const BackendChoice automatic = choose_backend(BackendKind::Auto, 0);
    EXPECT_NE(automatic.reason_code, BackendReason::Other) << automatic.reason;
}

}  // namespace
}  // namespace ponder
