// fit.h: scale fitting shared by the weight quantizers (least squares over a few candidates).
#pragma once

#include <cstdint>

namespace ponder {

// Round to nearest, ties to even (the default FP rounding mode), without a libm call so loops
// vectorize: adding 1.5 * 2^23 pushes the fraction out of the mantissa. Inputs are clamped to
// +-2^22 first (every caller's values are far smaller; NaN lands somewhere in range).
inline int fast_round(float v) {
    v = v < -4194303.0f ? -4194303.0f : (v > 4194303.0f ? 4194303.0f : v);
    const float shifted = v + 12582912.0f;
    std::uint32_t bits;
    __builtin_memcpy(&bits, &shifted, sizeof bits);
    return static_cast<int>(bits & 0x007FFFFFu) - 0x00400000;
}

// Fits x[i] ~= scale * q[i] - min with integer q in [0, nmax], scale >= 0, min >= 0 (the
// K-quant convention: the block minimum is never above zero). Minimises the squared error over
// a small grid of starting scales, each refined by alternating rounding and least squares.
void fit_asymmetric(const float* x, int n, int nmax, float& scale, float& min);

// Fits x[i] ~= scale * q[i] with integer q in [-nhalf, nhalf - 1]; returns scale (may be
// negative: the largest-magnitude value then maps to -nhalf, using the longer half of the range).
float fit_symmetric(const float* x, int n, int nhalf);

// Fits x[i] ~= d * codebook[idx[i]] for a sorted 16-entry codebook; returns d, writes idx.
float fit_codebook(const float* x, int n, const std::int8_t* codebook, std::uint8_t* idx);
// Nearest codebook entry of x[i] / d for each i.
void codebook_indices(const float* x, int n, const std::int8_t* codebook, float d, std::uint8_t* idx);

}  // namespace ponder
