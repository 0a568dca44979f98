// x86/float_formats.h: F32, F16 and BF16 weights against F32 activations: row dots and the
// register-tiled many-token kernel, and their kernel-table entries.
#pragma once

#include "backend/cpu/x86/simd.h"
#include "backend/cpu/x86/vector_ops.h"  // dot_f32

namespace ponder::cpu {
namespace {

void vec_dot_f32(std::int64_t n, float* s, const void* w, const void* x) {
    *s = dot_f32(static_cast<const float*>(w), static_cast<const float*>(x), n);
}

void vec_dot_f16(std::int64_t n, float* s, const void* vw, const void* vx) {
    const auto* w = static_cast<const fp16_t*>(vw);
    const auto* x = static_cast<const float*>(vx);
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        s0 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + i))),
                             _mm256_loadu_ps(x + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + i + 8))),
                             _mm256_loadu_ps(x + i + 8), s1);
    }
    float r = hsum(_mm256_add_ps(s0, s1));
    for (; i < n; ++i) r += h2f(w[i]) * x[i];
    *s = r;
}

void vec_dot_bf16(std::int64_t n, float* s, const void* vw, const void* vx) {
    const auto* w = static_cast<const bf16_t*>(vw);
    const auto* x = static_cast<const float*>(vx);
    __m256 acc = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256i h = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + i)));
        acc = _mm256_fmadd_ps(_mm256_castsi256_ps(_mm256_slli_epi32(h, 16)), _mm256_loadu_ps(x + i), acc);
    }
    float r = hsum(acc);
    for (; i < n; ++i) {
        const std::uint32_t u = static_cast<std::uint32_t>(w[i]) << 16;
        float f;
        std::memcpy(&f, &u, 4);
        r += f * x[i];
    }
    *s = r;
}

// ---- float weights (F32, F16, BF16) x F32 activations, many tokens --------------------------------
// A tile of R rows x C tokens keeps R x C accumulators in registers: per 8 columns, R weight loads
// (converted once) and C activation loads feed R x C FMAs, instead of one of each per FMA as a
// row-by-row dot needs. Activations stay f32 (no rounding to the weight type).
struct LoadF32 {
    static __m256 load8(const std::uint8_t* w, std::int64_t k) {
        return _mm256_loadu_ps(reinterpret_cast<const float*>(w) + k);
    }
    static float load1(const std::uint8_t* w, std::int64_t k) { return reinterpret_cast<const float*>(w)[k]; }
};
struct LoadF16 {
    static __m256 load8(const std::uint8_t* w, std::int64_t k) {
        return _mm256_cvtph_ps(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(reinterpret_cast<const fp16_t*>(w) + k)));
    }
    static float load1(const std::uint8_t* w, std::int64_t k) { return h2f(reinterpret_cast<const fp16_t*>(w)[k]); }
};
struct LoadBF16 {
    static __m256 load8(const std::uint8_t* w, std::int64_t k) {
        const __m256i h = _mm256_cvtepu16_epi32(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(reinterpret_cast<const bf16_t*>(w) + k)));
        return _mm256_castsi256_ps(_mm256_slli_epi32(h, 16));
    }
    static float load1(const std::uint8_t* w, std::int64_t k) {
        const std::uint32_t u = static_cast<std::uint32_t>(reinterpret_cast<const bf16_t*>(w)[k]) << 16;
        float f;
        std::memcpy(&f, &u, 4);
        return f;
    }
};

template <typename L, int R, int C>
void tile_float(std::int64_t n, const std::uint8_t* w, std::size_t ws, const std::uint8_t* x, std::size_t xs,
                float* out, std::size_t os) {
    __m256 acc[R][C];
    for (int r = 0; r < R; ++r)
        for (int c = 0; c < C; ++c) acc[r][c] = _mm256_setzero_ps();
    std::int64_t k = 0;
    for (; k + 8 <= n; k += 8) {
        __m256 wv[R];
        for (int r = 0; r < R; ++r) wv[r] = L::load8(w + r * ws, k);
        for (int c = 0; c < C; ++c) {
            const __m256 xv = _mm256_loadu_ps(reinterpret_cast<const float*>(x + c * xs) + k);
            for (int r = 0; r < R; ++r) acc[r][c] = _mm256_fmadd_ps(wv[r], xv, acc[r][c]);
        }
    }
    for (int r = 0; r < R; ++r)
        for (int c = 0; c < C; ++c) {
            float v = hsum(acc[r][c]);
            for (std::int64_t i = k; i < n; ++i)
                v += L::load1(w + r * ws, i) * reinterpret_cast<const float*>(x + c * xs)[i];
            out[c * os + r] = v;
        }
}

template <typename L>
void gemm_float(std::int64_t n, const void* vw, std::size_t ws, int nr, const void* vx, std::size_t xs, int nc,
                float* out, std::size_t os) {
    const auto* w = static_cast<const std::uint8_t*>(vw);
    const auto* x = static_cast<const std::uint8_t*>(vx);
    int r = 0;
    for (; r + kFloatRows <= nr; r += kFloatRows) {
        int c = 0;
        for (; c + kFloatCols <= nc; c += kFloatCols)
            tile_float<L, kFloatRows, kFloatCols>(n, w + r * ws, ws, x + c * xs, xs, out + c * os + r, os);
        for (; c < nc; ++c) tile_float<L, kFloatRows, 1>(n, w + r * ws, ws, x + c * xs, xs, out + c * os + r, os);
    }
    for (; r < nr; ++r) {
        int c = 0;
        for (; c + kFloatCols <= nc; c += kFloatCols)
            tile_float<L, 1, kFloatCols>(n, w + r * ws, ws, x + c * xs, xs, out + c * os + r, os);
        for (; c < nc; ++c) tile_float<L, 1, 1>(n, w + r * ws, ws, x + c * xs, xs, out + c * os + r, os);
    }
}

void add_float_formats(KernelSet& ks) {
    auto set = [&](DType t, VecDotFn f, GemmFn g) {
        ks.weights[static_cast<int>(t)] = {DType::F32, f, g, {}, kGemmOneTokenRowBytes};
    };
    set(DType::F32, vec_dot_f32, gemm_float<LoadF32>);
    set(DType::F16, vec_dot_f16, gemm_float<LoadF16>);
    set(DType::BF16, vec_dot_bf16, gemm_float<LoadBF16>);
}

}  // namespace
}  // namespace ponder::cpu
