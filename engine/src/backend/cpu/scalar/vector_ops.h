// scalar/vector_ops.h: the portable non-matmul kernels: f32 dots, f16 conversions, SwiGLU,
// softmax and attention over a KV cache of F32, F16 or Q8_0 rows.
#pragma once

#include "backend/cpu/kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ponder::cpu {
namespace {

float dot_f32(const float* a, const float* b, std::int64_t n) {
    // Four partial sums: lets the compiler vectorise and keeps rounding error lower than one chain.
    float s[4] = {0, 0, 0, 0};
    std::int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int j = 0; j < 4; ++j) s[j] += a[i + j] * b[i + j];
    for (; i < n; ++i) s[0] += a[i] * b[i];
    return (s[0] + s[1]) + (s[2] + s[3]);
}

void dot_f32_x4(const float* w, const float* const x[4], float out[4], std::int64_t n) {
    for (int j = 0; j < 4; ++j) out[j] = dot_f32(w, x[j], n);
}

void f16_to_f32(const fp16_t* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) y[i] = fp16_to_f32(x[i]);
}
void f32_to_f16(const float* x, fp16_t* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) y[i] = f32_to_fp16(x[i]);
}

void swiglu(const float* g, const float* u, float* out, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) out[i] = g[i] / (1.0f + std::exp(-g[i])) * u[i];
}

// One cache row (head_dim values of one KV head) as f32.
void load_row(DType type, const void* src, float* dst, int n) {
    if (type == DType::F32) {
        std::memcpy(dst, src, sizeof(float) * static_cast<std::size_t>(n));
    } else if (type == DType::F16) {
        f16_to_f32(static_cast<const fp16_t*>(src), dst, n);
    } else {  // Q8_0
        const auto* b = static_cast<const block_q8_0*>(src);
        for (int i = 0; i < n; ++i) dst[i] = fp16_to_f32(b[i / 32].d) * b[i / 32].qs[i % 32];
    }
}

void softmax_row(float* x, int n_valid, int n, float scale) {
    float mx = -INFINITY;
    for (int i = 0; i < n_valid; ++i) mx = std::max(mx, scale * x[i]);
    float sum = 0;
    for (int i = 0; i < n_valid; ++i) sum += (x[i] = std::exp(scale * x[i] - mx));
    for (int i = 0; i < n_valid; ++i) x[i] *= 1.0f / sum;
    for (int i = n_valid; i < n; ++i) x[i] = 0.0f;
}

void attend(const float* q, int group, int head_dim, const void* k, std::size_t k_stride, const void* v,
            std::size_t v_stride, DType cache_type, int n_pos, float scale, float* scratch, float* out) {
    float* scores = scratch;                                         // [group][n_pos]
    float* row = scratch + static_cast<std::size_t>(group) * n_pos;  // [head_dim]
    const auto* kb = static_cast<const std::uint8_t*>(k);
    const auto* vb = static_cast<const std::uint8_t*>(v);
    for (int p = 0; p < n_pos; ++p) {
        load_row(cache_type, kb + p * k_stride, row, head_dim);
        for (int h = 0; h < group; ++h) scores[h * n_pos + p] = scale * dot_f32(q + h * head_dim, row, head_dim);
    }
    for (int h = 0; h < group; ++h) softmax_row(scores + h * n_pos, n_pos, n_pos, 1.0f);  // scores already scaled
    std::fill(out, out + static_cast<std::size_t>(group) * head_dim, 0.0f);
    for (int p = 0; p < n_pos; ++p) {
        load_row(cache_type, vb + p * v_stride, row, head_dim);
        for (int h = 0; h < group; ++h) {
            const float w = scores[h * n_pos + p];
            float* o = out + h * head_dim;
            for (int i = 0; i < head_dim; ++i) o[i] += w * row[i];
        }
    }
}

}  // namespace
}  // namespace ponder::cpu
