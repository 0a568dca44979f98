// make_seeds.cpp: writes the fuzzer's seed corpus: small valid GGUFs made with GgufWriter (every
// value type, nested arrays, every tensor type, custom alignment) plus shrunken copies of the
// reference data's vocab and model files (their metadata with arrays cut to a few elements), so
// the seeds are real-world shaped yet small. With --models (the loader mode's corpus) it also
// writes complete tiny llama/qwen2/qwen3 models (tests/inference/tiny_model.h) and a tiny deepseek2
// (gguf/synth: MLA, a dense and a mixture-of-experts layer) small enough for libFuzzer's input
// limit, so mutations start from files that pass every loader check.
// Usage: make_seeds OUT_DIR [TESTDATA_DIR] [--models]
#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "gguf/synth.h"
#include "tiny_model.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace fs = std::filesystem;
using namespace ponder;

namespace {

void save(const fs::path& dir, const std::string& name, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(dir / name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::uint8_t> all_types_file(std::uint32_t alignment) {
    GgufWriter w;
    w.set_alignment(alignment);
    w.set("general.architecture", "llama");
    w.set("general.name", "seed");
    w.set("llama.block_count", std::uint32_t{1});
    w.set("llama.embedding_length", std::uint32_t{32});
    w.set("llama.attention.head_count", std::uint32_t{4});
    w.set("llama.context_length", std::uint64_t{4096});
    w.set("v.i8", std::int8_t{-1});
    w.set("v.u16", std::uint16_t{2});
    w.set("v.i16", std::int16_t{-3});
    w.set("v.i64", std::int64_t{-5});
    w.set("v.f64", 0.5);
    w.set("v.bool", true);
    w.set("llama.rope.freq_base", 10000.0f);
    w.set_array("tokenizer.ggml.tokens", std::vector<std::string>{"<s>", "</s>", "<think>", "a"});
    w.set_array("tokenizer.ggml.scores", std::vector<float>{0, 0, -1, -2});
    w.set_array("tokenizer.ggml.token_type", std::vector<std::int32_t>{3, 3, 4, 1});
    w.set_array("llama.attention.head_count_kv", std::vector<std::uint32_t>{2});
    w.set("tokenizer.chat_template", "{% for m in messages %}{{ m.content }}{% endfor %}<think>");
    std::mt19937 rng(7);
    std::normal_distribution<float> dist;
    for (DType t : {DType::F32, DType::F16, DType::BF16, DType::Q4_0, DType::Q4_1, DType::Q5_0, DType::Q5_1,
                    DType::Q8_0, DType::IQ4_NL, DType::Q4_K, DType::Q5_K, DType::Q6_K, DType::Q8_K}) {
        const std::int64_t row = type_info(t).block_elems == 256 ? 256 : 32;
        std::vector<float> v(static_cast<std::size_t>(row * 2));
        for (float& x : v) x = dist(rng);
        w.add_tensor("blk.0." + std::string(to_string(t)) + ".weight", t, {row, 2}, v);
    }
    // Types without a quantizer, as raw bytes.
    for (DType t : {DType::Q2_K, DType::Q3_K, DType::IQ4_XS}) {
        std::vector<std::uint8_t> raw(type_info(t).block_bytes);
        for (auto& b : raw) b = static_cast<std::uint8_t>(rng());
        const std::int64_t shape[] = {256};
        w.add_tensor(std::string(to_string(t)) + ".weight", t, shape, raw);
    }
    return w.to_bytes();
}

// Re-writes a real file's metadata with arrays cut to `keep` elements and long strings cut to
// 256 bytes; tensors are replaced by a few tiny ones of their original types.
std::vector<std::uint8_t> shrunk(const GgufFile& f, std::size_t keep) {
    GgufWriter w;
    for (const GgufKeyValue& kv : f.metadata()) {
        const GgufValue& v = kv.value;
        if (v.type() == GgufType::String) {
            w.set(kv.key, v.as_string()->substr(0, 256));
        } else if (v.is_array() && v.element_type() == GgufType::String) {
            std::vector<std::string_view> s(
                v.strings().begin(),
                v.strings().begin() + static_cast<std::ptrdiff_t>(std::min(keep, v.strings().size())));
            w.set_array(kv.key, s);
        } else if (v.is_array() && v.element_size() > 0) {
            const std::size_t n = std::min<std::size_t>(keep, v.size());
            std::vector<std::uint8_t> payload(12 + n * v.element_size());
            const auto et = static_cast<std::uint32_t>(v.element_type());
            const std::uint64_t count = n;
            std::memcpy(payload.data(), &et, 4);
            std::memcpy(payload.data() + 4, &count, 8);
            std::memcpy(payload.data() + 12, v.raw_elements().data(), n * v.element_size());
            w.set_raw(kv.key, GgufType::Array, payload);
        } else if (!v.is_array()) {
            w.set_value(kv.key, v);
        }
    }
    std::size_t n = 0;
    for (const GgufTensor& t : f.tensors()) {
        if (n++ >= 4) break;
        const auto rb = row_bytes(t.type, t.row_length());
        if (rb > 4096) continue;
        const std::int64_t shape[] = {t.row_length(), 1};
        w.add_tensor(t.name, t.type, shape, std::span<const std::uint8_t>(t.data, static_cast<std::size_t>(rb)));
    }
    return w.to_bytes();
}

// deepseek2 at its smallest: dim 8, 2 heads, q_lora 8, kv_lora 8, key_length_mla 8 (4 + rope 4),
// value_length_mla 4; layer 0 dense, layer 1 with 4 experts of 8 (2 used, 2 groups) and one
// shared expert; sigmoid gating (so the router bias is there), no YaRN; tied embeddings; 260
// tokens (the placeholder vocabulary: 256 bytes, padding, one control token).
constexpr SynthMla kSeedMla = {8, 8, 4, 4, 4, 1, 4, 2, 1, 8, 2, 1, 2, true, 1.0f, 0.0f, 0, 0.0f};
constexpr SynthPreset kSeedDeepseek2 = {"seed-ds2", "seed", "deepseek2", 8,         2,        2,     1,
                                        0,          16,     260,         512,       10000.0f, 1e-6f, true,
                                        false,      false,  "none.gguf", "default", &kSeedMla};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: make_seeds OUT_DIR [TESTDATA_DIR] [--models]\n");
        return 2;
    }
    const bool models = argc > 3 && std::strcmp(argv[3], "--models") == 0;
    const fs::path out = argv[1];
    fs::create_directories(out);
    save(out, "all-types-a32.gguf", all_types_file(32));
    save(out, "all-types-a64.gguf", all_types_file(64));
    save(out, "empty.gguf", GgufWriter().to_bytes());
    int shrunk_count = 0;
    if (argc > 2 && fs::exists(fs::path(argv[2]) / "README.md")) {
        for (const char* sub : {"tokenizer", "models", "models/synthetic"}) {
            std::error_code ec;
            for (const auto& e : fs::directory_iterator(fs::path(argv[2]) / sub, ec)) {
                if (e.path().extension() != ".gguf") continue;
                try {
                    const GgufFile f = GgufFile::open(e.path());
                    save(out, "shrunk-" + e.path().filename().string(), shrunk(f, 8));
                    ++shrunk_count;
                } catch (const Error& err) {
                    std::fprintf(stderr, "skipping %s: %s\n", e.path().c_str(), err.what());
                }
            }
        }
    }
    int model_count = 0;
    if (models) {
        for (const char* arch : {"llama", "qwen2", "qwen3"}) {
            test::TinyModelSpec spec;
            spec.arch = arch;
            spec.dim = 8;
            spec.n_heads = 2;
            spec.n_kv_heads = 1;
            spec.hidden_dim = 16;
            spec.n_layers = 1;
            spec.tied_output = true;
            spec.chat_template = false;
            test::write_tiny_model(out / ("tiny-" + std::string(arch) + ".gguf"), spec);
            ++model_count;
        }
        SynthOptions o;
        o.preset = &kSeedDeepseek2;
        o.ftype = 0;  // F32
        save(out, "tiny-deepseek2.gguf", build_synth_model(o).to_bytes());
        ++model_count;
    }
    std::printf("seed corpus: 3 generated + %d shrunk reference files + %d tiny models in %s\n", shrunk_count,
                model_count, out.c_str());
    return 0;
}
