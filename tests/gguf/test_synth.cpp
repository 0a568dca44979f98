// test_synth.cpp: synthetic models have the real shapes, keys and llama-quantize type mix
// (expected values from testdata/perf/BASELINES.md and testdata/README.md, copied by hand).
#include "gguf/gguf_file.h"
#include "gguf/model_info.h"
#include "gguf/synth.h"
#include "quant/dequantize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace ponder {
namespace {

std::uint32_t ftype(const char* name) {
    const auto f = parse_file_type(name);
    EXPECT_TRUE(f) << name;
    return f.value_or(0);
}

struct PlanSummary {
    std::string mix;               // "F32:121, Q4_K:12, ..." by type name
    std::uint64_t data_bytes = 0;  // sum of tensor sizes
    std::map<std::string, DType> types;
    std::map<std::string, std::uint64_t> bytes;
};

PlanSummary summarize(const SynthPreset* preset, const char* type) {
    SynthOptions o;
    o.preset = preset;
    o.ftype = ftype(type);
    std::map<std::string, int> counts;
    PlanSummary s;
    for (const SynthTensor& t : synth_tensor_plan(o)) {
        counts[std::string(to_string(t.type))]++;
        const std::uint64_t b = row_bytes(t.type, t.ne0) * static_cast<std::uint64_t>(t.ne1 * t.ne2);
        s.data_bytes += b;
        s.types[t.name] = t.type;
        s.bytes[t.name] = b;
    }
    for (const auto& [name, n] : counts) s.mix += (s.mix.empty() ? "" : ", ") + name + ":" + std::to_string(n);
    return s;
}

TEST(GgufSynth, Qwen05BMatchesBaselines) {
    const SynthPreset* p = find_synth_preset("qwen2.5-0.5b");
    ASSERT_NE(p, nullptr);
    const auto q4 = summarize(p, "Q4_K_M");
    EXPECT_EQ(q4.mix, "F32:121, Q4_K:12, Q5_0:132, Q6_K:12, Q8_0:13");
    EXPECT_EQ(q4.data_bytes, 391859712u);
    EXPECT_EQ(q4.types.at("token_embd.weight"), DType::Q8_0);
    EXPECT_EQ(q4.bytes.at("token_embd.weight"), 144643072u);
    EXPECT_FALSE(q4.types.count("output.weight"));
    const std::map<std::string, DType> layer0 = {
        {"attn_k", DType::Q5_0},   {"attn_output", DType::Q5_0}, {"attn_q", DType::Q5_0}, {"attn_v", DType::Q8_0},
        {"ffn_down", DType::Q6_K}, {"ffn_gate", DType::Q5_0},    {"ffn_up", DType::Q5_0}};
    for (const auto& [n, t] : layer0) EXPECT_EQ(q4.types.at("blk.0." + n + ".weight"), t) << n;
    const auto q8 = summarize(p, "Q8_0");
    EXPECT_EQ(q8.mix, "F32:121, Q8_0:169");
    EXPECT_EQ(q8.data_bytes, 525120000u);
    const auto f16 = summarize(p, "F16");
    EXPECT_EQ(f16.mix, "F16:169, F32:121");
    EXPECT_EQ(f16.data_bytes, 988208640u);
    EXPECT_EQ(f16.bytes.at("token_embd.weight"), 272269312u);
}

TEST(GgufSynth, R1Distill15BMatchesBaselines) {
    const SynthPreset* p = find_synth_preset("r1-distill-qwen-1.5b");
    ASSERT_NE(p, nullptr);
    const auto q4 = summarize(p, "Q4_K_M");
    EXPECT_EQ(q4.mix, "F32:141, Q4_K:169, Q6_K:29");
    EXPECT_EQ(q4.data_bytes, 1111370240u);
    EXPECT_EQ(q4.types.at("token_embd.weight"), DType::Q4_K);
    EXPECT_EQ(q4.bytes.at("token_embd.weight"), 131272704u);
    EXPECT_EQ(q4.types.at("output.weight"), DType::Q6_K);
    EXPECT_EQ(q4.bytes.at("output.weight"), 191439360u);
    EXPECT_EQ(q4.types.at("blk.0.attn_v.weight"), DType::Q6_K);
    EXPECT_EQ(q4.types.at("blk.0.ffn_down.weight"), DType::Q6_K);
    EXPECT_EQ(q4.types.at("blk.3.attn_v.weight"), DType::Q4_K);    // not a "more bits" layer
    EXPECT_EQ(q4.types.at("blk.5.ffn_down.weight"), DType::Q6_K);  // (5 - 3) % 3 == 2
    const auto q8 = summarize(p, "Q8_0");
    EXPECT_EQ(q8.mix, "F32:141, Q8_0:198");
    EXPECT_EQ(q8.data_bytes, 1888581632u);
}

TEST(GgufSynth, Llama31AndLargerPresets) {
    const SynthPreset* l = find_synth_preset("llama3.1-8b");
    ASSERT_NE(l, nullptr);
    const auto q4 = summarize(l, "Q4_K_M");
    // 32 layers: 16 "more bits" layers give attn_v and ffn_down Q6_K (32), plus output Q6_K.
    EXPECT_EQ(q4.mix, "F32:66, Q4_K:193, Q6_K:33");  // 226 matrices; F32 = 64 norms + output_norm + rope_freqs
    EXPECT_EQ(q4.types.at("rope_freqs.weight"), DType::F32);
    const SynthPreset* q7 = find_synth_preset("r1-distill-qwen-7b");
    ASSERT_NE(q7, nullptr);
    EXPECT_EQ(summarize(q7, "Q4_K_M").mix, "F32:141, Q4_K:169, Q6_K:29");
    EXPECT_EQ(find_synth_preset("gpt-5"), nullptr);
}

// Shapes of the README's llama-t512 / qwen2-t512 models: llama-quantize's type counts for them.
constexpr SynthPreset kLlamaT512 = {"t", "t",  "llama",  256,   2,     8,     4,     32,          512,
                                    512, 2048, 10000.0f, 1e-5f, false, false, false, "none.gguf", "default"};
constexpr SynthPreset kQwen2T512 = {"t", "t",  "qwen2", 256,   2,     8,    2,     32,          512,
                                    512, 4096, 1e6f,    1e-6f, false, true, false, "none.gguf", "default"};

TEST(GgufSynth, TypePolicyMatchesReadmeTables) {
    EXPECT_EQ(summarize(&kLlamaT512, "Q4_K_M").mix, "F32:5, Q4_K:13, Q6_K:3");
    EXPECT_EQ(summarize(&kLlamaT512, "Q4_K_S").mix, "F32:5, Q4_K:13, Q5_K:2, Q6_K:1");
    EXPECT_EQ(summarize(&kLlamaT512, "Q5_K_M").mix, "F32:5, Q5_K:13, Q6_K:3");
    EXPECT_EQ(summarize(&kLlamaT512, "Q5_K_S").mix, "F32:5, Q5_K:15, Q6_K:1");
    EXPECT_EQ(summarize(&kLlamaT512, "Q6_K").mix, "F32:5, Q6_K:16");
    EXPECT_EQ(summarize(&kLlamaT512, "Q8_0").mix, "F32:5, Q8_0:16");
    EXPECT_EQ(summarize(&kLlamaT512, "Q4_0").mix, "F32:5, Q4_0:15, Q6_K:1");
    EXPECT_EQ(summarize(&kLlamaT512, "Q4_1").mix, "F32:5, Q4_1:15, Q6_K:1");
    EXPECT_EQ(summarize(&kLlamaT512, "Q5_0").mix, "F32:5, Q5_0:15, Q6_K:1");
    EXPECT_EQ(summarize(&kLlamaT512, "Q5_1").mix, "F32:5, Q5_1:15, Q6_K:1");
    EXPECT_EQ(summarize(&kLlamaT512, "IQ4_NL").mix, "F32:5, IQ4_NL:15, Q6_K:1");
    EXPECT_EQ(summarize(&kLlamaT512, "F16").mix, "F16:16, F32:5");
    EXPECT_EQ(summarize(&kLlamaT512, "BF16").mix, "BF16:16, F32:5");
    EXPECT_EQ(summarize(&kQwen2T512, "Q4_K_M").mix, "F32:11, Q4_K:13, Q6_K:3");
    EXPECT_EQ(summarize(&kQwen2T512, "Q5_K_M").mix, "F32:11, Q5_K:13, Q6_K:3");
    EXPECT_EQ(summarize(&kQwen2T512, "Q6_K").mix, "F32:11, Q6_K:16");
    EXPECT_EQ(summarize(&kQwen2T512, "Q4_0").mix, "F32:11, Q4_0:15, Q6_K:1");
    EXPECT_FALSE(synth_supports_file_type(ftype("Q2_K")));
}

// deepseek2lite-t512's shape (README): llama-quantize's Q4_K_M gave it F32:84, Q4_K:181, Q5_0:27,
// Q6_K:16 (routers stay F32, attn_k_b rows of 64 fall back to Q5_0, ffn_down*/output Q6_K).
constexpr SynthMla kLiteT512Mla = {0, 256, 64, 32, 128, 25, 4, 2, 2, 256, 1, 1, 1, false, 1.0f, 40.0f, 4096, 0.0707f};
constexpr SynthPreset kLiteT512 = {"t",   "t",   "deepseek2", 256,       27,           2,     1,
                                   0,     256,   512,         163840,    10000.0f,     1e-6f, false,
                                   false, false, "none.gguf", "default", &kLiteT512Mla};

TEST(GgufSynth, DeepseekV2LiteShapeAndTypeMix) {
    EXPECT_EQ(summarize(&kLiteT512, "Q4_K_M").mix, "F32:84, Q4_K:181, Q5_0:27, Q6_K:16");
    const SynthPreset* p = find_synth_preset("deepseek-v2-lite");
    ASSERT_NE(p, nullptr);
    ASSERT_NE(p->mla, nullptr);
    const PlanSummary s = summarize(p, "Q4_K_M");
    // 15.7 B parameters; 64 experts of 3 x 2048 x 1408 per MoE layer.
    EXPECT_EQ(s.types.at("blk.1.ffn_gate_exps.weight"), DType::Q4_K);
    EXPECT_EQ(s.types.at("blk.0.attn_k_b.weight"), DType::Q5_0);  // rows of 128
    EXPECT_EQ(s.types.at("blk.1.ffn_gate_inp.weight"), DType::F32);
    EXPECT_EQ(s.bytes.at("blk.1.ffn_up_exps.weight"), 64ull * 1408 * (2048 / 256) * 144);
    EXPECT_GT(s.data_bytes, 9'000'000'000ull);
    EXPECT_LT(s.data_bytes, 11'000'000'000ull);
}

TEST(GgufSynth, FallbacksForRowsThatAreNotBlockMultiples) {
    EXPECT_EQ(quantized_tensor_type(ftype("Q4_K_M"), "blk.3.attn_q.weight", 3, 24, 896, 2, false), DType::Q5_0);
    EXPECT_EQ(quantized_tensor_type(ftype("Q5_K_M"), "blk.3.attn_q.weight", 3, 24, 896, 2, false), DType::Q5_1);
    EXPECT_EQ(quantized_tensor_type(ftype("Q4_K_M"), "output.weight", 24, 24, 896, 2, true), DType::Q8_0);
    EXPECT_EQ(quantized_tensor_type(ftype("Q4_K_M"), "blk.0.attn_norm.weight", 0, 24, 896, 1, false), DType::F32);
    EXPECT_EQ(quantized_tensor_type(ftype("Q4_0"), "blk.0.attn_q.weight", 0, 2, 48, 2, false), DType::F16);
}

TEST(GgufSynth, TinyModelEndToEnd) {
    // A 300-token vocabulary is padded to the preset's 512 rows.
    GgufWriter vw;
    vw.set("general.architecture", "llama");
    vw.set("tokenizer.ggml.model", "gpt2");
    vw.set("tokenizer.chat_template", "{{ x }}");
    std::vector<std::string> tokens;
    for (int i = 0; i < 300; ++i) tokens.push_back("tok" + std::to_string(i));
    vw.set_array("tokenizer.ggml.tokens", tokens);
    vw.set_array("tokenizer.ggml.token_type", std::vector<std::int32_t>(300, 1));
    const auto vbytes = vw.to_bytes();
    const GgufFile vocab = GgufFile::from_memory(vbytes);

    SynthOptions o;
    o.preset = &kQwen2T512;
    o.ftype = ftype("Q4_K_M");
    o.seed = 42;
    o.vocab = &vocab;
    std::string notes;
    const auto bytes = build_synth_model(o, &notes).to_bytes();
    EXPECT_NE(notes.find("padded the vocabulary from 300 to 512"), std::string::npos) << notes;
    const GgufFile f = GgufFile::from_memory(bytes);
    EXPECT_EQ(f.get_string("general.architecture"), "qwen2");
    EXPECT_EQ(f.get_u32("qwen2.block_count"), 2u);
    EXPECT_EQ(f.get_u32("qwen2.attention.head_count_kv"), 2u);
    EXPECT_EQ(f.get_f32("qwen2.rope.freq_base"), 1e6f);
    EXPECT_EQ(f.get_u32("general.file_type"), 15u);
    EXPECT_EQ(f.get_string("tokenizer.chat_template"), "{{ x }}");
    const auto toks = f.get_strings("tokenizer.ggml.tokens");
    ASSERT_EQ(toks->size(), 512u);
    EXPECT_EQ((*toks)[299], "tok299");
    EXPECT_EQ((*toks)[300], "[PAD300]");
    EXPECT_EQ(f.get_array<std::int32_t>("tokenizer.ggml.token_type")->at(511), 5);
    EXPECT_EQ(f.tensors().size(), synth_tensor_plan(o).size());
    // Weights look like N(0, 0.02); norms like 1 + N(0, 0.02).
    const GgufTensor& q = f.require_tensor("blk.1.attn_q.weight");
    EXPECT_EQ(q.type, DType::Q4_K);
    std::vector<float> row(256);
    double sum2 = 0;
    for (std::int64_t r = 0; r < q.n_rows(); ++r) {
        dequantize_row(q.type, q.data + r * 144, row.data(), 256);
        for (float v : row) sum2 += static_cast<double>(v) * v;
    }
    const double rms = std::sqrt(sum2 / static_cast<double>(q.n_elements));
    EXPECT_GT(rms, 0.017);
    EXPECT_LT(rms, 0.023);
    const GgufTensor& norm = f.require_tensor("output_norm.weight");
    std::vector<float> nv(256);
    dequantize_row(DType::F32, norm.data, nv.data(), 256);
    double mean = 0;
    for (float v : nv) mean += v / 256.0;
    EXPECT_NEAR(mean, 1.0, 0.01);
    // Same seed, same bytes; another seed, other weights.
    EXPECT_EQ(build_synth_model(o).to_bytes(), bytes);
    o.seed = 43;
    EXPECT_NE(build_synth_model(o).to_bytes(), bytes);
}

TEST(GgufSynth, PlaceholderVocabularyAndRopeFactors) {
    SynthPreset p = kLlamaT512;
    p.llama3_rope_freqs = true;
    p.head_dim = 128;
    p.n_head = 2;
    p.n_kv_head = 1;
    p.rope_base = 500000.0f;
    SynthOptions o;
    o.preset = &p;
    o.ftype = ftype("Q8_0");
    std::string notes;
    const auto bytes = build_synth_model(o, &notes).to_bytes();
    EXPECT_NE(notes.find("placeholder"), std::string::npos);
    const GgufFile f = GgufFile::from_memory(bytes);
    const auto toks = f.get_strings("tokenizer.ggml.tokens");
    ASSERT_EQ(toks->size(), 512u);
    EXPECT_EQ((*toks)['A'], "A");
    EXPECT_EQ((*toks)[' '], "\xC4\xA0");  // GPT-2 byte-level: space is U+0120
    EXPECT_EQ((*toks)[511], "<|endoftext|>");
    const GgufTensor& rf = f.require_tensor("rope_freqs.weight");
    ASSERT_EQ(rf.ne[0], 64);
    std::vector<float> factors(64);
    dequantize_row(DType::F32, rf.data, factors.data(), 64);
    EXPECT_EQ(factors.front(), 1.0f);  // high-frequency dimensions are not scaled
    EXPECT_EQ(factors.back(), 8.0f);   // low-frequency dimensions get the full factor
    for (std::size_t i = 1; i < factors.size(); ++i) EXPECT_GE(factors[i], factors[i - 1]);
}

}  // namespace
}  // namespace ponder
