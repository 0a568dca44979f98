// tiny_deepseek2.h: writes a small random-weight deepseek2 GGUF (V3-shaped: q LoRA, 8 experts in 4
// groups with 2 used, sigmoid gating with a router bias, one shared expert, one leading dense
// layer, YaRN; or V2-Lite-shaped with a plain attn_q), optionally wrong in one way, for the
// loader's tests. Built on gguf/synth (the shapes and keys llama.cpp's converter writes).
#pragma once

#include "gguf/synth.h"
#include "quant/types.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ponder {
class GgufWriter;
}

namespace ponder::test {

// dim 64, 3 layers (layer 0 dense, feed-forward 128), 2 heads, q_lora 32, kv_lora 64,
// key_length_mla 48 (32 + rope 16), value_length_mla 32, 8 experts of 64, 1 shared; vocab 300.
const SynthPreset& tiny_deepseek2_preset(bool lite = false);

struct TinyDeepseek2Spec {
    bool lite = false;        // q_lora_rank 0: one attn_q per layer (V2-Lite)
    std::string omit_tensor;  // leave this tensor out
    // Write these tensors with another shape (ggml order) or type (small values), then let `edit`
    // change anything else (keys, extra tensors) just before the file is written.
    std::map<std::string, std::vector<std::int64_t>> reshape;
    std::map<std::string, DType> retype;
    std::function<void(GgufWriter&)> edit;
};

// F32 weights ~ N(0, 0.05), norms ~ 1 + N(0, 0.1), a fixed seed: the same file every time.
void write_tiny_deepseek2(const std::filesystem::path& path, const TinyDeepseek2Spec& spec = {});

}  // namespace ponder::test
