// fit.h: scale fitting shared by the weight quantizers (least squares over a few candidates).
#pragma once

#include <cstdint>

namespace ponder {

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
