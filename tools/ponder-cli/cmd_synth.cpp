// cmd_synth.cpp: `ponder-cli synth --preset NAME --type TYPE [--seed N] [--vocab FILE] -o FILE`:
// writes a random-weight GGUF with a real model's shapes, keys, tokenizer and quantization mix.
#include "commands.h"
#include "util/path_text.h"

#include "gguf/model_info.h"
#include "gguf/synth.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#else
#include <unistd.h>
#endif

namespace ponder::cli {

namespace {

// The reference data's tokenizer folder: $PONDER_TESTDATA_DIR, else a "shared/testdata" next to
// (a parent of) the current directory or the executable (the usual ../shared/testdata layout).
std::optional<std::filesystem::path> find_vocab(const char* file_name) {
    std::vector<std::filesystem::path> roots;
    if (const char* env = std::getenv("PONDER_TESTDATA_DIR"); env && *env) roots.emplace_back(env);
    std::error_code ec;
    std::vector<std::filesystem::path> starts = {std::filesystem::current_path(ec)};
#if defined(_WIN32)
    wchar_t exe[MAX_PATH];
    const DWORD n = GetModuleFileNameW(nullptr, exe, MAX_PATH);
    if (n > 0 && n < MAX_PATH) starts.push_back(std::filesystem::path(std::wstring(exe, n)).parent_path());
#else
    char exe[4096];
    const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) starts.push_back(std::filesystem::path(std::string(exe, static_cast<std::size_t>(n))).parent_path());
#endif
    for (const auto& start : starts) {
        for (auto dir = start; !dir.empty(); dir = dir.parent_path()) {
            roots.push_back(dir / "shared" / "testdata");
            roots.push_back(dir / ".." / "shared" / "testdata");
            if (dir == dir.parent_path()) break;
        }
    }
    for (const auto& root : roots) {
        const auto candidate = root / "tokenizer" / file_name;
        if (std::filesystem::is_regular_file(candidate, ec)) return candidate.lexically_normal();
    }
    return std::nullopt;
}

std::string preset_names() {
    std::string s;
    for (const SynthPreset& p : synth_presets()) s += (s.empty() ? "" : ", ") + std::string(p.name);
    return s;
}

}  // namespace

int cmd_synth(Args& args) {
    const std::string preset_name = args.required("--preset");
    const std::string type_name = args.required("--type");
    const std::string out = args.required("--output", "-o");
    const auto vocab_arg = args.value("--vocab");
    const std::string seed_text = args.value("--seed").value_or("1");
    const int layers = args.integer("--layers", 0);
    if (!args.positional().empty()) throw UsageError{"unexpected arguments"};

    const SynthPreset* preset = find_synth_preset(preset_name);
    if (!preset) throw UsageError{"unknown preset '" + preset_name + "' (presets: " + preset_names() + ")"};
    const auto ftype = parse_file_type(type_name);
    if (!ftype || !synth_supports_file_type(*ftype))
        throw UsageError{
            "unsupported --type '" + type_name +
            "' (use F32, F16, BF16, Q8_0, Q6_K, Q5_K_M, Q5_K_S, Q4_K_M, Q4_K_S, Q5_0, Q5_1, Q4_0, Q4_1, IQ4_NL)"};
    char* end = nullptr;
    const unsigned long long seed = std::strtoull(seed_text.c_str(), &end, 10);
    if (end == seed_text.c_str() || *end) throw UsageError{"--seed expects a non-negative integer"};
    if (layers < 0 || layers > preset->n_layer)
        throw UsageError{"--layers must be between 1 and the preset's layer count"};

    std::optional<GgufFile> vocab;
    if (vocab_arg) {
        vocab.emplace(GgufFile::open(path_from_utf8(*vocab_arg)));
    } else if (const auto found = find_vocab(preset->vocab_file)) {
        vocab.emplace(GgufFile::open(*found));
    }
    std::string notes;
    if (vocab)
        notes += "tokenizer from " + path_to_utf8(vocab->path()) + "\n";
    else
        notes += std::string("vocabulary file ") + preset->vocab_file + " not found (pass --vocab FILE.gguf)\n";

    const auto t0 = std::chrono::steady_clock::now();
    SynthOptions options;
    options.preset = preset;
    options.ftype = *ftype;
    options.seed = seed;
    options.vocab = vocab ? &*vocab : nullptr;
    options.n_layer_override = layers;
    const GgufWriter writer = build_synth_model(options, &notes);
    writer.write_file(path_from_utf8(out));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto bytes = std::filesystem::file_size(path_from_utf8(out));
    std::fprintf(stderr, "%s", notes.c_str());
    std::printf("wrote %s: %s %s, %zu tensors, %.1f MiB in %.2f s (%.0f MB/s)\n", out.c_str(), preset->name,
                std::string(file_type_name(*ftype)).c_str(), writer.tensor_count(),
                static_cast<double>(bytes) / (1024.0 * 1024.0), seconds,
                seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0.0);
    return 0;
}

}  // namespace ponder::cli
