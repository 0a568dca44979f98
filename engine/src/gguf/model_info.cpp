// model_info.cpp: ponder::inspect_model() and estimate_memory_bytes(): what a GGUF file holds,
// read from its header only (tensor data is never touched, so this is fast for huge files).
#include "gguf/model_info.h"
#include "util/path_text.h"

#include "gguf/gguf_file.h"
#include "util/error.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <map>

namespace ponder {

namespace {

// Architectures ponder's transformer implements; model/config.cpp's loader asks this list too
// (the UI uses it to warn before loading).
constexpr std::array kSupportedArchitectures = {"llama", "qwen2", "qwen3", "deepseek2"};

// An integer hyper-parameter; per-layer arrays (some architectures vary heads per layer) give
// their largest element.
std::optional<std::int64_t> hparam(const GgufFile& f, const std::string& key) {
    const GgufValue* v = f.find(key);
    if (!v) return std::nullopt;
    if (v->is_array()) {
        std::optional<std::int64_t> best;
        for (std::uint64_t i = 0; i < v->size(); ++i) {
            const auto e = v->i64_at(i);
            if (e && (!best || *e > *best)) best = e;
        }
        return best;
    }
    return v->as_i64();
}

int clamp_int(std::optional<std::int64_t> v, int fallback = 0) {
    if (!v || *v < 0) return fallback;
    return static_cast<int>(std::min<std::int64_t>(*v, 1 << 30));
}

// Sums and products of hyper-parameters from the file saturate instead of overflowing: a hostile
// file must not make a memory estimate look small.
std::uint64_t add_sat(std::uint64_t a, std::uint64_t b) { return b > UINT64_MAX - a ? UINT64_MAX : a + b; }
std::uint64_t mul_sat(std::uint64_t a, std::uint64_t b) { return a != 0 && b > UINT64_MAX / a ? UINT64_MAX : a * b; }

bool contains_think_marker(std::string_view s) {
    return s.find("<think>") != std::string_view::npos || s.find("</think>") != std::string_view::npos;
}

}  // namespace

bool is_supported_architecture(std::string_view arch) {
    return std::find(kSupportedArchitectures.begin(), kSupportedArchitectures.end(), arch) !=
           kSupportedArchitectures.end();
}

std::vector<TypeUsage> type_usage(const GgufFile& file) {
    std::map<DType, TypeUsage> by_type;
    for (const GgufTensor& t : file.tensors()) {
        TypeUsage& u = by_type[t.type];
        u.type = t.type;
        u.count += 1;
        u.bytes += t.n_bytes;
        u.parameters += t.n_elements;
    }
    std::vector<TypeUsage> out;
    for (const auto& [type, usage] : by_type) out.push_back(usage);
    std::sort(out.begin(), out.end(), [](const TypeUsage& a, const TypeUsage& b) { return a.bytes > b.bytes; });
    return out;
}

ModelInfo model_info(const GgufFile& f) {
    ModelInfo info;
    info.path = f.path();
    info.split_count = f.split_count();
    info.architecture = std::string(f.get_string("general.architecture", ""));
    info.architecture_supported = is_supported_architecture(info.architecture);
    info.name = std::string(f.get_string("general.name", ""));
    if (info.name.empty()) info.name = path_to_utf8(f.path().stem());
    info.file_bytes = f.file_bytes();

    // Dominant weight type: the type holding most bytes among matrices (norms/biases are F32
    // in every quantization and would otherwise hide the real mix of small models).
    // Embedding/output matrices are left out when there are others: llama-quantize gives them
    // their own type (Q6_K/Q8_0 in a Q4_K_M file) and with big vocabularies they hold most bytes.
    std::map<DType, std::uint64_t> matrix_bytes, edge_bytes;
    for (const GgufTensor& t : f.tensors()) {
        info.parameter_count += t.n_elements;
        if (t.n_dims < 2) continue;
        const bool edge = t.name == "token_embd.weight" || t.name == "output.weight";
        (edge ? edge_bytes : matrix_bytes)[t.type] += t.n_bytes;
    }
    if (matrix_bytes.empty()) matrix_bytes = edge_bytes;
    if (!matrix_bytes.empty()) {
        const auto best = std::max_element(matrix_bytes.begin(), matrix_bytes.end(),
                                           [](const auto& a, const auto& b) { return a.second < b.second; });
        info.quantization = std::string(to_string(best->first));
    }

    const std::string a = info.architecture + ".";
    info.context_length = clamp_int(hparam(f, a + "context_length"));
    info.n_layers = clamp_int(hparam(f, a + "block_count"));
    info.n_heads = clamp_int(hparam(f, a + "attention.head_count"));
    info.n_kv_heads = clamp_int(hparam(f, a + "attention.head_count_kv"), info.n_heads);
    info.embedding_length = clamp_int(hparam(f, a + "embedding_length"));
    info.feed_forward_length = clamp_int(hparam(f, a + "feed_forward_length"));
    const int key_length =
        clamp_int(hparam(f, a + "attention.key_length"), info.n_heads > 0 ? info.embedding_length / info.n_heads : 0);
    const int value_length = clamp_int(hparam(f, a + "attention.value_length"), key_length);
    info.head_dim = key_length;

    info.tokenizer_model = std::string(f.get_string("tokenizer.ggml.model", ""));
    info.tokenizer_pre = std::string(f.get_string("tokenizer.ggml.pre", ""));
    const GgufValue* tokens = f.find("tokenizer.ggml.tokens");
    if (tokens && tokens->is_array())
        info.vocab_size = clamp_int(static_cast<std::int64_t>(tokens->size()));
    else
        info.vocab_size = clamp_int(hparam(f, a + "vocab_size"));

    const GgufValue* tmpl = f.find("tokenizer.chat_template");
    const std::string_view tmpl_text = tmpl ? tmpl->as_string().value_or("") : "";
    info.has_chat_template = !tmpl_text.empty();
    info.reasoning = contains_think_marker(tmpl_text);
    if (!info.reasoning && tokens) {
        for (std::string_view tok : tokens->strings()) {
            if (tok == "<think>" || tok == "</think>") {
                info.reasoning = true;
                break;
            }
        }
    }

    // F16 K and V per layer. MLA models (deepseek2) cache the compressed latent plus the RoPE
    // part once per layer instead of per-head K/V.
    const auto kv_lora = hparam(f, a + "attention.kv_lora_rank");
    const auto rope_dim = hparam(f, a + "rope.dimension_count");
    std::uint64_t per_layer = 0;
    if (info.architecture == "deepseek2" && kv_lora && rope_dim) {
        per_layer = add_sat(clamp_int(kv_lora), clamp_int(rope_dim));
        const auto k_mla = hparam(f, a + "attention.key_length_mla");
        const auto v_mla = hparam(f, a + "attention.value_length_mla");
        if (k_mla && v_mla)
            info.kv_bytes_per_token_mha = mul_sat(
                mul_sat(2 * static_cast<std::uint64_t>(info.n_heads), add_sat(clamp_int(k_mla), clamp_int(v_mla))),
                static_cast<std::uint64_t>(info.n_layers));
    } else
        per_layer = mul_sat(static_cast<std::uint64_t>(info.n_kv_heads),
                            add_sat(static_cast<std::uint64_t>(key_length), static_cast<std::uint64_t>(value_length)));
    info.kv_bytes_per_token = mul_sat(2 * per_layer, static_cast<std::uint64_t>(info.n_layers));
    return info;
}

std::string_view file_type_name(std::uint32_t ftype) {
    // llama.cpp's llama_ftype values as written to general.file_type.
    switch (ftype) {
    case 0: return "F32";
    case 1: return "F16";
    case 2: return "Q4_0";
    case 3: return "Q4_1";
    case 7: return "Q8_0";
    case 8: return "Q5_0";
    case 9: return "Q5_1";
    case 10: return "Q2_K";
    case 11: return "Q3_K_S";
    case 12: return "Q3_K_M";
    case 13: return "Q3_K_L";
    case 14: return "Q4_K_S";
    case 15: return "Q4_K_M";
    case 16: return "Q5_K_S";
    case 17: return "Q5_K_M";
    case 18: return "Q6_K";
    case 19: return "IQ2_XXS";
    case 20: return "IQ2_XS";
    case 21: return "Q2_K_S";
    case 22: return "IQ3_XS";
    case 23: return "IQ3_XXS";
    case 24: return "IQ1_S";
    case 25: return "IQ4_NL";
    case 26: return "IQ3_S";
    case 27: return "IQ3_M";
    case 28: return "IQ2_S";
    case 29: return "IQ2_M";
    case 30: return "IQ4_XS";
    case 31: return "IQ1_M";
    case 32: return "BF16";
    case 36: return "TQ1_0";
    case 37: return "TQ2_0";
    case 38: return "MXFP4_MOE";
    default: return "";
    }
}

std::optional<std::uint32_t> parse_file_type(std::string_view name) {
    for (std::uint32_t i = 0; i < 64; ++i) {
        const std::string_view n = file_type_name(i);
        if (n.empty() || n.size() != name.size()) continue;
        bool same = true;
        for (std::size_t k = 0; k < n.size(); ++k)
            same = same && std::toupper(static_cast<unsigned char>(name[k])) == n[k];
        if (same) return i;
    }
    return std::nullopt;
}

ModelInfo inspect_model(const std::filesystem::path& path) { return model_info(GgufFile::open(path)); }

std::uint64_t estimate_memory_bytes(const ModelInfo& info, int context_length) {
    const std::uint64_t ctx = static_cast<std::uint64_t>(std::max(context_length, 0));
    const std::uint64_t weights = info.file_bytes;  // mapped; metadata is a rounding error
    const std::uint64_t kv = mul_sat(info.kv_bytes_per_token, ctx);
    // Work buffers: f32 logits, a few activation rows per position of a 512-token batch, one
    // attention score row per head, plus fixed slack for the runtime.
    const std::uint64_t embd = static_cast<std::uint64_t>(std::max(info.embedding_length, 0));
    const std::uint64_t ff = static_cast<std::uint64_t>(std::max(info.feed_forward_length, 0));
    const std::uint64_t vocab = static_cast<std::uint64_t>(std::max(info.vocab_size, 0));
    const std::uint64_t heads = static_cast<std::uint64_t>(std::max(info.n_heads, 1));
    const std::uint64_t work =
        add_sat(4 * vocab + 512 * 4 * (4 * embd + 2 * ff) + (64ull << 20), mul_sat(8 * heads, ctx));
    return add_sat(add_sat(weights, kv), work);
}

}  // namespace ponder
