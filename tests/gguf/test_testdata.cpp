// test_testdata.cpp: every llama.cpp reference file opens, and its shapes, hyper-parameters,
// tensor types and tokenizer facts match the table in testdata/README.md (copied here by hand:
// the README is the independent source, the parser is the code under test).
#include "gguf/gguf_file.h"
#include "gguf/model_info.h"
#include "support/testdata.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace ponder {
namespace {

struct ModelRow {
    const char* file;
    std::uint64_t bytes;
    const char* arch;
    std::uint64_t vocab;
    const char* tok_model;
    const char* tok_pre;  // "-" = not set
    std::int64_t n_embd, n_layer, n_head, n_kv, key_length, n_ff, ctx;
    float rope_base;
    bool tied, chat_template;
    const char* types;  // "F32:5, Q4_K:13, Q6_K:3" (README order: by type name)
};

// testdata/README.md section 2, `models/synthetic/` table.
const ModelRow kModels[] = {
    {"deepseek2-t512-F32.gguf", 13204736, "deepseek2", 512, "llama", "-", 256, 2, 4, 1, 288, 512, 163840, 10000.0f,
     false, false, "F32:34"},
    {"deepseek2-t512-Q4_0.gguf", 1918240, "deepseek2", 512, "llama", "-", 256, 2, 4, 1, 288, 512, 163840, 10000.0f,
     false, false, "F32:11, Q4_0:22, Q6_K:1"},
    {"deepseek2-t512-Q4_K_M.gguf", 2103072, "deepseek2", 512, "llama", "-", 256, 2, 4, 1, 288, 512, 163840, 10000.0f,
     false, false, "F32:11, Q4_K:16, Q5_0:2, Q5_K:2, Q6_K:3"},
    {"deepseek2-t512-Q5_K_M.gguf", 2400032, "deepseek2", 512, "llama", "-", 256, 2, 4, 1, 288, 512, 163840, 10000.0f,
     false, false, "F32:11, Q5_1:2, Q5_K:18, Q6_K:3"},
    {"deepseek2-t512-Q6_K.gguf", 2765216, "deepseek2", 512, "llama", "-", 256, 2, 4, 1, 288, 512, 163840, 10000.0f,
     false, false, "F32:11, Q6_K:21, Q8_0:2"},
    {"deepseek2-t512-Q8_0.gguf", 3531040, "deepseek2", 512, "llama", "-", 256, 2, 4, 1, 288, 512, 163840, 10000.0f,
     false, false, "F32:11, Q8_0:23"},
    {"deepseek2lite-t512-Q4_K_M.gguf", 9250624, "deepseek2", 512, "llama", "-", 256, 27, 2, 1, 288, 256, 163840,
     10000.0f, false, false, "F32:84, Q4_K:181, Q5_0:27, Q6_K:16"},
    {"llama-t512-BF16.gguf", 2901408, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "BF16:16, F32:5"},
    {"llama-t512-F16.gguf", 2901408, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "F16:16, F32:5"},
    {"llama-t512-F32.gguf", 5784928, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "F32:21"},
    {"llama-t512-IQ4_NL.gguf", 862624, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "F32:5, IQ4_NL:15, Q6_K:1"},
    {"llama-t512-IQ4_XS.gguf", 821664, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "F32:5, IQ4_XS:15, Q6_K:1"},
    {"llama-t512-Q2_K.gguf", 602016, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "F32:5, Q2_K:9, Q3_K:6, Q6_K:1"},
    {"llama-t512-Q3_K_M.gguf", 757664, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "F32:5, Q3_K:9, Q4_K:4, Q5_K:2, Q6_K:1"},
    {"llama-t512-Q4_0.gguf", 862624, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "F32:5, Q4_0:15, Q6_K:1"},
    {"llama-t512-Q4_1.gguf", 944544, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "F32:5, Q4_1:15, Q6_K:1"},
    {"llama-t512-Q4_K_M.gguf", 904864, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "F32:5, Q4_K:13, Q6_K:3"},
    {"llama-t512-Q4_K_S.gguf", 870816, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "F32:5, Q4_K:13, Q5_K:2, Q6_K:1"},
    {"llama-t512-Q5_0.gguf", 1026464, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "F32:5, Q5_0:15, Q6_K:1"},
    {"llama-t512-Q5_1.gguf", 1108384, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "F32:5, Q5_1:15, Q6_K:1"},
    {"llama-t512-Q5_K_M.gguf", 1048224, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "F32:5, Q5_K:13, Q6_K:3"},
    {"llama-t512-Q5_K_S.gguf", 1026464, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "F32:5, Q5_K:15, Q6_K:1"},
    {"llama-t512-Q6_K.gguf", 1200544, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "F32:5, Q6_K:16"},
    {"llama-t512-Q8_0.gguf", 1549728, "llama", 512, "llama", "-", 256, 2, 8, 4, 32, 512, 2048, 10000.0f, false, false,
     "F32:5, Q8_0:16"},
    {"llama3-fv-Q4_K_M.gguf", 35423648, "llama", 128256, "gpt2", "llama-bpe", 256, 2, 8, 2, 32, 512, 131072, 500000.0f,
     true, true, "F32:6, Q4_K:12, Q6_K:3"},
    {"qwen2-r1-fv-Q4_K_M.gguf", 38511872, "qwen2", 151936, "gpt2", "deepseek-r1-qwen", 256, 2, 8, 2, 32, 512, 131072,
     10000.0f, true, true, "F32:11, Q4_K:12, Q6_K:3"},
    {"qwen2-t512-F32.gguf", 5526112, "qwen2", 512, "llama", "-", 256, 2, 8, 2, 32, 512, 4096, 1000000.0f, false, false,
     "F32:27"},
    {"qwen2-t512-Q4_0.gguf", 829088, "qwen2", 512, "llama", "-", 256, 2, 8, 2, 32, 512, 4096, 1000000.0f, false, false,
     "F32:11, Q4_0:15, Q6_K:1"},
    {"qwen2-t512-Q4_K_M.gguf", 867104, "qwen2", 512, "llama", "-", 256, 2, 8, 2, 32, 512, 4096, 1000000.0f, false,
     false, "F32:11, Q4_K:13, Q6_K:3"},
    {"qwen2-t512-Q5_K_M.gguf", 1004320, "qwen2", 512, "llama", "-", 256, 2, 8, 2, 32, 512, 4096, 1000000.0f, false,
     false, "F32:11, Q5_K:13, Q6_K:3"},
    {"qwen2-t512-Q6_K.gguf", 1150112, "qwen2", 512, "llama", "-", 256, 2, 8, 2, 32, 512, 4096, 1000000.0f, false, false,
     "F32:11, Q6_K:16"},
    {"qwen2-t512-Q8_0.gguf", 1483424, "qwen2", 512, "llama", "-", 256, 2, 8, 2, 32, 512, 4096, 1000000.0f, false, false,
     "F32:11, Q8_0:16"},
    {"qwen3-t512-F32.gguf", 6834752, "qwen3", 512, "llama", "-", 256, 2, 8, 4, 64, 512, 4096, 1000000.0f, true, false,
     "F32:24"},
    {"qwen3-t512-Q4_0.gguf", 1011328, "qwen3", 512, "llama", "-", 256, 2, 8, 4, 64, 512, 4096, 1000000.0f, true, false,
     "F32:9, Q4_0:14, Q6_K:1"},
    {"qwen3-t512-Q4_K_M.gguf", 1062016, "qwen3", 512, "llama", "-", 256, 2, 8, 4, 64, 512, 4096, 1000000.0f, true,
     false, "F32:9, Q4_K:12, Q6_K:3"},
    {"qwen3-t512-Q5_K_M.gguf", 1234048, "qwen3", 512, "llama", "-", 256, 2, 8, 4, 64, 512, 4096, 1000000.0f, true,
     false, "F32:9, Q5_K:12, Q6_K:3"},
    {"qwen3-t512-Q6_K.gguf", 1416832, "qwen3", 512, "llama", "-", 256, 2, 8, 4, 64, 512, 4096, 1000000.0f, true, false,
     "F32:9, Q6_K:15"},
    {"qwen3-t512-Q8_0.gguf", 1829504, "qwen3", 512, "llama", "-", 256, 2, 8, 4, 64, 512, 4096, 1000000.0f, true, false,
     "F32:9, Q8_0:15"},
};

std::string type_mix(const GgufFile& f) {
    std::map<std::string, int> counts;
    for (const GgufTensor& t : f.tensors()) counts[std::string(to_string(t.type))]++;
    std::string out;
    for (const auto& [name, n] : counts) out += (out.empty() ? "" : ", ") + name + ":" + std::to_string(n);
    return out;
}

std::vector<std::int64_t> shape_of(const GgufFile& f, const std::string& name) {
    const GgufTensor& t = f.require_tensor(name);
    return {t.shape().begin(), t.shape().end()};
}

TEST(GgufTestdata, SyntheticModelsMatchTheReadme) {
    PONDER_REQUIRE_TESTDATA();
    const auto dir = *test::testdata_dir() / "models" / "synthetic";
    std::set<std::string> listed;
    for (const ModelRow& m : kModels) {
        SCOPED_TRACE(m.file);
        listed.insert(m.file);
        const auto path = dir / m.file;
        ASSERT_EQ(std::filesystem::file_size(path), m.bytes);
        const GgufFile f = GgufFile::open(path);
        EXPECT_EQ(f.get_string("general.architecture"), m.arch);
        const std::string a = std::string(m.arch) + ".";
        EXPECT_EQ(f.get_u32(a + "embedding_length"), m.n_embd);
        EXPECT_EQ(f.get_u32(a + "block_count"), m.n_layer);
        EXPECT_EQ(f.get_u32(a + "attention.head_count"), m.n_head);
        EXPECT_EQ(f.get_u32(a + "attention.head_count_kv"), m.n_kv);
        EXPECT_EQ(f.get_u32(a + "attention.key_length", static_cast<std::uint32_t>(m.n_embd / m.n_head)), m.key_length);
        EXPECT_EQ(f.get_u32(a + "feed_forward_length"), m.n_ff);
        EXPECT_EQ(f.get_u32(a + "context_length"), m.ctx);
        EXPECT_EQ(f.get_f32(a + "rope.freq_base", 10000.0f), m.rope_base);
        EXPECT_EQ(f.get_string("tokenizer.ggml.model"), m.tok_model);
        if (std::string(m.tok_pre) != "-") {
            EXPECT_EQ(f.get_string("tokenizer.ggml.pre"), m.tok_pre);
        }
        ASSERT_TRUE(f.get_strings("tokenizer.ggml.tokens"));
        EXPECT_EQ(f.get_strings("tokenizer.ggml.tokens")->size(), m.vocab);
        EXPECT_EQ(f.has("tokenizer.chat_template"), m.chat_template);
        EXPECT_EQ(f.find_tensor("output.weight") == nullptr, m.tied);
        EXPECT_EQ(type_mix(f), m.types);
        // Shapes (ggml order: ne[0] is the input/row dimension).
        EXPECT_EQ(shape_of(f, "token_embd.weight"),
                  (std::vector<std::int64_t>{m.n_embd, static_cast<std::int64_t>(m.vocab)}));
        EXPECT_EQ(shape_of(f, "blk.0.ffn_up.weight"), (std::vector<std::int64_t>{m.n_embd, m.n_ff}));
        EXPECT_EQ(shape_of(f, "blk.0.ffn_down.weight"), (std::vector<std::int64_t>{m.n_ff, m.n_embd}));
        if (std::string(m.arch) != "deepseek2") {
            EXPECT_EQ(shape_of(f, "blk.0.attn_q.weight"),
                      (std::vector<std::int64_t>{m.n_embd, m.n_head * m.key_length}));
            EXPECT_EQ(shape_of(f, "blk.0.attn_k.weight"), (std::vector<std::int64_t>{m.n_embd, m.n_kv * m.key_length}));
        }
        std::set<int> layers;
        for (const GgufTensor& t : f.tensors()) {
            std::string n(t.name);
            if (n.rfind("blk.", 0) == 0) layers.insert(std::stoi(n.substr(4)));
        }
        EXPECT_EQ(static_cast<std::int64_t>(layers.size()), m.n_layer);
        // inspect_model agrees with the table too.
        const ModelInfo info = inspect_model(path);
        EXPECT_EQ(info.architecture, m.arch);
        EXPECT_EQ(info.n_layers, m.n_layer);
        EXPECT_EQ(info.embedding_length, m.n_embd);
        EXPECT_EQ(info.vocab_size, static_cast<int>(m.vocab));
        EXPECT_EQ(info.file_bytes, m.bytes);
        EXPECT_TRUE(info.architecture_supported);  // engine: llama/qwen2/qwen3/deepseek2
    }
    // Every model file in the folder is covered by the table.
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".gguf") {
            EXPECT_TRUE(listed.count(e.path().filename().string())) << e.path();
        }
}

TEST(GgufTestdata, Stories260K) {
    PONDER_REQUIRE_TESTDATA();
    const auto path = *test::testdata_dir() / "models" / "stories260K.gguf";
    ASSERT_EQ(std::filesystem::file_size(path), 1185376u);
    const GgufFile f = GgufFile::open(path);
    EXPECT_EQ(f.get_string("general.architecture"), "llama");
    EXPECT_EQ(f.get_u32("llama.embedding_length"), 64u);
    EXPECT_EQ(f.get_u32("llama.block_count"), 5u);
    EXPECT_EQ(f.get_u32("llama.attention.head_count"), 8u);
    EXPECT_EQ(f.get_u32("llama.attention.head_count_kv"), 4u);
    EXPECT_EQ(f.get_u32("llama.feed_forward_length"), 172u);
    EXPECT_FALSE(f.has("llama.rope.freq_base"));
    EXPECT_EQ(f.get_strings("tokenizer.ggml.tokens")->size(), 512u);
    EXPECT_EQ(f.get_string("tokenizer.ggml.model"), "llama");
    EXPECT_EQ(f.get_u32("tokenizer.ggml.bos_token_id"), 1u);
    EXPECT_EQ(f.get_u32("tokenizer.ggml.eos_token_id"), 2u);
    EXPECT_EQ(f.get_u32("tokenizer.ggml.padding_token_id"), 0xFFFFFFFFu);
    for (const GgufTensor& t : f.tensors()) EXPECT_EQ(t.type, DType::F32) << t.name;
    EXPECT_NE(f.find_tensor("output.weight"), nullptr);  // untied
    EXPECT_EQ(shape_of(f, "token_embd.weight"), (std::vector<std::int64_t>{64, 512}));
    EXPECT_EQ(shape_of(f, "blk.4.ffn_up.weight"), (std::vector<std::int64_t>{64, 172}));
    EXPECT_EQ(shape_of(f, "blk.0.attn_k.weight"), (std::vector<std::int64_t>{64, 32}));
}

struct VocabRow {
    const char* file;
    std::uint64_t bytes;
    const char* model;
    const char* pre;
    std::uint64_t n_tokens;
    std::int64_t merges;  // -1: no merges key
    std::uint32_t bos, eos;
    int add_bos;  // 1 true, 0 false, -1 unset
    bool chat_template;
};

// testdata/README.md section 1 table.
const VocabRow kVocabs[] = {
    {"ggml-vocab-deepseek-coder.gguf", 1156067, "gpt2", "deepseek-coder", 32256, 31757, 32013, 32014, 1, false},
    {"ggml-vocab-deepseek-llm.gguf", 3970167, "gpt2", "deepseek-llm", 102400, 99757, 100000, 100001, 1, false},
    {"ggml-vocab-deepseek-r1-qwen.gguf", 5930902, "gpt2", "deepseek-r1-qwen", 151936, 151387, 151646, 151643, 1, true},
    {"ggml-vocab-deepseek-v3.gguf", 5235376, "gpt2", "deepseek-v3", 129280, 127741, 0, 1, 1, true},
    {"ggml-vocab-gpt-2.gguf", 1766807, "gpt2", "gpt-2", 50257, 50000, 50256, 50256, -1, false},
    {"ggml-vocab-llama-bpe.gguf", 7818738, "gpt2", "llama-bpe", 128256, 280147, 128000, 128009, 1, true},
    {"ggml-vocab-llama-spm.gguf", 723869, "llama", "default", 32000, -1, 1, 2, 1, false},
    {"ggml-vocab-qwen2.gguf", 5931095, "gpt2", "qwen2", 151936, 151387, 151643, 151645, 0, true},
    {"ggml-vocab-qwen3.gguf", 5932755, "gpt2", "qwen2", 151936, 151387, 151643, 151645, 0, true},
};

TEST(GgufTestdata, VocabFilesMatchTheReadme) {
    PONDER_REQUIRE_TESTDATA();
    const auto dir = *test::testdata_dir() / "tokenizer";
    for (const VocabRow& v : kVocabs) {
        SCOPED_TRACE(v.file);
        const auto path = dir / v.file;
        ASSERT_EQ(std::filesystem::file_size(path), v.bytes);
        const GgufFile f = GgufFile::open(path);
        EXPECT_EQ(f.version(), 3u);
        EXPECT_TRUE(f.tensors().empty());
        EXPECT_EQ(f.get_string("tokenizer.ggml.model"), v.model);
        EXPECT_EQ(f.get_string("tokenizer.ggml.pre", "default"), v.pre);
        EXPECT_EQ(f.get_strings("tokenizer.ggml.tokens")->size(), v.n_tokens);
        if (v.merges < 0) {
            EXPECT_FALSE(f.has("tokenizer.ggml.merges"));
        } else {
            EXPECT_EQ(f.get_strings("tokenizer.ggml.merges")->size(), static_cast<std::uint64_t>(v.merges));
        }
        EXPECT_EQ(f.get_u32("tokenizer.ggml.bos_token_id"), v.bos);
        EXPECT_EQ(f.get_u32("tokenizer.ggml.eos_token_id"), v.eos);
        const auto add_bos = f.get_bool("tokenizer.ggml.add_bos_token");
        EXPECT_EQ(add_bos.has_value() ? (*add_bos ? 1 : 0) : -1, v.add_bos);
        EXPECT_EQ(f.has("tokenizer.chat_template"), v.chat_template);
        const auto types = f.get_array<std::int32_t>("tokenizer.ggml.token_type");
        if (types) {
            EXPECT_EQ(types->size(), v.n_tokens);
        }
        const ModelInfo info = inspect_model(path);
        EXPECT_EQ(info.vocab_size, static_cast<int>(v.n_tokens));
        EXPECT_EQ(info.has_chat_template, v.chat_template);
    }
}

TEST(GgufTestdata, EveryReferenceGgufInspects) {
    PONDER_REQUIRE_TESTDATA();
    int files = 0;
    for (const char* sub : {"models", "tokenizer"}) {
        for (const auto& e : std::filesystem::recursive_directory_iterator(*test::testdata_dir() / sub)) {
            if (e.path().extension() != ".gguf") continue;
            SCOPED_TRACE(e.path().string());
            ++files;
            const ModelInfo info = inspect_model(e.path());
            EXPECT_FALSE(info.architecture.empty());
            EXPECT_GT(info.vocab_size, 0);
            EXPECT_EQ(info.file_bytes, std::filesystem::file_size(e.path()));
        }
    }
    EXPECT_EQ(files, 1 + 38 + 9);  // stories260K, the synthetic table, the vocab table
}

TEST(GgufTestdata, ReasoningDetection) {
    PONDER_REQUIRE_TESTDATA();
    const auto dir = *test::testdata_dir();
    // R1 distill: <think> is a vocabulary token; Qwen3 has <think> tokens too; Llama 3 has neither.
    EXPECT_TRUE(inspect_model(dir / "tokenizer" / "ggml-vocab-deepseek-r1-qwen.gguf").reasoning);
    EXPECT_TRUE(inspect_model(dir / "tokenizer" / "ggml-vocab-qwen3.gguf").reasoning);
    EXPECT_FALSE(inspect_model(dir / "tokenizer" / "ggml-vocab-llama-bpe.gguf").reasoning);
    EXPECT_FALSE(inspect_model(dir / "tokenizer" / "ggml-vocab-qwen2.gguf").reasoning);
    EXPECT_TRUE(inspect_model(dir / "models" / "synthetic" / "qwen2-r1-fv-Q4_K_M.gguf").reasoning);
}

}  // namespace
}  // namespace ponder
