// step_test.cpp: the backend interface as the transformer uses it: a decode step is the same op
// sequence at every position and token (so a GPU backend can record it once and replay it), the
// per-step values reach the ops only through the uploaded step tensors, and a model whose tensors
// a backend cannot take is refused before loading with those tensors named.
#include "backend/backend_registry.h"
#include "gguf/gguf_file.h"
#include "gguf/synth.h"
#include "kv_cache/kv_cache.h"
#include "model/capabilities.h"
#include "model/config.h"
#include "model/transformer.h"
#include "model/weights.h"
#include "support/temp_dir.h"
#include "tiny_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace ponder {
namespace {

std::string describe(const Tensor& t) {
    std::ostringstream s;
    s << t.buffer << "+" << t.offset << ":" << to_string(t.type) << "[" << t.rows << "," << t.cols << "]/"
      << t.row_stride;
    return s.str();
}

// Forwards every call to a real backend and logs it with every argument the call is made with
// (tensor views, host parameters). Upload contents are left out of the log: they are the step's
// inputs, the one thing allowed to differ between two steps of the same shape.
class RecordingBackend final : public Backend {
public:
    explicit RecordingBackend(std::unique_ptr<Backend> inner) : m_inner(std::move(inner)) {}

    std::vector<std::string> log;
    std::set<void*> uploaded;  // buffers written with upload()
    std::set<DType> unsupported_matmul;
    std::set<DType> unsupported_cache;

    BackendKind kind() const override { return m_inner->kind(); }
    std::string_view name() const override { return "recording"; }
    std::string device_name() const override { return "test device"; }
    bool supports(BackendOp op, DType type) const override {
        if (op == BackendOp::MatMul && unsupported_matmul.count(type)) return false;
        if ((op == BackendOp::StoreKv || op == BackendOp::Attention) && unsupported_cache.count(type)) return false;
        return m_inner->supports(op, type);
    }
    Tensor alloc(DType type, std::int64_t rows, std::int64_t cols) override { return m_inner->alloc(type, rows, cols); }
    void release(const Tensor& t) override { m_inner->release(t); }
    Tensor map_weights(const void* data, DType type, std::int64_t rows, std::int64_t cols) override {
        return m_inner->map_weights(data, type, rows, cols);
    }
    void upload(const Tensor& dst, const void* src, std::size_t bytes) override {
        log.push_back("upload " + describe(dst) + " " + std::to_string(bytes));
        uploaded.insert(dst.buffer);
        m_inner->upload(dst, src, bytes);
    }
    void download(const Tensor& src, void* dst, std::size_t bytes) override {
        std::ostringstream s;
        s << "download " << describe(src) << " " << dst << " " << bytes;
        log.push_back(s.str());
        m_inner->download(src, dst, bytes);
    }
    void get_rows(const Tensor& table, const Tensor& ids, const Tensor& out) override {
        log.push_back("get_rows " + describe(table) + " " + describe(ids) + " " + describe(out));
        m_inner->get_rows(table, ids, out);
    }
    void rms_norm(const Tensor& x, const Tensor& w, float eps, const Tensor& out) override {
        log.push_back("rms_norm " + describe(x) + " " + describe(w) + " " + std::to_string(eps) + " " + describe(out));
        m_inner->rms_norm(x, w, eps, out);
    }
    void matmul(const Tensor& w, const Tensor& x, const Tensor& out) override {
        log.push_back("matmul " + describe(w) + " " + describe(x) + " " + describe(out));
        m_inner->matmul(w, x, out);
    }
    void add(const Tensor& a, const Tensor& b, const Tensor& out) override {
        log.push_back("add " + describe(a) + " " + describe(b) + " " + describe(out));
        m_inner->add(a, b, out);
    }
    void rope(const Tensor& x, const StepPositions& pos, const RopeParams& p) override {
        std::ostringstream s;
        s << "rope " << describe(x) << " " << describe(pos.pos) << " " << describe(pos.kv_len) << " " << p.n_heads
          << " " << p.head_dim << " " << p.n_rot << " " << p.offset << " " << p.freq_base << " " << p.freq_scale << " "
          << p.neox << " " << describe(p.freq_factors) << " " << p.ext_factor << " " << p.yarn_low << " " << p.yarn_high
          << " " << p.mscale;
        log.push_back(s.str());
        m_inner->rope(x, pos, p);
    }
    void store_kv(const Tensor& src, const Tensor& cache, const StepPositions& pos) override {
        log.push_back("store_kv " + describe(src) + " " + describe(cache) + " " + describe(pos.pos) + " " +
                      describe(pos.kv_len));
        m_inner->store_kv(src, cache, pos);
    }
    void attention(const Tensor& q, const Tensor& k, const Tensor& v, const StepPositions& pos,
                   const AttentionParams& p, const Tensor& out) override {
        std::ostringstream s;
        s << "attention " << describe(q) << " " << describe(k) << " " << describe(v) << " " << describe(pos.pos) << " "
          << describe(pos.kv_len) << " " << p.n_heads << " " << p.n_kv_heads << " " << p.head_dim << " " << p.scale
          << " " << describe(out);
        log.push_back(s.str());
        m_inner->attention(q, k, v, pos, p, out);
    }
    void swiglu(const Tensor& g, const Tensor& u, const Tensor& out) override {
        log.push_back("swiglu " + describe(g) + " " + describe(u) + " " + describe(out));
        m_inner->swiglu(g, u, out);
    }
    void scale(const Tensor& x, float s, const Tensor& out) override {
        log.push_back("scale " + describe(x) + " " + std::to_string(s) + " " + describe(out));
        m_inner->scale(x, s, out);
    }
    void copy(const Tensor& src, const Tensor& dst) override {
        log.push_back("copy " + describe(src) + " " + describe(dst));
        m_inner->copy(src, dst);
    }
    void top_k(const Tensor& logits, const Tensor& ids, const Tensor& values) override {
        log.push_back("top_k " + describe(logits) + " " + describe(ids) + " " + describe(values));
        m_inner->top_k(logits, ids, values);
    }
    void moe_route(const Tensor& logits, const Tensor& bias, const MoeRouting& p, const Tensor& ids,
                   const Tensor& w) override {
        std::ostringstream s;
        s << "moe_route " << describe(logits) << " " << describe(bias) << " " << p.n_experts << " " << p.n_used << " "
          << p.sigmoid << " " << p.n_groups << " " << p.n_groups_used << " " << p.normalize << " " << p.scale << " "
          << describe(ids) << " " << describe(w);
        log.push_back(s.str());
        m_inner->moe_route(logits, bias, p, ids, w);
    }
    void matmul_id(const Tensor& w, int n_experts, const Tensor& x, const Tensor& ids, const Tensor& out) override {
        log.push_back("matmul_id " + describe(w) + " " + std::to_string(n_experts) + " " + describe(x) + " " +
                      describe(ids) + " " + describe(out));
        m_inner->matmul_id(w, n_experts, x, ids, out);
    }
    void moe_combine(const Tensor& y, const Tensor& w, const Tensor& out) override {
        log.push_back("moe_combine " + describe(y) + " " + describe(w) + " " + describe(out));
        m_inner->moe_combine(y, w, out);
    }
    void finish() override {
        log.push_back("finish");
        m_inner->finish();
    }

private:
    std::unique_ptr<Backend> m_inner;
};

struct TinyRun {
    explicit TinyRun(const test::TinyModelSpec& spec, KvCacheType kv = KvCacheType::F16) {
        test::write_tiny_model(dir / "m.gguf", spec);
        file.emplace(GgufFile::open(dir / "m.gguf"));
        config = read_config(*file);
        BackendOptions o;
        o.threads = 1;
        backend = std::make_unique<RecordingBackend>(create_backend(BackendKind::Cpu, 0, o));
        kv_type = KvCache::dtype_for(kv, config.head_dim);
    }
    test::TempDir dir;
    std::optional<GgufFile> file;
    ModelConfig config;
    std::unique_ptr<RecordingBackend> backend;
    DType kv_type = DType::F16;
};

TEST(DecodeStep, SameOpSequenceAtEveryPositionAndToken) {
    test::TinyModelSpec spec;
    spec.weight_type = DType::Q8_0;
    spec.arch = "qwen2";  // biases: add with broadcast in the sequence too
    TinyRun run(spec);
    RecordingBackend& be = *run.backend;
    const ModelWeights w = bind_weights(*run.file, run.config, be);
    KvCache cache(be, run.config.n_layers, 64, run.config.kv_dim(), run.config.head_dim, KvCacheType::F16);
    Transformer tf(be, run.config, w, 16);
    std::vector<float> logits(static_cast<std::size_t>(run.config.vocab_size));

    const std::vector<std::int32_t> prompt = {1, 20, 30, 40, 50};
    ASSERT_TRUE(tf.forward(prompt, cache, logits));
    std::vector<std::vector<std::string>> steps;
    std::vector<std::vector<float>> step_logits;
    const std::int32_t next[] = {60, 61, 200, 60};
    for (std::int32_t token : next) {
        be.log.clear();
        be.uploaded.clear();
        ASSERT_TRUE(tf.forward(std::span<const std::int32_t>(&token, 1), cache, logits));
        steps.push_back(be.log);
        step_logits.push_back(logits);
        // Only the step inputs are uploaded: token ids, positions, attended length.
        EXPECT_EQ(be.uploaded.size(), 3u);
    }
    ASSERT_GT(steps[0].size(), 20u);
    for (std::size_t i = 1; i < steps.size(); ++i) {
        ASSERT_EQ(steps[i].size(), steps[0].size()) << "step " << i;
        for (std::size_t j = 0; j < steps[0].size(); ++j)
            EXPECT_EQ(steps[i][j], steps[0][j]) << "step " << i << " call " << j;
    }
    // The values did arrive through the step tensors: the same token at a later position (steps 0
    // and 3) gives other logits, as RoPE and the longer attended range must make it.
    EXPECT_NE(step_logits[0], step_logits[3]);
}

TEST(DecodeStep, BatchedPromptEqualsTokenByToken) {
    // The positions tensor carries each row's position: a 7-token step must give what seven
    // one-token steps give (same cache contents, so the same last logits up to rounding).
    test::TinyModelSpec spec;
    TinyRun run(spec);
    const ModelWeights w = bind_weights(*run.file, run.config, *run.backend);
    const std::vector<std::int32_t> prompt = {1, 9, 80, 81, 82, 83, 84};
    std::vector<float> batched(static_cast<std::size_t>(run.config.vocab_size)), single(batched.size());
    {
        KvCache cache(*run.backend, run.config.n_layers, 16, run.config.kv_dim(), run.config.head_dim,
                      KvCacheType::F32);
        Transformer tf(*run.backend, run.config, w, 16);
        ASSERT_TRUE(tf.forward(prompt, cache, batched));
    }
    {
        KvCache cache(*run.backend, run.config.n_layers, 16, run.config.kv_dim(), run.config.head_dim,
                      KvCacheType::F32);
        Transformer tf(*run.backend, run.config, w, 1);
        ASSERT_TRUE(tf.forward(prompt, cache, single));
    }
    double num = 0, den = 0;
    for (std::size_t i = 0; i < batched.size(); ++i) {
        num += (batched[i] - single[i]) * double(batched[i] - single[i]);
        den += double(single[i]) * single[i];
    }
    EXPECT_LT(num / den, 1e-8);
}

TEST(DecodeStep, TokenIdsOutsideTheVocabularyAreRefusedOnTheHost) {
    test::TinyModelSpec spec;
    TinyRun run(spec);
    const ModelWeights w = bind_weights(*run.file, run.config, *run.backend);
    KvCache cache(*run.backend, run.config.n_layers, 16, run.config.kv_dim(), run.config.head_dim, KvCacheType::F16);
    Transformer tf(*run.backend, run.config, w, 4);
    std::vector<float> logits(static_cast<std::size_t>(run.config.vocab_size));
    run.backend->log.clear();
    const std::int32_t bad[] = {3, run.config.vocab_size};
    EXPECT_THROW(tf.forward(bad, cache, logits), ponder::Error);
    EXPECT_TRUE(run.backend->log.empty());  // nothing reached the device
    EXPECT_EQ(cache.size(), 0);
}

// ---------------------------------------------------------------------------------------------
// Capabilities

// deepseek2 (MLA + MoE with groups + YaRN) replays too: routing, per-expert and per-head matmuls
// read their ids from device tensors, so a decode step is one fixed op sequence.
constexpr SynthMla kStepMla = {32, 64, 32, 16, 32, 1, 8, 2, 1, 64, 4, 2, 2, true, 2.5f, 40.0f, 4096, 0.1f};
constexpr SynthPreset kStepDs2 = {"step-ds2", "step", "deepseek2", 64,        3,        2,     1,
                                  0,          128,    300,         8192,      10000.0f, 1e-6f, false,
                                  false,      false,  "none.gguf", "default", &kStepMla};

TEST(DecodeStep, Deepseek2SameOpSequenceAtEveryPositionAndToken) {
    test::TempDir dir;
    SynthOptions o;
    o.preset = &kStepDs2;
    o.ftype = 7;  // Q8_0: activations are quantized inside matmul and matmul_id
    build_synth_model(o).write_file(dir / "ds2.gguf");
    const GgufFile file = GgufFile::open(dir / "ds2.gguf");
    const ModelConfig config = read_config(file);
    BackendOptions bo;
    bo.threads = 1;
    RecordingBackend be(create_backend(BackendKind::Cpu, 0, bo));
    const ModelWeights w = bind_weights(file, config, be);
    KvCache cache(be, config.n_layers, 64, config.kv_dim(), config.head_dim, KvCacheType::F16, config.mla());
    Transformer tf(be, config, w, 16);
    std::vector<float> logits(static_cast<std::size_t>(config.vocab_size));
    const std::vector<std::int32_t> prompt = {1, 20, 30, 40, 50};
    ASSERT_TRUE(tf.forward(prompt, cache, logits));
    std::vector<std::vector<std::string>> steps;
    for (std::int32_t token : {60, 61, 200}) {
        be.log.clear();
        be.uploaded.clear();
        ASSERT_TRUE(tf.forward(std::span<const std::int32_t>(&token, 1), cache, logits));
        steps.push_back(be.log);
        EXPECT_EQ(be.uploaded.size(), 3u);  // token ids, positions, attended length
    }
    std::size_t moe_calls = 0;
    for (const std::string& call : steps[0]) moe_calls += call.rfind("matmul_id", 0) == 0 ? 1 : 0;
    EXPECT_EQ(moe_calls, 3u * 2 + 2u * 3);  // k_b and v_b per layer; gate/up/down per MoE layer
    for (std::size_t i = 1; i < steps.size(); ++i) EXPECT_EQ(steps[i], steps[0]) << "step " << i;
    // The capability plan names the deepseek2 ops.
    const std::vector<WeightUse> plan = plan_weights(file, config);
    auto has = [&](const std::string& name, BackendOp op) {
        return std::any_of(plan.begin(), plan.end(),
                           [&](const WeightUse& u) { return u.tensor == name && u.op == op; });
    };
    EXPECT_TRUE(has("blk.0.attn_k_b.weight", BackendOp::MatMulId));
    EXPECT_TRUE(has("blk.1.ffn_gate_exps.weight", BackendOp::MatMulId));
    EXPECT_TRUE(has("blk.1.ffn_gate_inp.weight", BackendOp::MatMul));
    EXPECT_TRUE(has("blk.1.exp_probs_b.bias", BackendOp::MoeRoute));
    EXPECT_TRUE(missing_capabilities(be, plan, DType::F16).empty());
}

TEST(Capabilities, PlanListsEveryTensorWithItsOp) {
    test::TinyModelSpec spec;
    spec.arch = "qwen2";
    spec.tied_output = true;
    TinyRun run(spec);
    const std::vector<WeightUse> plan = plan_weights(*run.file, run.config);
    auto has = [&](const std::string& name, BackendOp op) {
        for (const WeightUse& u : plan)
            if (u.tensor == name && u.op == op) return true;
        return false;
    };
    EXPECT_TRUE(has("token_embd.weight", BackendOp::GetRows));
    EXPECT_TRUE(has("token_embd.weight", BackendOp::MatMul));  // tied: also the output matrix
    EXPECT_TRUE(has("output_norm.weight", BackendOp::RmsNorm));
    EXPECT_TRUE(has("blk.1.attn_q.bias", BackendOp::Add));
    EXPECT_TRUE(has("blk.1.ffn_down.weight", BackendOp::MatMul));
    EXPECT_FALSE(has("output.weight", BackendOp::MatMul));
    // The plan touches no backend: nothing was allocated or uploaded.
    EXPECT_TRUE(run.backend->log.empty());
}

TEST(Capabilities, CpuRunsEveryModelItCanBind) {
    for (DType t : {DType::F32, DType::F16, DType::Q8_0, DType::Q4_K, DType::Q6_K}) {
        test::TinyModelSpec spec;
        spec.weight_type = t;
        spec.dim = 256;
        spec.n_heads = 4;
        spec.hidden_dim = 256;
        TinyRun run(spec);
        const auto cpu = create_backend(BackendKind::Cpu, 0, {});
        EXPECT_TRUE(missing_capabilities(*cpu, plan_weights(*run.file, run.config), run.kv_type).empty())
            << to_string(t);
    }
}

TEST(Capabilities, RefusalNamesTheTensorsAndTheCache) {
    test::TinyModelSpec spec;
    spec.attn_q_type = DType::Q8_0;
    TinyRun run(spec);
    run.backend->unsupported_matmul.insert(DType::Q8_0);
    run.backend->unsupported_cache.insert(DType::F16);
    const std::vector<WeightUse> plan = plan_weights(*run.file, run.config);
    const auto missing = missing_capabilities(*run.backend, plan, DType::F16);
    ASSERT_EQ(missing.size(), 3u);  // matmul on Q8_0, store_kv on F16, attention on F16
    EXPECT_EQ(missing[0].op, BackendOp::MatMul);
    EXPECT_EQ(missing[0].type, DType::Q8_0);
    EXPECT_EQ(missing[0].tensors, (std::vector<std::string>{"blk.0.attn_q.weight", "blk.1.attn_q.weight"}));
    try {
        require_capabilities(*run.backend, plan, DType::F16, "m.gguf");
        FAIL() << "no error";
    } catch (const ponder::Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("m.gguf"), std::string::npos) << msg;
        EXPECT_NE(msg.find("matmul on Q8_0 (blk.0.attn_q.weight, blk.1.attn_q.weight)"), std::string::npos) << msg;
        EXPECT_NE(msg.find("attention on F16 (KV cache)"), std::string::npos) << msg;
        EXPECT_NE(msg.find("test device"), std::string::npos) << msg;
    }
    // A backend that has it all: no error.
    run.backend->unsupported_matmul.clear();
    run.backend->unsupported_cache.clear();
    EXPECT_NO_THROW(require_capabilities(*run.backend, plan, DType::F16, "m.gguf"));
    EXPECT_TRUE(run.backend->log.empty());  // checked before anything was allocated
}

TEST(Capabilities, ManyTensorsAreCountedNotListed) {
    test::TinyModelSpec spec;
    spec.weight_type = DType::Q8_0;
    spec.n_layers = 3;
    TinyRun run(spec);
    run.backend->unsupported_matmul.insert(DType::Q8_0);
    try {
        require_capabilities(*run.backend, plan_weights(*run.file, run.config), DType::F16, "m.gguf");
        FAIL() << "no error";
    } catch (const ponder::Error& e) {
        const std::string msg = e.what();
        // output + 3 layers x 6 matrices (attn_q stays F32): 19 tensors, three named.
        EXPECT_NE(
            msg.find("matmul on Q8_0 (output.weight, blk.0.attn_k.weight, blk.0.attn_v.weight and 16 more tensors)"),
            std::string::npos)
            << msg;
    }
}

}  // namespace
}  // namespace ponder
