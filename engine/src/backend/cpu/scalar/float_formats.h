// scalar/float_formats.h: F32, F16 and BF16 weights against F32 activations: portable row dots
// and their kernel-table entries. The quantized formats have no portable fused kernel: matmul
// dequantizes their rows to f32 and uses dot_f32.
#pragma once

#include "backend/cpu/kernels.h"
#include "backend/cpu/scalar/vector_ops.h"  // dot_f32

namespace ponder::cpu {
namespace {

void vec_dot_f32(std::int64_t n, float* s, const void* w, const void* x) {
    *s = dot_f32(static_cast<const float*>(w), static_cast<const float*>(x), n);
}

void vec_dot_f16(std::int64_t n, float* s, const void* w, const void* x) {
    const auto* a = static_cast<const fp16_t*>(w);
    const auto* b = static_cast<const float*>(x);
    float sum = 0;
    for (std::int64_t i = 0; i < n; ++i) sum += fp16_to_f32(a[i]) * b[i];
    *s = sum;
}

void vec_dot_bf16(std::int64_t n, float* s, const void* w, const void* x) {
    const auto* a = static_cast<const bf16_t*>(w);
    const auto* b = static_cast<const float*>(x);
    float sum = 0;
    for (std::int64_t i = 0; i < n; ++i) sum += bf16_to_f32(a[i]) * b[i];
    *s = sum;
}

void add_float_formats(KernelSet& ks) {
    ks.weights[static_cast<int>(DType::F32)] = {DType::F32, vec_dot_f32, nullptr, {}, 0};
    ks.weights[static_cast<int>(DType::F16)] = {DType::F32, vec_dot_f16, nullptr, {}, 0};
    ks.weights[static_cast<int>(DType::BF16)] = {DType::F32, vec_dot_bf16, nullptr, {}, 0};
}

}  // namespace
}  // namespace ponder::cpu
