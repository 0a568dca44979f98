// fuzz_gguf.cpp: libFuzzer target with two modes, chosen by PONDER_FUZZ_MODE:
//   gguf (default)  the GGUF reader: parse arbitrary bytes, then touch every value, string, tensor
//                   row and the model summary the way real callers do;
//   model           the model loader's stages after parsing: hyper-parameters (read_config), the
//                   consistency checks of hyper-parameters, vocabulary and tensor shapes (every
//                   architecture's table, deepseek2's MLA and expert tensors included), the
//                   capability plan checked against the CPU backend's supports() (without
//                   creating a backend: no threads, no allocation of weights), and the tokenizer
//                   built from the file's vocabulary, encoding and decoding a fixed text.
//                   (Binding weights to a backend is not fuzzed: it runs after these checks and
//                   only on tensors they accepted.)
// Any crash, sanitizer report, leak or non-ponder::Error exception is a bug.
#include "backend/cpu/cpu_supports.h"
#include "gguf/gguf_file.h"
#include "gguf/model_info.h"
#include "model/capabilities.h"
#include "model/config.h"
#include "model/consistency.h"
#include "quant/dequantize.h"
#include "tokenizer/tokenizer.h"
#include "util/log.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

volatile std::uint64_t g_sink;

void touch(const ponder::GgufValue& v) {
    std::uint64_t acc = 0;
    acc += v.as_u64().value_or(0);
    acc += static_cast<std::uint64_t>(v.as_i64().value_or(0));
    acc += static_cast<std::uint64_t>(v.as_f64().value_or(0.0) != 0.0);
    acc += v.as_bool().value_or(false);
    if (auto s = v.as_string()) acc += s->empty() ? 0 : static_cast<unsigned char>(s->back());
    for (std::string_view s : v.strings()) acc += s.size() ? static_cast<unsigned char>(s[0]) : 0;
    for (const ponder::GgufValue& item : v.items()) touch(item);
    if (v.is_array() && v.size() > 0) {
        acc += static_cast<std::uint64_t>(v.i64_at(0).value_or(0));
        acc += static_cast<std::uint64_t>(v.f64_at(v.size() - 1).value_or(0.0) != 0.0);
        acc += v.raw_elements().empty() ? 0 : v.raw_elements().back();
    }
    g_sink = g_sink + acc;
}

bool g_model_mode = false;

void fuzz_model_loader(const std::uint8_t* data, std::size_t size) {
    const ponder::GgufFile f = ponder::GgufFile::from_memory({data, size}, "fuzz.gguf");
    const ponder::ModelConfig config = ponder::read_config(f);
    ponder::check_model_consistency(f, config);
    const std::vector<ponder::WeightUse> plan = ponder::plan_weights(f, config);
    for (ponder::DType kv : {ponder::DType::F16, ponder::DType::Q8_0})
        for (const ponder::MissingCapability& m : ponder::missing_capabilities(ponder::cpu::cpu_supports, plan, kv))
            g_sink = g_sink + m.tensors.size();
    const auto tok = ponder::Tokenizer::from_gguf(f);
    for (const char* text :
         {"Hello world", " \t\n  12345 <think>x</think>", "\xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x98\x80 a\xCC\x81"}) {
        const std::vector<std::int32_t> ids = tok->encode(text, true, true);
        const std::string back = tok->decode(ids);
        g_sink = g_sink + ids.size() + back.size();
        for (std::int32_t id : ids) g_sink = g_sink + tok->token_text(id).size();
    }
    const ponder::ModelInfo info = ponder::model_info(f);
    g_sink = g_sink + info.parameter_count;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const char* mode = std::getenv("PONDER_FUZZ_MODE");
    g_model_mode = mode && std::strcmp(mode, "model") == 0;
    // The tokenizer warns about odd vocabularies; thousands of warnings a second would only
    // slow the fuzzer down.
    ponder::set_log_handler([](ponder::LogLevel, std::string_view) {});
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (g_model_mode) {
        try {
            fuzz_model_loader(data, size);
        } catch (const ponder::Error&) {}
        return 0;
    }
    try {
        const ponder::GgufFile f = ponder::GgufFile::from_memory({data, size}, "fuzz.gguf");
        for (const ponder::GgufKeyValue& kv : f.metadata()) touch(kv.value);
        std::vector<float> row;
        for (const ponder::GgufTensor& t : f.tensors()) {
            // Read the first and last byte of every tensor (must be inside the input) and
            // dequantize the first row of small tensors.
            g_sink = g_sink + t.data[0] + t.data[t.n_bytes - 1];
            const ponder::TypeInfo& info = ponder::type_info(t.type);
            if (info.dequantizable && t.row_length() <= 4096) {
                row.resize(static_cast<std::size_t>(t.row_length()));
                ponder::dequantize_row(t.type, t.data, row.data(), t.row_length());
                g_sink = g_sink + static_cast<std::uint64_t>(row.back() != 0.0f);
            }
        }
        const ponder::ModelInfo info = ponder::model_info(f);
        g_sink = g_sink + info.parameter_count + static_cast<std::uint64_t>(info.vocab_size);
        (void)f.get_strings("tokenizer.ggml.tokens");
        (void)f.get_array<float>("tokenizer.ggml.scores");
        (void)f.get_array<std::int32_t>("tokenizer.ggml.token_type");
    } catch (const ponder::Error&) {
        // Rejected cleanly: that is the expected outcome for most inputs.
    }
    return 0;
}
