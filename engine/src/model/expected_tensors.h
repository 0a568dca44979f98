// expected_tensors.h: the one table of which tensors an architecture has, with the shape its
// hyper-parameters give and the op the transformer runs on each. The consistency check compares
// a file's tensor directory against it (before any backend exists), the capability plan lists
// its ops and types, and the binders take each tensor's op from it, so a shape or an op is
// written down once, not once per stage.
#pragma once

#include "backend/backend.h"
#include "model/config.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ponder {

struct ExpectedTensor {
    std::string name;  // "blk.0.attn_q.weight"
    // ggml order (ne[0] = row length); trailing 1s for vectors and matrices. Stacked per-head
    // and per-expert tensors (deepseek2) are 3-D: ne[2] heads or experts.
    std::array<std::int64_t, 3> ne{1, 1, 1};
    std::string why;                   // "rows = llama.attention.head_count 4 x head dimension 16"
    BackendOp op = BackendOp::MatMul;  // what the transformer does with it
    bool required = true;

    // MatMul, MatMulId and GetRows take any weight type; norms, biases, RoPE factors and the
    // router bias are read as F32.
    bool f32_only() const { return op != BackendOp::MatMul && op != BackendOp::MatMulId && op != BackendOp::GetRows; }
};

// Every tensor a model of this configuration may hold, in binding order (token_embd,
// output_norm, output, then layer by layer). Tensors with required == false (output.weight
// when tied, rope_freqs, qwen2-style biases on llama, deepseek2's router bias) may be absent.
std::vector<ExpectedTensor> expected_tensors(const ModelConfig& config);

}  // namespace ponder
