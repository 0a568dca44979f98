// tiny_deepseek2.cpp: the deepseek2 fixture of tiny_deepseek2.h.
#include "tiny_deepseek2.h"

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"

#include <random>

namespace ponder::test {

namespace {

// q_lora, kv_lora, qk_nope, qk_rope, v_head, dense lead, experts, used, shared, expert ff,
// groups, groups used, gating (2: sigmoid), weights_norm, weights_scale, YaRN factor, YaRN
// original context, YaRN log multiplier.
constexpr SynthMla kTinyMla = {32, 64, 32, 16, 32, 1, 8, 2, 1, 64, 4, 2, 2, true, 2.5f, 40.0f, 4096, 0.1f};
constexpr SynthMla kTinyLiteMla = {0, 64, 32, 16, 32, 1, 8, 2, 1, 64, 4, 2, 2, true, 2.5f, 40.0f, 4096, 0.1f};
constexpr SynthPreset kTiny = {"tiny-ds2", "tiny", "deepseek2", 64,        3,        2,     1,
                               0,          128,    300,         8192,      10000.0f, 1e-6f, false,
                               false,      false,  "none.gguf", "default", &kTinyMla};
constexpr SynthPreset kTinyLite = {
    "tiny-ds2-lite", "tiny",      "deepseek2", 64,           3, 2, 1, 0, 128, 300, 8192, 10000.0f, 1e-6f, false, false,
    false,           "none.gguf", "default",   &kTinyLiteMla};

}  // namespace

const SynthPreset& tiny_deepseek2_preset(bool lite) { return lite ? kTinyLite : kTiny; }

void write_tiny_deepseek2(const std::filesystem::path& path, const TinyDeepseek2Spec& spec) {
    SynthOptions o;
    o.preset = &tiny_deepseek2_preset(spec.lite);
    o.ftype = 0;  // F32
    // synth's own data is not used: only its keys and its tensor plan, so every tensor can be
    // written with another shape or type.
    const auto base_bytes = build_synth_model(o).to_bytes();
    const GgufFile base = GgufFile::from_memory(base_bytes);
    GgufWriter w;
    w.copy_metadata(base, "");
    std::mt19937 rng(7);
    for (const SynthTensor& t : synth_tensor_plan(o)) {
        if (t.name == spec.omit_tensor) continue;
        std::vector<std::int64_t> shape{t.ne0};
        if (t.ne1 > 1 || t.ne2 > 1) shape.push_back(t.ne1);
        if (t.ne2 > 1) shape.push_back(t.ne2);
        if (auto it = spec.reshape.find(t.name); it != spec.reshape.end()) shape = it->second;
        const auto retyped = spec.retype.find(t.name);
        const DType type = retyped != spec.retype.end() ? retyped->second : DType::F32;
        std::int64_t n = 1;
        for (std::int64_t d : shape) n *= d;
        const bool norm = t.kind == SynthTensor::Kind::Norm;
        std::normal_distribution<float> dist(norm ? 1.0f : 0.0f, norm ? 0.1f : 0.05f);
        std::vector<float> v(static_cast<std::size_t>(n));
        for (float& x : v) x = dist(rng);
        w.add_tensor(t.name, type, std::span<const std::int64_t>(shape), std::span<const float>(v));
    }
    if (spec.edit) spec.edit(w);
    w.write_file(path);
}

}  // namespace ponder::test
