// tiny_model.cpp: the random-weight GGUF fixture of tiny_model.h.
#include "tiny_model.h"

#include "gguf/gguf_writer.h"
#include "sampling/sampler.h"

#include <cmath>
#include <string>
#include <vector>

namespace ponder::test {

namespace {

constexpr const char* kChatMl =
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + "
    "'<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

constexpr const char* kChatMlThink =
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + "
    "'<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n<think>\\n' }}"
    "{% endif %}";

// Normal(0, sigma) from a seeded generator (Box-Muller), reproducible everywhere.
class Gaussian {
public:
    explicit Gaussian(std::uint64_t seed) : m_rng(seed) {}
    float operator()(float sigma) {
        const double u1 = std::max(m_rng.uniform(), 1e-300), u2 = m_rng.uniform();
        return static_cast<float>(sigma * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
    }

private:
    Rng m_rng;
};

// Vocabulary: specials, 256 byte tokens, then "▁" + letters and a few words.
void tiny_tokens(std::vector<std::string>& tokens, std::vector<std::int32_t>& types) {
    tokens = {"<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>", "<think>", "</think>"};
    types = {2, 3, 3, 3, 3, 4, 4};
    for (int b = 0; b < 256; ++b) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "<0x%02X>", b);
        tokens.push_back(buf);
        types.push_back(6);
    }
    const std::string sp = "\xE2\x96\x81";  // U+2581, SentencePiece's space
    tokens.push_back(sp);
    types.push_back(1);
    for (char ch = 'a'; ch <= 'z'; ++ch) {
        tokens.push_back(std::string(1, ch));
        types.push_back(1);
        tokens.push_back(sp + std::string(1, ch));
        types.push_back(1);
    }
    for (const char* w : {"the", "and", "once", "upon", "time", "user", "system", "assistant"}) {
        tokens.push_back(sp + w);
        types.push_back(1);
    }
}

}  // namespace

int tiny_vocab_size() {
    std::vector<std::string> tokens;
    std::vector<std::int32_t> types;
    tiny_tokens(tokens, types);
    return static_cast<int>(tokens.size());
}

std::uint64_t write_tiny_model(const std::filesystem::path& path, const TinyModelSpec& s) {
    std::vector<std::string> tokens;
    std::vector<std::int32_t> types;
    tiny_tokens(tokens, types);
    std::vector<float> scores(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) scores[i] = types[i] == 1 ? -static_cast<float>(i) * 0.01f : 0.0f;
    const int vocab = static_cast<int>(tokens.size());

    // Writes everything except spec.omit_tensor, with spec.reshape / spec.retype applied.
    class Writer : public GgufWriter {
    public:
        explicit Writer(const TinyModelSpec& spec) : m_spec(spec) {}
        void add_tensor(std::string_view name, DType type, std::initializer_list<std::int64_t> shape,
                        const std::vector<float>& values) {
            if (name == m_spec.omit_tensor) return;
            const std::string key(name);
            const auto retyped = m_spec.retype.find(key);
            if (retyped != m_spec.retype.end()) type = retyped->second;
            const auto reshaped = m_spec.reshape.find(key);
            if (reshaped == m_spec.reshape.end()) {
                GgufWriter::add_tensor(name, type, std::span<const std::int64_t>(shape.begin(), shape.size()),
                                       std::span<const float>(values));
                return;
            }
            std::int64_t n = 1;
            for (std::int64_t d : reshaped->second) n *= d;
            const std::vector<float> small(static_cast<std::size_t>(n), 0.01f);
            GgufWriter::add_tensor(name, type, std::span<const std::int64_t>(reshaped->second),
                                   std::span<const float>(small));
        }
        using GgufWriter::add_tensor;

    private:
        const TinyModelSpec& m_spec;
    };
    Writer w(s);
    const std::string a = s.arch + ".";
    w.set("general.architecture", s.arch);
    w.set("general.name", "tiny-" + s.arch);
    w.set(a + "context_length", static_cast<std::uint32_t>(s.context_length));
    w.set(a + "embedding_length", static_cast<std::uint32_t>(s.dim));
    w.set(a + "block_count", static_cast<std::uint32_t>(s.n_layers));
    w.set(a + "feed_forward_length", static_cast<std::uint32_t>(s.hidden_dim));
    w.set(a + "attention.head_count", static_cast<std::uint32_t>(s.n_heads));
    w.set(a + "attention.head_count_kv", static_cast<std::uint32_t>(s.n_kv_heads));
    w.set(a + "rope.freq_base", 10000.0f);
    w.set(a + "attention.layer_norm_rms_epsilon", 1e-5f);
    w.set("tokenizer.ggml.model", "llama");
    w.set_array("tokenizer.ggml.tokens", tokens);
    w.set_array("tokenizer.ggml.scores", scores);
    w.set_array("tokenizer.ggml.token_type", types);
    w.set("tokenizer.ggml.bos_token_id", static_cast<std::uint32_t>(TinyVocab::bos));
    w.set("tokenizer.ggml.eos_token_id", static_cast<std::uint32_t>(TinyVocab::eos));
    w.set("tokenizer.ggml.unknown_token_id", static_cast<std::uint32_t>(TinyVocab::unk));
    w.set("tokenizer.ggml.add_bos_token", true);
    if (s.think_template)
        w.set("tokenizer.chat_template", kChatMlThink);
    else if (s.chat_template)
        w.set("tokenizer.chat_template", kChatMl);

    Gaussian g(s.seed);
    auto matrix = [&](int rows, int cols, float sigma) {
        std::vector<float> v(static_cast<std::size_t>(rows) * cols);
        for (float& x : v) x = g(sigma);
        return v;
    };
    auto norm = [&](int n) {
        std::vector<float> v(n);
        for (float& x : v) x = 1.0f + g(0.1f);
        return v;
    };
    const int head_dim = s.dim / s.n_heads, q_dim = s.dim, kv_dim = s.n_kv_heads * head_dim;
    auto embd = matrix(vocab, s.dim, 0.5f);
    w.add_tensor("token_embd.weight", s.weight_type, {s.dim, vocab}, embd);
    w.add_tensor("output_norm.weight", DType::F32, {s.dim}, norm(s.dim));
    if (!s.tied_output) {
        auto out = matrix(vocab, s.dim, 0.5f);
        for (int id : {TinyVocab::eos, TinyVocab::im_end})
            for (int j = 0; j < s.dim; ++j) out[static_cast<std::size_t>(id) * s.dim + j] = 0.0f;
        w.add_tensor("output.weight", s.weight_type, {s.dim, vocab}, out);
    }
    for (int i = 0; i < s.n_layers; ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        w.add_tensor(p + "attn_norm.weight", DType::F32, {s.dim}, norm(s.dim));
        if (type_info(s.attn_q_type).quantizable) {
            w.add_tensor(p + "attn_q.weight", s.attn_q_type, {s.dim, q_dim}, matrix(q_dim, s.dim, 0.3f));
        } else {  // a type nobody can write: zero blocks of the right size (the loader must reject it)
            const std::vector<std::uint8_t> raw(row_bytes(s.attn_q_type, s.dim) * q_dim, 0);
            const std::int64_t shape[2] = {s.dim, q_dim};
            w.add_tensor(p + "attn_q.weight", s.attn_q_type, shape, std::span<const std::uint8_t>(raw));
        }
        w.add_tensor(p + "attn_k.weight", s.weight_type, {s.dim, kv_dim}, matrix(kv_dim, s.dim, 0.3f));
        w.add_tensor(p + "attn_v.weight", s.weight_type, {s.dim, kv_dim}, matrix(kv_dim, s.dim, 0.1f));
        if (s.arch == "qwen2") {
            w.add_tensor(p + "attn_q.bias", DType::F32, {q_dim}, matrix(1, q_dim, 0.1f));
            w.add_tensor(p + "attn_k.bias", DType::F32, {kv_dim}, matrix(1, kv_dim, 0.1f));
            w.add_tensor(p + "attn_v.bias", DType::F32, {kv_dim}, matrix(1, kv_dim, 0.1f));
        }
        if (s.arch == "qwen3") {
            w.add_tensor(p + "attn_q_norm.weight", DType::F32, {head_dim}, norm(head_dim));
            w.add_tensor(p + "attn_k_norm.weight", DType::F32, {head_dim}, norm(head_dim));
        }
        w.add_tensor(p + "attn_output.weight", s.weight_type, {q_dim, s.dim}, matrix(s.dim, q_dim, 0.1f));
        w.add_tensor(p + "ffn_norm.weight", DType::F32, {s.dim}, norm(s.dim));
        w.add_tensor(p + "ffn_gate.weight", s.weight_type, {s.dim, s.hidden_dim}, matrix(s.hidden_dim, s.dim, 0.1f));
        w.add_tensor(p + "ffn_up.weight", s.weight_type, {s.dim, s.hidden_dim}, matrix(s.hidden_dim, s.dim, 0.1f));
        w.add_tensor(p + "ffn_down.weight", s.weight_type, {s.hidden_dim, s.dim}, matrix(s.dim, s.hidden_dim, 0.1f));
    }
    if (s.edit) s.edit(w);
    w.write_file(path);
    return std::filesystem::file_size(path);
}

}  // namespace ponder::test
