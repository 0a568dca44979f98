// test_model_info.cpp: inspect_model()/estimate_memory_bytes() on small synthetic files whose
// expected values follow directly from what was written.
#include "gguf/gguf_writer.h"
#include "gguf/model_info.h"
#include "support/temp_dir.h"
#include "support/testdata.h"

#include <gtest/gtest.h>

namespace ponder {
namespace {

void write_model(const std::filesystem::path& path, const std::string& tmpl, bool think_token) {
    GgufWriter w;
    w.set("general.architecture", "qwen2");
    w.set("general.name", "Tiny Qwen");
    w.set("qwen2.context_length", std::uint32_t{32768});
    w.set("qwen2.block_count", std::uint32_t{2});
    w.set("qwen2.embedding_length", std::uint32_t{64});
    w.set("qwen2.feed_forward_length", std::uint32_t{256});
    w.set("qwen2.attention.head_count", std::uint32_t{4});
    w.set("qwen2.attention.head_count_kv", std::uint32_t{2});
    w.set("tokenizer.ggml.model", "gpt2");
    w.set("tokenizer.ggml.pre", "qwen2");
    std::vector<std::string> tokens = {"a", "b", "c"};
    if (think_token) tokens.push_back("<think>");
    w.set_array("tokenizer.ggml.tokens", tokens);
    if (!tmpl.empty()) w.set("tokenizer.chat_template", tmpl);
    w.add_tensor("token_embd.weight", DType::Q8_0, {64, 4}, std::vector<float>(256, 0.1f));
    w.add_tensor("blk.0.attn_q.weight", DType::Q4_K, {256, 64}, std::vector<float>(256 * 64, 0.1f));
    w.add_tensor("blk.0.attn_norm.weight", DType::F32, {64}, std::vector<float>(64, 1.0f));
    w.write_file(path);
}

TEST(GgufModelInfo, ReadsHeaderFacts) {
    test::TempDir dir;
    write_model(dir / "m.gguf", "{{ messages }}", false);
    const ModelInfo info = inspect_model(dir / "m.gguf");
    EXPECT_EQ(info.name, "Tiny Qwen");
    EXPECT_EQ(info.architecture, "qwen2");
    EXPECT_TRUE(info.architecture_supported);
    EXPECT_EQ(info.split_count, 1);
    EXPECT_EQ(info.file_bytes, std::filesystem::file_size(dir / "m.gguf"));
    EXPECT_EQ(info.parameter_count, 256u + 256u * 64u + 64u);
    EXPECT_EQ(info.quantization, "Q4_K");  // 9216 bytes of Q4_K vs 272 of Q8_0; F32 norms ignored
    EXPECT_EQ(info.context_length, 32768);
    EXPECT_EQ(info.n_layers, 2);
    EXPECT_EQ(info.n_heads, 4);
    EXPECT_EQ(info.n_kv_heads, 2);
    EXPECT_EQ(info.embedding_length, 64);
    EXPECT_EQ(info.feed_forward_length, 256);
    EXPECT_EQ(info.head_dim, 16);
    EXPECT_EQ(info.tokenizer_model, "gpt2");
    EXPECT_EQ(info.tokenizer_pre, "qwen2");
    EXPECT_EQ(info.vocab_size, 3);
    EXPECT_TRUE(info.has_chat_template);
    EXPECT_FALSE(info.reasoning);
    // 2 layers x 2 KV heads x (16 + 16) values x 2 bytes.
    EXPECT_EQ(info.kv_bytes_per_token, 2u * 2u * 32u * 2u);
    const std::uint64_t m1 = estimate_memory_bytes(info, 1024);
    const std::uint64_t m2 = estimate_memory_bytes(info, 2048);
    EXPECT_GE(m1, info.file_bytes + 1024 * info.kv_bytes_per_token);
    EXPECT_GE(m2 - m1, 1024 * info.kv_bytes_per_token);
}

TEST(GgufModelInfo, ReasoningFromTemplateOrVocabulary) {
    test::TempDir dir;
    write_model(dir / "a.gguf", "{% if x %}<think>\n{% endif %}", false);
    EXPECT_TRUE(inspect_model(dir / "a.gguf").reasoning);
    write_model(dir / "b.gguf", "", true);
    const ModelInfo b = inspect_model(dir / "b.gguf");
    EXPECT_TRUE(b.reasoning);
    EXPECT_FALSE(b.has_chat_template);
}

TEST(GgufModelInfo, TypeUsageAndErrors) {
    test::TempDir dir;
    write_model(dir / "m.gguf", "", false);
    const GgufFile f = GgufFile::open(dir / "m.gguf");
    const auto usage = type_usage(f);
    ASSERT_EQ(usage.size(), 3u);
    EXPECT_EQ(usage[0].type, DType::Q4_K);
    EXPECT_EQ(usage[0].bytes, 64u * 144u);
    EXPECT_EQ(usage[0].count, 1u);
    EXPECT_FALSE(is_supported_architecture("mamba"));
    EXPECT_THROW(inspect_model(dir / "nope.gguf"), Error);
}

// Found by the fuzzer: hyper-parameters near the clamp limit made the KV-cache size overflow.
// Sizes derived from hostile values must saturate, never wrap to something small.
TEST(GgufModelInfo, HugeHyperParametersSaturateTheMemoryEstimate) {
    test::TempDir dir;
    GgufWriter w;
    w.set("general.architecture", "llama");
    w.set("llama.block_count", std::uint64_t{1} << 40);
    w.set("llama.embedding_length", std::uint64_t{1} << 40);
    w.set("llama.attention.head_count", std::uint64_t{1} << 40);
    w.set("llama.attention.head_count_kv", std::uint64_t{1} << 40);
    w.set("llama.attention.key_length", std::uint64_t{1} << 40);
    w.set("llama.attention.value_length", std::uint64_t{1} << 40);
    w.add_tensor("token_embd.weight", DType::F32, {4, 2}, std::vector<float>(8, 0.5f));
    w.write_file(dir / "huge.gguf");
    const ModelInfo info = inspect_model(dir / "huge.gguf");
    EXPECT_EQ(info.kv_bytes_per_token, UINT64_MAX);
    EXPECT_EQ(estimate_memory_bytes(info, 4096), UINT64_MAX);
}

// MLA (deepseek2): the cache holds one latent row [kv_lora | rope] per layer, and the memory
// estimate the app shows grows by that per position, not by per-head keys and values.
TEST(ModelInfo, Deepseek2LatentKvCacheAndEstimate) {
    PONDER_REQUIRE_TESTDATA();
    const ModelInfo info =
        inspect_model(*test::testdata_dir() / "models" / "synthetic" / "deepseek2lite-t512-Q4_K_M.gguf");
    EXPECT_TRUE(info.architecture_supported);
    EXPECT_EQ(info.kv_bytes_per_token, 27u * (256 + 32) * 2);          // F16 latent + rope part
    EXPECT_EQ(info.kv_bytes_per_token_mha, 27u * 2 * (96 + 128) * 2);  // 2 heads of K 96 + V 128
    const std::uint64_t per_position = estimate_memory_bytes(info, 4097) - estimate_memory_bytes(info, 4096);
    EXPECT_GE(per_position, info.kv_bytes_per_token);
    EXPECT_LT(per_position, info.kv_bytes_per_token_mha);
}

}  // namespace
}  // namespace ponder
