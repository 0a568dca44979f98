// x86/activations.h: activation rows quantized to Q8_0 (for the 32-element weight formats) and
// Q8_K (for the K-quants) before a fused dot.
#pragma once

#include "backend/cpu/x86/simd.h"

namespace ponder::cpu {
namespace {

// Four 8-float vectors of rounded ints -> 32 int8 in order.
inline __m256i pack_i8(__m256 a, __m256 b, __m256 c, __m256 d) {
    const __m256i ab = _mm256_packs_epi32(_mm256_cvtps_epi32(a), _mm256_cvtps_epi32(b));
    const __m256i cd = _mm256_packs_epi32(_mm256_cvtps_epi32(c), _mm256_cvtps_epi32(d));
    return _mm256_permutevar8x32_epi32(_mm256_packs_epi16(ab, cd), _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

void quantize_q8_0(const float* x, void* vy, std::int64_t n) {
    auto* y = static_cast<block_q8_0*>(vy);
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (std::int64_t b = 0; b < n / 32; ++b, x += 32) {
        __m256 v[4];
        __m256 amax = _mm256_setzero_ps();
        for (int j = 0; j < 4; ++j) {
            v[j] = _mm256_loadu_ps(x + 8 * j);
            amax = _mm256_max_ps(amax, _mm256_andnot_ps(sign, v[j]));
        }
        const float m = hmax(amax);
        const float d = m / 127.0f;
        const __m256 id = _mm256_set1_ps(m != 0.0f ? 127.0f / m : 0.0f);
        y[b].d = f2h(d);
        for (int j = 0; j < 4; ++j)
            v[j] = _mm256_round_ps(_mm256_mul_ps(v[j], id), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(y[b].qs), pack_i8(v[0], v[1], v[2], v[3]));
    }
}

void quantize_q8_K(const float* x, void* vy, std::int64_t n) {
    auto* y = static_cast<block_q8_K*>(vy);
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (std::int64_t b = 0; b < n / QK_K; ++b, x += QK_K) {
        __m256 amax = _mm256_setzero_ps();
        for (int j = 0; j < QK_K; j += 8) amax = _mm256_max_ps(amax, _mm256_andnot_ps(sign, _mm256_loadu_ps(x + j)));
        const float a = hmax(amax);
        if (a == 0.0f) {
            std::memset(&y[b], 0, sizeof(block_q8_K));
            continue;
        }
        float m = a;
        for (int j = 0; j < QK_K; ++j)
            if (x[j] == a || x[j] == -a) {
                m = x[j];
                break;
            }
        const float iscale = -127.0f / m;  // as quantize_row_q8_K (quant/quantize.cpp)
        const __m256 is = _mm256_set1_ps(iscale);
        const __m256 top = _mm256_set1_ps(127.0f);
        for (int j = 0; j < QK_K; j += 32) {
            __m256 v[4];
            for (int k = 0; k < 4; ++k)
                v[k] = _mm256_min_ps(top, _mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(x + j + 8 * k), is),
                                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            const __m256i q = pack_i8(v[0], v[1], v[2], v[3]);
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(y[b].qs + j), q);
            // bsums of the two 16-value groups: widen to i16, pairwise-add down to two sums.
            const __m256i w0 = _mm256_cvtepi8_epi16(_mm256_castsi256_si128(q));
            const __m256i w1 = _mm256_cvtepi8_epi16(_mm256_extracti128_si256(q, 1));
            y[b].bsums[j / 16] = static_cast<std::int16_t>(hsum_i32(_mm256_madd_epi16(w0, _mm256_set1_epi16(1))));
            y[b].bsums[j / 16 + 1] = static_cast<std::int16_t>(hsum_i32(_mm256_madd_epi16(w1, _mm256_set1_epi16(1))));
        }
        y[b].d = 1.0f / iscale;
    }
}

}  // namespace
}  // namespace ponder::cpu
