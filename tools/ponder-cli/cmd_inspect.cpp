// cmd_inspect.cpp: `ponder-cli inspect FILE [--json]`: what a GGUF model is, from its header only
// (the file is mapped, tensor data is never read, so this is instant even for huge files).
#include "commands.h"
#include "util/path_text.h"

#include "gguf/gguf_file.h"
#include "gguf/model_info.h"
#include "util/error.h"
#include "util/utf8.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

namespace ponder::cli {

namespace {

std::string human_bytes(std::uint64_t b) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(b);
    int u = 0;
    while (v >= 1024.0 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

std::string human_count(std::uint64_t n) {
    char buf[32];
    if (n >= 1000000000ull)
        std::snprintf(buf, sizeof buf, "%.2f B", static_cast<double>(n) / 1e9);
    else if (n >= 1000000ull)
        std::snprintf(buf, sizeof buf, "%.1f M", static_cast<double>(n) / 1e6);
    else if (n >= 1000ull)
        std::snprintf(buf, sizeof buf, "%.1f K", static_cast<double>(n) / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(n));
    return buf;
}

std::string shape_text(const GgufTensor& t) {
    std::string s = "[";
    for (int d = 0; d < t.n_dims; ++d) s += (d ? ", " : "") + std::to_string(t.ne[static_cast<std::size_t>(d)]);
    return s + "]";
}

nlohmann::ordered_json to_json(const GgufFile& f, const ModelInfo& info) {
    nlohmann::ordered_json j;
    j["path"] = path_to_utf8(info.path);
    j["name"] = info.name;
    j["architecture"] = info.architecture;
    j["architecture_supported"] = info.architecture_supported;
    j["gguf_version"] = f.version();
    j["alignment"] = f.alignment();
    j["split_count"] = info.split_count;
    j["file_bytes"] = info.file_bytes;
    j["parameter_count"] = info.parameter_count;
    j["quantization"] = info.quantization;
    if (const auto ft = f.get_u32("general.file_type")) j["file_type"] = std::string(file_type_name(*ft));
    auto& mix = j["quantization_mix"] = nlohmann::ordered_json::array();
    for (const TypeUsage& u : type_usage(f))
        mix.push_back({{"type", std::string(to_string(u.type))},
                       {"count", u.count},
                       {"bytes", u.bytes},
                       {"parameters", u.parameters}});
    j["context_length"] = info.context_length;
    j["n_layers"] = info.n_layers;
    j["n_heads"] = info.n_heads;
    j["n_kv_heads"] = info.n_kv_heads;
    j["head_dim"] = info.head_dim;
    j["embedding_length"] = info.embedding_length;
    j["feed_forward_length"] = info.feed_forward_length;
    j["tokenizer"] = {{"model", info.tokenizer_model}, {"pre", info.tokenizer_pre}, {"vocab_size", info.vocab_size}};
    j["has_chat_template"] = info.has_chat_template;
    j["reasoning"] = info.reasoning;
    j["kv_bytes_per_token"] = info.kv_bytes_per_token;
    if (info.kv_bytes_per_token_mha > 0) j["kv_bytes_per_token_mha"] = info.kv_bytes_per_token_mha;
    auto& tensors = j["tensors"] = nlohmann::ordered_json::array();
    for (const GgufTensor& t : f.tensors()) {
        nlohmann::ordered_json shape = nlohmann::ordered_json::array();
        for (std::int64_t d : t.shape()) shape.push_back(d);
        tensors.push_back({{"name", std::string(t.name)},
                           {"type", std::string(to_string(t.type))},
                           {"shape", shape},
                           {"bytes", t.n_bytes},
                           {"offset", t.file_offset},
                           {"part", t.part + 1}});
    }
    return j;
}

void print_text(const GgufFile& f, const ModelInfo& info) {
    auto line = [](const char* label, const std::string& value) {
        std::printf("%-16s %s\n", label, utf8::sanitize(value).c_str());
    };
    line("file:",
         path_to_utf8(info.path) + (info.split_count > 1 ? " (" + std::to_string(info.split_count) + " parts)" : ""));
    line("name:", info.name);
    line("architecture:", (info.architecture.empty() ? std::string("(none)") : info.architecture) +
                              (info.architecture_supported ? "" : " (not supported by this engine)"));
    line("parameters:", human_count(info.parameter_count) + " (" + std::to_string(info.parameter_count) + ")");
    line("file size:", human_bytes(info.file_bytes) + " (" + std::to_string(info.file_bytes) + " bytes)");
    line("format:", "GGUF v" + std::to_string(f.version()) + ", alignment " + std::to_string(f.alignment()));
    std::string quant = info.quantization.empty() ? "(no weights)" : info.quantization + " (dominant)";
    if (const auto ft = f.get_u32("general.file_type"); ft && !file_type_name(*ft).empty())
        quant += ", file type " + std::string(file_type_name(*ft));
    line("quantization:", quant);
    for (const TypeUsage& u : type_usage(f))
        std::printf("  %-8s %5llu tensors %12s\n", std::string(to_string(u.type)).c_str(),
                    static_cast<unsigned long long>(u.count), human_bytes(u.bytes).c_str());
    line("context:", std::to_string(info.context_length));
    line("layers:", std::to_string(info.n_layers));
    line("heads:", std::to_string(info.n_heads) + " (KV " + std::to_string(info.n_kv_heads) + "), head dim " +
                       std::to_string(info.head_dim));
    line("embedding:", std::to_string(info.embedding_length));
    line("feed-forward:", std::to_string(info.feed_forward_length));
    line("tokenizer:", (info.tokenizer_model.empty() ? std::string("(none)") : info.tokenizer_model) +
                           (info.tokenizer_pre.empty() ? "" : " / " + info.tokenizer_pre) + ", " +
                           std::to_string(info.vocab_size) + " tokens");
    line("chat template:", info.has_chat_template ? "yes" : "no");
    line("reasoning:", info.reasoning ? "yes (think markers)" : "no");
    if (info.kv_bytes_per_token_mha > 0)
        line("KV cache:",
             human_bytes(info.kv_bytes_per_token) + " per token (F16, MLA latent + rope part; ordinary attention: " +
                 human_bytes(info.kv_bytes_per_token_mha) + ", " +
                 strprintf("%.1fx", static_cast<double>(info.kv_bytes_per_token_mha) / info.kv_bytes_per_token) + ")");
    else
        line("KV cache:", human_bytes(info.kv_bytes_per_token) + " per token (F16)");
    std::printf("\ntensors (%zu):\n", f.tensors().size());
    std::size_t width = 4;
    for (const GgufTensor& t : f.tensors()) width = std::max(width, t.name.size());
    width = std::min<std::size_t>(width, 60);
    std::printf("  %-*s  %-7s  %-24s  %s\n", static_cast<int>(width), "name", "type", "shape", "bytes");
    for (const GgufTensor& t : f.tensors())
        std::printf("  %-*s  %-7s  %-24s  %llu\n", static_cast<int>(width), utf8::sanitize(t.name).c_str(),
                    std::string(to_string(t.type)).c_str(), shape_text(t).c_str(),
                    static_cast<unsigned long long>(t.n_bytes));
}

}  // namespace

int cmd_inspect(Args& args) {
    const bool json = args.flag("--json");
    const std::vector<std::string> rest = args.positional();
    if (rest.size() != 1) throw UsageError{"expected exactly one FILE"};
    const GgufFile file = GgufFile::open(path_from_utf8(rest[0]));
    const ModelInfo info = model_info(file);
    if (json) {
        // Invalid UTF-8 in names becomes U+FFFD rather than an exception.
        const std::string text =
            to_json(file, info).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        std::printf("%s\n", text.c_str());
    } else {
        print_text(file, info);
    }
    return 0;
}

}  // namespace ponder::cli
