// synth.cpp: synthetic model builder (shapes, metadata and llama-quantize type policy).
#include "gguf/synth.h"
#include "util/path_text.h"

#include "gguf/model_info.h"
#include "quant/quantize.h"
#include "util/error.h"

#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <numbers>
#include <random>

namespace ponder {

namespace {

// DeepSeek-V2-Lite (config.json of deepseek-ai/DeepSeek-V2-Lite): 64 routed experts, 6 used,
// 2 shared, softmax gating without normalisation, no q LoRA, YaRN x40 over 4096 with
// mscale_all_dim 0.707 (the converter writes 0.1 * 0.707).
constexpr SynthMla kDeepseekV2Lite = {0,    512, 128, 64, 128,   1,    64,    6,    2,
                                      1408, 1,   1,   1,  false, 1.0f, 40.0f, 4096, 0.0707f};

constexpr SynthPreset kPresets[] = {
    // name, like, arch, embd, layers, heads, kv heads, head dim, ff, vocab, ctx, rope base, eps,
    // tied, qkv bias, llama3 rope, vocab file, pre
    {"qwen2.5-0.5b", "Qwen2.5-0.5B", "qwen2", 896, 24, 14, 2, 64, 4864, 151936, 32768, 1000000.0f, 1e-6f, true, true,
     false, "ggml-vocab-qwen2.gguf", "qwen2"},
    {"r1-distill-qwen-1.5b", "DeepSeek-R1-Distill-Qwen-1.5B", "qwen2", 1536, 28, 12, 2, 128, 8960, 151936, 131072,
     10000.0f, 1e-6f, false, true, false, "ggml-vocab-deepseek-r1-qwen.gguf", "deepseek-r1-qwen"},
    {"r1-distill-qwen-7b", "DeepSeek-R1-Distill-Qwen-7B", "qwen2", 3584, 28, 28, 4, 128, 18944, 152064, 131072,
     10000.0f, 1e-6f, false, true, false, "ggml-vocab-deepseek-r1-qwen.gguf", "deepseek-r1-qwen"},
    {"llama3.1-8b", "Meta-Llama-3.1-8B-Instruct", "llama", 4096, 32, 32, 8, 128, 14336, 128256, 131072, 500000.0f,
     1e-5f, false, false, true, "ggml-vocab-llama-bpe.gguf", "llama-bpe"},
    {"deepseek-v2-lite", "DeepSeek-V2-Lite", "deepseek2", 2048, 27, 16, 1, 0, 10944, 102400, 163840, 10000.0f, 1e-6f,
     false, false, false, "ggml-vocab-deepseek-llm.gguf", "deepseek-llm", &kDeepseekV2Lite},
};

// llama_ftype ids used below.
enum : std::uint32_t {
    kF32 = 0,
    kF16 = 1,
    kQ4_0 = 2,
    kQ4_1 = 3,
    kQ8_0 = 7,
    kQ5_0 = 8,
    kQ5_1 = 9,
    kQ4_K_S = 14,
    kQ4_K_M = 15,
    kQ5_K_S = 16,
    kQ5_K_M = 17,
    kQ6_K = 18,
    kIQ4_NL = 25,
    kBF16 = 32,
};

std::optional<DType> base_type(std::uint32_t ftype) {
    switch (ftype) {
    case kF32: return DType::F32;
    case kF16: return DType::F16;
    case kBF16: return DType::BF16;
    case kQ4_0: return DType::Q4_0;
    case kQ4_1: return DType::Q4_1;
    case kQ5_0: return DType::Q5_0;
    case kQ5_1: return DType::Q5_1;
    case kQ8_0: return DType::Q8_0;
    case kQ4_K_S:
    case kQ4_K_M: return DType::Q4_K;
    case kQ5_K_S:
    case kQ5_K_M: return DType::Q5_K;
    case kQ6_K: return DType::Q6_K;
    case kIQ4_NL: return DType::IQ4_NL;
    default: return std::nullopt;
    }
}

// llama-quantize's "use more bits" layer pattern: first and last eighth, and every third between.
bool use_more_bits(int layer, int n_layer) {
    return layer < n_layer / 8 || layer >= 7 * n_layer / 8 || (layer - n_layer / 8) % 3 == 2;
}

bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::uint64_t hash_name(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return h;
}

// Pre-quantized random rows of one (type, row length); tensors copy rows from here.
struct RowPool {
    static constexpr int kRows = 64;
    std::size_t row_bytes = 0;
    std::vector<std::uint8_t> data;
};

class PoolSet {
public:
    explicit PoolSet(std::uint64_t seed) : m_seed(seed) {}
    std::shared_ptr<const RowPool> get(DType type, std::int64_t row) {
        for (const auto& [key, pool] : m_pools)
            if (key.first == type && key.second == row) return pool;
        auto pool = std::make_shared<RowPool>();
        pool->row_bytes = static_cast<std::size_t>(row_bytes(type, row));
        pool->data.resize(pool->row_bytes * RowPool::kRows);
        std::mt19937_64 rng(m_seed ^ (static_cast<std::uint64_t>(type) << 40) ^ static_cast<std::uint64_t>(row));
        std::normal_distribution<float> dist(0.0f, 0.02f);
        std::vector<float> values(static_cast<std::size_t>(row));
        for (int r = 0; r < RowPool::kRows; ++r) {
            for (float& v : values) v = dist(rng);
            quantize_row(type, values.data(), pool->data.data() + static_cast<std::size_t>(r) * pool->row_bytes, row);
        }
        m_pools.emplace_back(std::make_pair(type, row), pool);
        return pool;
    }

private:
    std::uint64_t m_seed;
    std::vector<std::pair<std::pair<DType, std::int64_t>, std::shared_ptr<const RowPool>>> m_pools;
};

// GPT-2's byte -> printable code point table (public byte-level BPE convention).
std::string byte_token(int b) {
    int cp = b;
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    if (!printable) {
        int n = 0;
        for (int k = 0; k < b; ++k) {
            const bool p = (k >= '!' && k <= '~') || (k >= 0xA1 && k <= 0xAC) || (k >= 0xAE && k <= 0xFF);
            if (!p) ++n;
        }
        cp = 256 + n;
    }
    std::string out;
    if (cp < 0x80)
        out += static_cast<char>(cp);
    else {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return out;
}

void write_tokenizer(GgufWriter& w, const SynthOptions& o, std::string* notes) {
    const SynthPreset& p = *o.preset;
    const auto n_vocab = static_cast<std::size_t>(p.vocab);
    if (o.vocab) {
        w.copy_metadata(*o.vocab, "tokenizer.");
        const auto tokens = o.vocab->get_strings("tokenizer.ggml.tokens");
        if (!tokens) fail("%s: vocabulary file has no tokenizer.ggml.tokens", path_to_utf8(o.vocab->path()).c_str());
        if (tokens->size() > n_vocab)
            fail("%s: vocabulary has %zu tokens, more than the %zu rows of %s", path_to_utf8(o.vocab->path()).c_str(),
                 tokens->size(), n_vocab, p.name);
        if (tokens->size() < n_vocab) {
            // Real checkpoints pad the embedding; the converter pads the token list to match with
            // unused "[PAD<id>]" tokens.
            std::vector<std::string> padded(tokens->begin(), tokens->end());
            std::vector<std::int32_t> types;
            if (auto t = o.vocab->get_array<std::int32_t>("tokenizer.ggml.token_type")) types = std::move(*t);
            for (std::size_t i = padded.size(); i < n_vocab; ++i) padded.push_back("[PAD" + std::to_string(i) + "]");
            types.resize(n_vocab, 5);  // UNUSED
            w.set_array("tokenizer.ggml.tokens", padded);
            w.set_array("tokenizer.ggml.token_type", types);
            if (auto s = o.vocab->get_array<float>("tokenizer.ggml.scores")) {
                s->resize(n_vocab, 0.0f);
                w.set_array("tokenizer.ggml.scores", *s);
            }
            if (notes)
                *notes += "padded the vocabulary from " + std::to_string(tokens->size()) + " to " +
                          std::to_string(n_vocab) + " tokens\n";
        }
        return;
    }
    std::vector<std::string> tokens;
    std::vector<std::int32_t> types;
    tokens.reserve(n_vocab);
    for (int b = 0; b < 256; ++b) tokens.push_back(byte_token(b));
    types.assign(256, 1);
    for (std::size_t i = tokens.size(); i + 1 < n_vocab; ++i) {
        tokens.push_back("[PAD" + std::to_string(i) + "]");
        types.push_back(5);
    }
    tokens.push_back("<|endoftext|>");
    types.push_back(3);  // CONTROL
    w.set("tokenizer.ggml.model", "gpt2");
    w.set("tokenizer.ggml.pre", p.tokenizer_pre);
    w.set_array("tokenizer.ggml.tokens", tokens);
    w.set_array("tokenizer.ggml.token_type", types);
    w.set_array("tokenizer.ggml.merges", std::vector<std::string>{});
    w.set("tokenizer.ggml.bos_token_id", static_cast<std::uint32_t>(n_vocab - 1));
    w.set("tokenizer.ggml.eos_token_id", static_cast<std::uint32_t>(n_vocab - 1));
    if (notes)
        *notes += "no vocabulary file: wrote a placeholder byte-level vocabulary of " + std::to_string(n_vocab) +
                  " tokens (256 byte tokens, padding, <|endoftext|>); fine for speed tests, not for text\n";
}

// Llama 3.1 RoPE frequency factors (factor 8, low 1, high 4, original context 8192), as the
// converter computes them from the config.
std::vector<float> llama3_rope_factors(int head_dim, float base) {
    const double factor = 8.0, low = 1.0, high = 4.0, old_ctx = 8192.0;
    const double low_wavelen = old_ctx / low, high_wavelen = old_ctx / high;
    std::vector<float> out;
    for (int i = 0; i < head_dim; i += 2) {
        const double freq = 1.0 / std::pow(static_cast<double>(base), static_cast<double>(i) / head_dim);
        const double wavelen = 2.0 * std::numbers::pi / freq;
        if (wavelen < high_wavelen)
            out.push_back(1.0f);
        else if (wavelen > low_wavelen)
            out.push_back(static_cast<float>(factor));
        else {
            const double smooth = (old_ctx / wavelen - low) / (high - low);
            out.push_back(static_cast<float>(1.0 / ((1.0 - smooth) / factor + smooth)));
        }
    }
    return out;
}

}  // namespace

std::span<const SynthPreset> synth_presets() { return kPresets; }

const SynthPreset* find_synth_preset(std::string_view name) {
    for (const SynthPreset& p : kPresets)
        if (name == p.name) return &p;
    return nullptr;
}

bool synth_supports_file_type(std::uint32_t ftype) { return base_type(ftype).has_value(); }

DType quantized_tensor_type(std::uint32_t ftype, std::string_view tensor, int layer, int n_layer,
                            std::int64_t row_length, int n_dims, bool output_matrix) {
    const auto base = base_type(ftype);
    if (!base) fail("file type %u is not supported here", ftype);
    if (n_dims < 2) return DType::F32;
    if (contains(tensor, "ffn_gate_inp")) return DType::F32;  // MoE routers are never quantized
    DType t = *base;
    if (ftype == kF32 || ftype == kF16 || ftype == kBF16) return t;
    const bool m_mix = ftype == kQ4_K_M || ftype == kQ5_K_M;
    if (output_matrix) {
        if (t != DType::Q8_0) t = DType::Q6_K;
    } else if (contains(tensor, "attn_v.weight")) {
        if (m_mix && use_more_bits(layer, n_layer))
            t = DType::Q6_K;
        else if (ftype == kQ4_K_S && layer < 4)
            t = DType::Q5_K;
    } else if (contains(tensor, "ffn_down")) {
        if (m_mix && use_more_bits(layer, n_layer))
            t = DType::Q6_K;
        else if (ftype == kQ4_K_S && layer < n_layer / 8)
            t = DType::Q5_K;
    }
    if (row_length % type_info(t).block_elems != 0) {
        switch (t) {
        case DType::Q4_K: t = DType::Q5_0; break;
        case DType::Q5_K: t = DType::Q5_1; break;
        case DType::Q6_K: t = DType::Q8_0; break;
        default: break;
        }
        if (row_length % type_info(t).block_elems != 0) t = DType::F16;
    }
    return t;
}

std::vector<SynthTensor> synth_tensor_plan(const SynthOptions& o) {
    if (!o.preset) fail("synth: no preset");
    const SynthPreset& p = *o.preset;
    const int n_layer = o.n_layer_override > 0 ? o.n_layer_override : p.n_layer;
    const std::int64_t q_dim = static_cast<std::int64_t>(p.n_head) * p.head_dim;
    const std::int64_t kv_dim = static_cast<std::int64_t>(p.n_kv_head) * p.head_dim;
    std::vector<SynthTensor> plan;
    using Kind = SynthTensor::Kind;
    auto matrix = [&](std::string name, std::int64_t cols, std::int64_t rows, int layer, bool output_matrix,
                      std::int64_t ne2 = 1) {
        const DType t = quantized_tensor_type(o.ftype, name, layer, n_layer, cols, 2, output_matrix);
        plan.push_back({std::move(name), t, cols, rows, Kind::Matrix, ne2});
    };
    auto vec = [&](std::string name, std::int64_t n, Kind kind) {
        plan.push_back({std::move(name), DType::F32, n, 1, kind});
    };

    if (const SynthMla* m = p.mla) {
        // deepseek2 in llama.cpp's split MLA form (names and ggml shapes as its converter writes).
        const std::int64_t H = p.n_head, qh = m->qk_nope + m->qk_rope;
        matrix("token_embd.weight", p.n_embd, p.vocab, 0, p.tied_embeddings);
        for (int l = 0; l < n_layer; ++l) {
            const std::string b = "blk." + std::to_string(l) + ".";
            vec(b + "attn_norm.weight", p.n_embd, Kind::Norm);
            if (m->q_lora > 0) {
                matrix(b + "attn_q_a.weight", p.n_embd, m->q_lora, l, false);
                vec(b + "attn_q_a_norm.weight", m->q_lora, Kind::Norm);
                matrix(b + "attn_q_b.weight", m->q_lora, H * qh, l, false);
            } else {
                matrix(b + "attn_q.weight", p.n_embd, H * qh, l, false);
            }
            matrix(b + "attn_kv_a_mqa.weight", p.n_embd, m->kv_lora + m->qk_rope, l, false);
            vec(b + "attn_kv_a_norm.weight", m->kv_lora, Kind::Norm);
            matrix(b + "attn_k_b.weight", m->qk_nope, m->kv_lora, l, false, H);
            matrix(b + "attn_v_b.weight", m->kv_lora, m->v_head, l, false, H);
            matrix(b + "attn_output.weight", H * m->v_head, p.n_embd, l, false);
            vec(b + "ffn_norm.weight", p.n_embd, Kind::Norm);
            if (l < m->n_dense_lead) {
                matrix(b + "ffn_gate.weight", p.n_embd, p.n_ff, l, false);
                matrix(b + "ffn_up.weight", p.n_embd, p.n_ff, l, false);
                matrix(b + "ffn_down.weight", p.n_ff, p.n_embd, l, false);
                continue;
            }
            matrix(b + "ffn_gate_inp.weight", p.n_embd, m->n_experts, l, false);
            if (m->gating == 2) vec(b + "exp_probs_b.bias", m->n_experts, Kind::Bias);
            matrix(b + "ffn_gate_exps.weight", p.n_embd, m->expert_ff, l, false, m->n_experts);
            matrix(b + "ffn_up_exps.weight", p.n_embd, m->expert_ff, l, false, m->n_experts);
            matrix(b + "ffn_down_exps.weight", m->expert_ff, p.n_embd, l, false, m->n_experts);
            if (m->n_shared > 0) {
                const std::int64_t ff = static_cast<std::int64_t>(m->expert_ff) * m->n_shared;
                matrix(b + "ffn_gate_shexp.weight", p.n_embd, ff, l, false);
                matrix(b + "ffn_up_shexp.weight", p.n_embd, ff, l, false);
                matrix(b + "ffn_down_shexp.weight", ff, p.n_embd, l, false);
            }
        }
        vec("output_norm.weight", p.n_embd, Kind::Norm);
        if (!p.tied_embeddings) matrix("output.weight", p.n_embd, p.vocab, n_layer, true);
        return plan;
    }

    matrix("token_embd.weight", p.n_embd, p.vocab, 0, p.tied_embeddings);
    if (p.llama3_rope_freqs) vec("rope_freqs.weight", p.head_dim / 2, Kind::RopeFreqs);
    for (int l = 0; l < n_layer; ++l) {
        const std::string b = "blk." + std::to_string(l) + ".";
        if (p.qkv_bias) vec(b + "attn_k.bias", kv_dim, Kind::Bias);
        matrix(b + "attn_k.weight", p.n_embd, kv_dim, l, false);
        vec(b + "attn_norm.weight", p.n_embd, Kind::Norm);
        matrix(b + "attn_output.weight", q_dim, p.n_embd, l, false);
        if (p.qkv_bias) vec(b + "attn_q.bias", q_dim, Kind::Bias);
        matrix(b + "attn_q.weight", p.n_embd, q_dim, l, false);
        if (p.qkv_bias) vec(b + "attn_v.bias", kv_dim, Kind::Bias);
        matrix(b + "attn_v.weight", p.n_embd, kv_dim, l, false);
        matrix(b + "ffn_down.weight", p.n_ff, p.n_embd, l, false);
        matrix(b + "ffn_gate.weight", p.n_embd, p.n_ff, l, false);
        vec(b + "ffn_norm.weight", p.n_embd, Kind::Norm);
        matrix(b + "ffn_up.weight", p.n_embd, p.n_ff, l, false);
    }
    vec("output_norm.weight", p.n_embd, Kind::Norm);
    if (!p.tied_embeddings) matrix("output.weight", p.n_embd, p.vocab, n_layer, true);
    return plan;
}

GgufWriter build_synth_model(const SynthOptions& o, std::string* notes) {
    if (!o.preset) fail("synth: no preset");
    if (!synth_supports_file_type(o.ftype)) fail("synth: file type %u is not supported", o.ftype);
    const SynthPreset& p = *o.preset;
    const int n_layer = o.n_layer_override > 0 ? o.n_layer_override : p.n_layer;
    const std::string a = std::string(p.arch) + ".";
    GgufWriter w;
    w.set("general.architecture", p.arch);
    w.set("general.type", "model");
    w.set("general.name", std::string(p.like) + " (ponder synth: random weights, seed " + std::to_string(o.seed) + ")");
    w.set("general.file_type", o.ftype);
    w.set("general.quantization_version", std::uint32_t{2});
    w.set(a + "block_count", static_cast<std::uint32_t>(n_layer));
    w.set(a + "context_length", static_cast<std::uint32_t>(p.context_length));
    w.set(a + "embedding_length", static_cast<std::uint32_t>(p.n_embd));
    w.set(a + "feed_forward_length", static_cast<std::uint32_t>(p.n_ff));
    w.set(a + "attention.head_count", static_cast<std::uint32_t>(p.n_head));
    w.set(a + "attention.head_count_kv", static_cast<std::uint32_t>(p.n_kv_head));
    w.set(a + "rope.freq_base", p.rope_base);
    w.set(a + "attention.layer_norm_rms_epsilon", p.rms_eps);
    if (const SynthMla* m = p.mla) {
        // The keys llama.cpp's converter writes for DeepSeek-V2 (split MLA form).
        w.set(a + "vocab_size", static_cast<std::uint32_t>(p.vocab));
        w.set(a + "leading_dense_block_count", static_cast<std::uint32_t>(m->n_dense_lead));
        if (m->q_lora > 0) w.set(a + "attention.q_lora_rank", static_cast<std::uint32_t>(m->q_lora));
        w.set(a + "attention.kv_lora_rank", static_cast<std::uint32_t>(m->kv_lora));
        w.set(a + "attention.key_length", static_cast<std::uint32_t>(m->kv_lora + m->qk_rope));
        w.set(a + "attention.value_length", static_cast<std::uint32_t>(m->kv_lora));
        w.set(a + "attention.key_length_mla", static_cast<std::uint32_t>(m->qk_nope + m->qk_rope));
        w.set(a + "attention.value_length_mla", static_cast<std::uint32_t>(m->v_head));
        w.set(a + "expert_feed_forward_length", static_cast<std::uint32_t>(m->expert_ff));
        w.set(a + "expert_count", static_cast<std::uint32_t>(m->n_experts));
        w.set(a + "expert_used_count", static_cast<std::uint32_t>(m->n_used));
        w.set(a + "expert_shared_count", static_cast<std::uint32_t>(m->n_shared));
        w.set(a + "expert_group_count", static_cast<std::uint32_t>(m->n_groups));
        w.set(a + "expert_group_used_count", static_cast<std::uint32_t>(m->n_groups_used));
        w.set(a + "expert_weights_scale", m->weights_scale);
        w.set(a + "expert_weights_norm", m->weights_norm);
        w.set(a + "expert_gating_func", static_cast<std::uint32_t>(m->gating));
        w.set(a + "rope.dimension_count", static_cast<std::uint32_t>(m->qk_rope));
        if (m->yarn_factor > 0) {
            w.set(a + "rope.scaling.type", "yarn");
            w.set(a + "rope.scaling.factor", m->yarn_factor);
            w.set(a + "rope.scaling.original_context_length", static_cast<std::uint32_t>(m->yarn_orig_ctx));
            w.set(a + "rope.scaling.yarn_log_multiplier", m->yarn_log_mul);
        }
    } else if (std::string_view(p.arch) == "llama") {
        w.set(a + "attention.key_length", static_cast<std::uint32_t>(p.head_dim));
        w.set(a + "attention.value_length", static_cast<std::uint32_t>(p.head_dim));
        w.set(a + "vocab_size", static_cast<std::uint32_t>(p.vocab));
        w.set(a + "rope.dimension_count", static_cast<std::uint32_t>(p.head_dim));
    }
    write_tokenizer(w, o, notes);

    auto pools = std::make_shared<PoolSet>(o.seed);
    std::uint64_t tensor_seed = o.seed;
    for (const SynthTensor& t : synth_tensor_plan(o)) {
        const std::uint64_t seed = splitmix64(tensor_seed) ^ hash_name(t.name);
        if (t.kind == SynthTensor::Kind::Matrix) {
            auto pool = pools->get(t.type, t.ne0);
            const std::int64_t shape3[] = {t.ne0, t.ne1, t.ne2};
            const std::span<const std::int64_t> shape(shape3, t.ne2 > 1 ? 3 : 2);
            w.add_tensor_rows(t.name, t.type, shape,
                              [pool, seed](std::int64_t first, std::int64_t n, std::uint8_t* dst) {
                                  // Row r's pool entry depends only on (seed, r): chunking is invisible.
                                  for (std::int64_t r = 0; r < n; ++r) {
                                      std::uint64_t s = seed + static_cast<std::uint64_t>(first + r);
                                      const std::size_t k = static_cast<std::size_t>(splitmix64(s) % RowPool::kRows);
                                      std::memcpy(dst + static_cast<std::size_t>(r) * pool->row_bytes,
                                                  pool->data.data() + k * pool->row_bytes, pool->row_bytes);
                                  }
                              });
        } else if (t.kind == SynthTensor::Kind::RopeFreqs) {
            w.add_tensor(t.name, DType::F32, {t.ne0}, llama3_rope_factors(p.head_dim, p.rope_base));
        } else {
            std::mt19937_64 rng(seed);
            std::normal_distribution<float> dist(t.kind == SynthTensor::Kind::Norm ? 1.0f : 0.0f, 0.02f);
            std::vector<float> v(static_cast<std::size_t>(t.ne0));
            for (float& x : v) x = dist(rng);
            w.add_tensor(t.name, DType::F32, {t.ne0}, v);
        }
    }
    return w;
}

}  // namespace ponder
