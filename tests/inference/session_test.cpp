// session_test.cpp: sessions on tiny random models: cached-prefix reuse equals a full recompute,
// context-full policies, batching vs one token at a time, stops, seeds, and load errors.
#include "api/loaded_model.h"
#include "support/temp_dir.h"
#include "tiny_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stop_token>
#include <thread>

namespace ponder {
namespace {

using test::TinyModelSpec;
using test::TinyVocab;

std::shared_ptr<const Model> load_tiny(const test::TempDir& dir, const TinyModelSpec& spec, int context = 512,
                                       KvCacheType kv = KvCacheType::F16) {
    const auto path = dir / (spec.arch + "-" + std::to_string(spec.seed) + ".gguf");
    test::write_tiny_model(path, spec);
    LoadOptions lo;
    lo.path = path;
    lo.backend = BackendKind::Cpu;
    lo.context_length = context;
    lo.kv_cache = kv;
    lo.threads = 2;
    return load_model(lo);
}

GenerateOptions greedy(int max_tokens, ContextPolicy policy = ContextPolicy::DropOldest) {
    GenerateOptions g;
    g.sampling.temperature = 0.0f;
    g.max_tokens = max_tokens;
    g.context_policy = policy;
    return g;
}

double max_rel_diff(std::span<const float> a, std::span<const float> b) {
    double d = 0, r = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        d = std::max(d, static_cast<double>(std::abs(a[i] - b[i])));
        r = std::max(r, static_cast<double>(std::abs(b[i])));
    }
    return d / std::max(r, 1e-30);
}

std::string collect(Session& s, std::string_view text, const GenerateOptions& g, GenerationStats* stats = nullptr) {
    std::string out;
    const GenerationStats st = s.complete(text, g, [&](const Piece& p) {
        out.append(p.text);
        return true;
    });
    if (stats) *stats = st;
    return out;
}

class EveryArch : public ::testing::TestWithParam<const char*> {};

// Batched prompt processing, one-token steps and chunked prompts must give the same logits.
TEST_P(EveryArch, BatchedPromptEqualsTokenByToken) {
    test::TempDir dir;
    TinyModelSpec spec;
    spec.arch = GetParam();
    const auto model = load_tiny(dir, spec, 512, KvCacheType::F32);
    std::vector<std::int32_t> ids;
    for (int i = 0; i < 40; ++i) ids.push_back(TinyVocab::first_byte + 65 + (i * 7) % 26);
    const std::vector<float> batched = eval_logits(*model, ids);

    EvalContext one(model, 64);
    std::span<const float> last;
    for (std::int32_t id : ids) last = one.eval(std::span<const std::int32_t>(&id, 1));
    EXPECT_LT(max_rel_diff(last, batched), 1e-3);

    EvalContext chunked(model, 64, /*max_batch=*/7);
    EXPECT_LT(max_rel_diff(chunked.eval(ids), batched), 1e-3);
}

// The F16 (default) and Q8_0 caches stay close to an exact F32 cache.
TEST_P(EveryArch, KvCacheTypesAgree) {
    test::TempDir dir;
    TinyModelSpec spec;
    spec.arch = GetParam();
    spec.dim = 128;  // head_dim 32: Q8_0 blocks fit the heads
    std::vector<std::int32_t> ids;
    for (int i = 0; i < 40; ++i) ids.push_back(TinyVocab::first_byte + 97 + (i * 5) % 26);
    const auto f32 = eval_logits(*load_tiny(dir, spec, 512, KvCacheType::F32), ids);
    const auto f16 = eval_logits(*load_tiny(dir, spec, 512, KvCacheType::F16), ids);
    const auto q8 = eval_logits(*load_tiny(dir, spec, 512, KvCacheType::Q8_0), ids);
    EXPECT_LT(max_rel_diff(f16, f32), 0.005);
    EXPECT_LT(max_rel_diff(q8, f32), 0.10);                    // 8-bit keys: sharp random attention moves ~5 %
    EXPECT_GT(max_rel_diff(q8, f32), max_rel_diff(f16, f32));  // it really is the coarser format

    // head_dim 16: a Q8_0 request falls back to F16
    spec.dim = 64;
    spec.seed = 2;
    const auto f16_small = eval_logits(*load_tiny(dir, spec, 512, KvCacheType::F16), ids);
    EXPECT_EQ(eval_logits(*load_tiny(dir, spec, 512, KvCacheType::Q8_0), ids), f16_small);
}

INSTANTIATE_TEST_SUITE_P(Archs, EveryArch, ::testing::Values("llama", "qwen2", "qwen3"));

TEST(InferenceSession, FollowUpReusesPrefixAndMatchesFullRecompute) {
    test::TempDir dir;
    const auto model = load_tiny(dir, TinyModelSpec{});
    std::vector<Message> history{{Role::System, "be brief", {}}, {Role::User, "once upon a time", {}}};
    Session s(model);
    std::string answer;
    GenerationStats first = s.reply(history, greedy(6), [&](const Piece& p) {
        answer.append(p.text);
        return true;
    });
    EXPECT_EQ(first.reused_tokens, 0);
    EXPECT_EQ(first.generated_tokens, 6);
    history.push_back({Role::Assistant, answer, {}});
    history.push_back({Role::User, "and then", {}});

    const GenerationStats second = s.reply(history, greedy(0), {});
    EXPECT_GT(second.reused_tokens, 10);
    EXPECT_LT(second.reused_tokens, second.prompt_tokens);
    const std::vector<float> reused(SessionAccess::last_logits(s).begin(), SessionAccess::last_logits(s).end());

    Session fresh(model);
    const GenerationStats full = fresh.reply(history, greedy(0), {});
    EXPECT_EQ(full.reused_tokens, 0);
    EXPECT_EQ(full.prompt_tokens, second.prompt_tokens);
    ASSERT_EQ(reused.size(), SessionAccess::last_logits(fresh).size());
    EXPECT_LT(max_rel_diff(reused, SessionAccess::last_logits(fresh)), 1e-4);
}

TEST(InferenceSession, SameSeedSameTextAndStopsWork) {
    test::TempDir dir;
    const auto model = load_tiny(dir, TinyModelSpec{});
    GenerateOptions g;
    g.sampling.temperature = 0.9f;
    g.sampling.seed = 77;
    g.max_tokens = 20;
    Session a(model), b(model);
    const std::string ta = collect(a, "once upon a time", g);
    EXPECT_FALSE(ta.empty());
    EXPECT_EQ(ta, collect(b, "once upon a time", g));

    // on_piece returning false stops at once
    int pieces = 0;
    const GenerationStats st = a.complete("the", greedy(50), [&](const Piece&) { return ++pieces < 3; });
    EXPECT_EQ(st.stop_reason, StopReason::Cancelled);
    EXPECT_EQ(pieces, 3);
    // a stop request before the first token generates nothing
    std::stop_source src;
    src.request_stop();
    const GenerationStats st2 = a.complete("the", greedy(50), {}, src.get_token());
    EXPECT_EQ(st2.stop_reason, StopReason::Cancelled);
    EXPECT_EQ(st2.generated_tokens, 0);
}

TEST(InferenceSession, SessionsOnTwoThreadsShareOneModel) {
    test::TempDir dir;
    const auto model = load_tiny(dir, TinyModelSpec{});
    GenerateOptions g;
    g.sampling.temperature = 0.8f;
    g.sampling.seed = 5;
    g.max_tokens = 24;
    std::string expected_a, expected_b;
    {
        Session a(model), b(model);
        expected_a = collect(a, "once upon a time", g);
        expected_b = collect(b, "the end", g);
    }
    std::string got_a, got_b;
    {
        std::jthread ta([&] {
            for (int i = 0; i < 3; ++i) {
                Session a(model);
                got_a = collect(a, "once upon a time", g);
            }
        });
        std::jthread tb([&] {
            for (int i = 0; i < 3; ++i) {
                Session b(model);
                got_b = collect(b, "the end", g);
            }
        });
    }
    EXPECT_EQ(got_a, expected_a);
    EXPECT_EQ(got_b, expected_b);
}

TEST(InferenceSession, StopDuringALongPromptEndsAfterTheCurrentChunk) {
    test::TempDir dir;
    TinyModelSpec spec;
    spec.context_length = 4096;
    const auto model = load_tiny(dir, spec, 2048);
    ASSERT_EQ(model->context_length(), 2048);
    Session s(model);
    std::stop_source src;
    src.request_stop();
    const std::string text(1500, 'c');  // 1501 tokens: three chunks of at most 512
    const GenerationStats st = s.complete(text, greedy(5), {}, src.get_token());
    EXPECT_EQ(st.stop_reason, StopReason::Cancelled);
    EXPECT_EQ(st.generated_tokens, 0);
    EXPECT_EQ(st.context_used, 512);
    // the processed chunk is reused next time
    GenerationStats again;
    collect(s, text, greedy(2), &again);
    EXPECT_EQ(again.reused_tokens, 512);
    EXPECT_EQ(again.generated_tokens, 2);
}

// Stop while a full context is shifted (old context dropped, the rest processed again) used to
// wait for the whole re-processing; it ends after the current chunk, as during a prompt.
TEST(InferenceSession, StopDuringAContextShiftEndsAfterTheCurrentChunk) {
    test::TempDir dir;
    TinyModelSpec spec;
    spec.context_length = 4096;
    const auto model = load_tiny(dir, spec, 2048);
    Session s(model);
    const std::string text(1500, 'c');  // 1501 tokens
    std::stop_source src;
    // A piece is shown before its token is fed: with the context full, feeding it shifts.
    const GenerationStats st = s.complete(
        text, greedy(-1),
        [&](const Piece&) {
            if (SessionAccess::cached_tokens(s).size() == 2048) src.request_stop();
            return true;
        },
        src.get_token());
    ASSERT_TRUE(src.stop_requested()) << "the context never filled";
    EXPECT_EQ(st.stop_reason, StopReason::Cancelled);
    EXPECT_LE(st.context_used, 512 + 1);  // the kept BOS and one chunk, not the whole re-processed rest
}

TEST(InferenceSession, ContextFullStopPolicyStops) {
    test::TempDir dir;
    const auto model = load_tiny(dir, TinyModelSpec{}, 48);
    ASSERT_EQ(model->context_length(), 48);
    Session s(model);
    GenerationStats st;
    collect(s, "once upon a time", greedy(-1, ContextPolicy::Stop), &st);
    EXPECT_EQ(st.stop_reason, StopReason::ContextFull);
    EXPECT_EQ(st.context_used, 48);
    EXPECT_EQ(st.prompt_tokens + st.generated_tokens, 49);  // the last token could not be fed

    // a prompt longer than the context: no crash, nothing generated
    const std::string long_text(300, 'a');
    collect(s, long_text, greedy(-1, ContextPolicy::Stop), &st);
    EXPECT_EQ(st.stop_reason, StopReason::ContextFull);
    EXPECT_EQ(st.generated_tokens, 0);
}

TEST(InferenceSession, ContextFullDropOldestKeepsGoing) {
    test::TempDir dir;
    const auto model = load_tiny(dir, TinyModelSpec{}, 48);
    Session s(model);
    GenerationStats st;
    collect(s, "once upon a time", greedy(120), &st);
    EXPECT_EQ(st.stop_reason, StopReason::MaxTokens);
    EXPECT_EQ(st.generated_tokens, 120);
    EXPECT_LE(st.context_used, 48);
    ASSERT_FALSE(SessionAccess::cached_tokens(s).empty());
    EXPECT_EQ(SessionAccess::cached_tokens(s)[0], TinyVocab::bos);  // BOS is never dropped

    const std::string long_text(300, 'b');  // longer than the context: the tail is kept
    collect(s, long_text, greedy(5), &st);
    EXPECT_EQ(st.stop_reason, StopReason::MaxTokens);
    EXPECT_EQ(st.generated_tokens, 5);
}

TEST(InferenceSession, DropOldestKeepsTheSystemPrompt) {
    test::TempDir dir;
    const auto model = load_tiny(dir, TinyModelSpec{}, 96);
    std::vector<Message> history{{Role::System, "sys", {}}};
    for (int i = 0; i < 6; ++i) {
        history.push_back({Role::User, "question number " + std::string(1, static_cast<char>('a' + i)), {}});
        history.push_back({Role::Assistant, "answer", {}});
    }
    history.push_back({Role::User, "last question", {}});
    Session s(model);
    const GenerationStats st = s.reply(history, greedy(30), {});
    EXPECT_EQ(st.generated_tokens, 30);
    // The cache starts with BOS + the rendered system turn, token for token.
    const std::vector<std::int32_t> sys = tokenize(*model, "<|im_start|>system\nsys<|im_end|>\n", true, true);
    const auto cached = SessionAccess::cached_tokens(s);
    ASSERT_GE(cached.size(), sys.size());
    EXPECT_TRUE(std::equal(sys.begin(), sys.end(), cached.begin()));
    EXPECT_LE(st.context_used, 96);

    // One question longer than the whole context: its tail is kept after the system prompt.
    const std::vector<Message> huge{{Role::System, "sys", {}}, {Role::User, std::string(400, 'q'), {}}};
    const GenerationStats st2 = s.reply(huge, greedy(10), {});
    EXPECT_EQ(st2.generated_tokens, 10);
    const auto cached2 = SessionAccess::cached_tokens(s);
    EXPECT_TRUE(std::equal(sys.begin(), sys.end(), cached2.begin()));
    EXPECT_LE(st2.context_used, 96);
}

TEST(InferenceSession, ReasoningBudgetClosesTheThinkBlock) {
    test::TempDir dir;
    TinyModelSpec spec;
    spec.think_template = true;
    const auto model = load_tiny(dir, spec);
    const std::vector<Message> history{{Role::User, "once upon a time", {}}};
    GenerateOptions g = greedy(12);
    g.reasoning_budget = 4;
    Session s(model);
    std::vector<Channel> channels;
    std::string answer;
    const GenerationStats st = s.reply(history, g, [&](const Piece& p) {
        channels.push_back(p.channel);
        if (p.channel == Channel::Answer) answer.append(p.text);
        return true;
    });
    EXPECT_EQ(st.generated_tokens, 12);
    EXPECT_EQ(st.reasoning_tokens, 4);
    ASSERT_FALSE(channels.empty());
    EXPECT_EQ(channels.front(), Channel::Reasoning);
    EXPECT_EQ(channels.back(), Channel::Answer);
    EXPECT_TRUE(std::is_sorted(channels.begin(), channels.end(), [](Channel a, Channel b) {
        return a == Channel::Reasoning && b == Channel::Answer;  // never back to reasoning
    }));
    // the engine fed the close marker into the model itself
    const auto cached = SessionAccess::cached_tokens(s);
    EXPECT_NE(std::find(cached.begin(), cached.end(), TinyVocab::end_think), cached.end());
    EXPECT_EQ(answer.find("</think>"), std::string::npos);

    // without a budget everything after the prompt-opened block is reasoning
    Session s2(model);
    const GenerationStats st2 = s2.reply(history, greedy(8), {});
    EXPECT_EQ(st2.reasoning_tokens, 8);
}

TEST(ModelLoad, UnsupportedArchitectureIsNamed) {
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
        EXPECT_NE(std::string(e.what()).find("architecture mamba is not supported yet"), std::string::npos) << e.what();
    }
}

// The app shows what a load is doing (the upload to a GPU is most of it): phases come in order,
// the weights phase is reported once per tensor with the backend they go to, and the fraction
// never goes back and ends at 1.
TEST(ModelLoad, ProgressReportsItsPhasesInOrder) {
    test::TempDir dir;
    TinyModelSpec spec;
    const auto path = dir / "phases.gguf";
    test::write_tiny_model(path, spec);
    LoadOptions lo;
    lo.path = path;
    lo.backend = BackendKind::Cpu;
    lo.threads = 2;
    std::vector<LoadProgress> seen;
    const auto model = load_model_with_progress(lo, [&](const LoadProgress& p) {
        seen.push_back(p);
        return true;
    });
    ASSERT_TRUE(model);
    ASSERT_GE(seen.size(), 4u);
    EXPECT_EQ(seen.front().phase, LoadPhase::Reading);
    EXPECT_EQ(seen.back().phase, LoadPhase::Finishing);
    EXPECT_FLOAT_EQ(seen.back().fraction, 1.0f);
    int weights = 0;
    for (std::size_t i = 1; i < seen.size(); ++i) {
        EXPECT_GE(seen[i].fraction, seen[i - 1].fraction) << i;
        EXPECT_GE(static_cast<int>(seen[i].phase), static_cast<int>(seen[i - 1].phase)) << i;
        if (seen[i].phase == LoadPhase::Weights) {
            ++weights;
            EXPECT_EQ(seen[i].backend, BackendKind::Cpu);
        }
    }
    EXPECT_GT(weights, spec.n_layers) << "one report per tensor";
    // Cancelling in the weights phase still throws Cancelled.
    EXPECT_THROW(load_model_with_progress(lo, [](const LoadProgress& p) { return p.phase != LoadPhase::Weights; }),
                 Cancelled);
}

std::string load_error(const test::TempDir& dir, const TinyModelSpec& spec) {
    const auto path = dir / "bad.gguf";
    test::write_tiny_model(path, spec);
    LoadOptions lo;
    lo.path = path;
    try {
        load_model(lo);
    } catch (const Error& e) {
        return e.what();
    }
    return "(loaded)";
}

TEST(ModelLoad, BadShapesAndMissingTensorsAreNamed) {
    test::TempDir dir;
    TinyModelSpec spec;
    spec.n_heads = 4;
    spec.n_kv_heads = 3;  // must divide the query heads
    EXPECT_NE(load_error(dir, spec).find("head_count_kv"), std::string::npos) << load_error(dir, spec);

    TinyModelSpec missing;
    missing.omit_tensor = "blk.1.ffn_down.weight";
    EXPECT_NE(load_error(dir, missing).find("blk.1.ffn_down.weight is missing"), std::string::npos)
        << load_error(dir, missing);

    TinyModelSpec qwen2;
    qwen2.arch = "qwen2";
    qwen2.omit_tensor = "blk.0.attn_k.bias";  // qwen2 requires its q/k/v biases
    EXPECT_NE(load_error(dir, qwen2).find("blk.0.attn_k.bias"), std::string::npos) << load_error(dir, qwen2);

    TinyModelSpec qwen3;
    qwen3.arch = "qwen3";
    qwen3.omit_tensor = "blk.0.attn_q_norm.weight";
    EXPECT_NE(load_error(dir, qwen3).find("attn_q_norm"), std::string::npos) << load_error(dir, qwen3);
}

TEST(ModelLoad, UnsupportedWeightTypeIsNamed) {
    test::TempDir dir;
    TinyModelSpec spec;
    spec.dim = 256;
    spec.n_heads = 4;
    spec.attn_q_type = DType::IQ2_XXS;
    const auto path = dir / "iq2.gguf";
    test::write_tiny_model(path, spec);
    LoadOptions lo;
    lo.path = path;
    lo.backend = BackendKind::Cpu;
    try {
        load_model(lo);
        FAIL() << "loaded";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("IQ2_XXS"), std::string::npos) << msg;
        EXPECT_NE(msg.find("blk.0.attn_q.weight"), std::string::npos) << msg;
    }
}

TEST(ModelLoad, TruncatedFileAndBadTokenIdsAreErrors) {
    test::TempDir dir;
    const auto path = dir / "cut.gguf";
    const std::uint64_t size = test::write_tiny_model(path, TinyModelSpec{});
    std::filesystem::resize_file(path, size / 2);
    LoadOptions lo;
    lo.path = path;
    EXPECT_THROW(load_model(lo), Error);

    const auto model = load_tiny(dir, TinyModelSpec{});
    const std::vector<std::int32_t> bad{TinyVocab::bos, 100000};
    try {
        eval_logits(*model, bad);
        FAIL() << "accepted token 100000";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("100000"), std::string::npos) << e.what();
    }
}

TEST(ModelLoad, ProgressCanCancel) {
    test::TempDir dir;
    const auto path = dir / "tiny.gguf";
    test::write_tiny_model(path, TinyModelSpec{});
    LoadOptions lo;
    lo.path = path;
    std::vector<float> seen;
    EXPECT_THROW(load_model(lo,
                            [&](float f) {
                                seen.push_back(f);
                                return f < 0.5f;
                            }),
                 Cancelled);
    ASSERT_FALSE(seen.empty());
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_GE(seen.back(), 0.5f);
    // without cancelling it loads and reports 1 at the end
    seen.clear();
    const auto model = load_model(lo, [&](float f) {
        seen.push_back(f);
        return true;
    });
    ASSERT_TRUE(model);
    EXPECT_EQ(seen.back(), 1.0f);
}

// Resident memory of this process from /proc/self/status ("RssAnon:", "RssFile:"), in kB.
long status_kb(const std::string& field) {
    std::ifstream in("/proc/self/status");
    std::string key;
    long value = -1;
    while (in >> key) {
        if (key == field) {
            in >> value;
            return value;
        }
        in.ignore(1 << 12, '\n');
    }
    return -1;
}

std::uint64_t write_memory_test_model(const std::filesystem::path& path, DType type) {
    TinyModelSpec spec;
    spec.dim = 512;
    spec.n_heads = 8;
    spec.n_kv_heads = 8;
    spec.hidden_dim = 2048;
    spec.n_layers = 4;
    spec.weight_type = type;
    spec.attn_q_type = type;
    return test::write_tiny_model(path, spec);
}

// Weights the CPU kernels use as filed (F32) stay in the file mapping: loading and running a
// model adds far less anonymous memory than the file's size.
TEST(ModelLoad, WeightsUsedAsFiledAreMappedNotCopied) {
    test::TempDir dir;
    const auto path = dir / "f32.gguf";
    const std::uint64_t file_bytes = write_memory_test_model(path, DType::F32);
    const long before = status_kb("RssAnon:");
    if (before < 0) GTEST_SKIP() << "no /proc/self/status RssAnon on this system";
    LoadOptions lo;
    lo.path = path;
    lo.context_length = 64;
    const auto model = load_model(lo);
    const std::vector<std::int32_t> ids{TinyVocab::bos, 300, 301, 302};
    eval_logits(*model, ids);
    const long grown_kb = status_kb("RssAnon:") - before;
    std::printf("file %.1f MB, anonymous memory grew by %.1f MB\n", file_bytes / 1e6, grown_kb / 1e3);
    EXPECT_LT(static_cast<double>(grown_kb) * 1024, 0.25 * static_cast<double>(file_bytes));
}

// Weights the CPU backend repacks at load (Q4_K on AVX2 / AVX-512 machines) are read once from
// the file; the file's pages are let go, so resident memory grows by about the file's size, not
// twice it. (Where nothing is repacked, the mapped pages alone count: the bound holds too.)
TEST(ModelLoad, RepackedWeightsDoNotKeepTheFileResidentToo) {
    test::TempDir dir;
    const auto path = dir / "q4k.gguf";
    const std::uint64_t file_bytes = write_memory_test_model(path, DType::Q4_K);
    const long anon0 = status_kb("RssAnon:"), file0 = status_kb("RssFile:");
    if (anon0 < 0 || file0 < 0) GTEST_SKIP() << "no /proc/self/status RssAnon / RssFile on this system";
    LoadOptions lo;
    lo.path = path;
    lo.context_length = 64;
    lo.backend = BackendKind::Cpu;
    const auto model = load_model(lo);
    const std::vector<std::int32_t> ids{TinyVocab::bos, 300, 301, 302};
    eval_logits(*model, ids);
    const long grown_kb = status_kb("RssAnon:") - anon0 + status_kb("RssFile:") - file0;
    std::printf("file %.1f MB, resident memory grew by %.1f MB\n", file_bytes / 1e6, grown_kb / 1e3);
    EXPECT_LT(static_cast<double>(grown_kb) * 1024, 1.3 * static_cast<double>(file_bytes));
}

}  // namespace
}  // namespace ponder
