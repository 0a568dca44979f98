// scalar/activations.h: activation rows quantized to Q8_0 and Q8_K with the portable quantizers
// (the same rounding as llama.cpp's reference code).
#pragma once

#include "backend/cpu/kernels.h"
#include "quant/quantize.h"

namespace ponder::cpu {
namespace {

void quantize_q8_0(const float* x, void* y, std::int64_t n) { quantize_row_q8_0(x, static_cast<block_q8_0*>(y), n); }
void quantize_q8_K(const float* x, void* y, std::int64_t n) { quantize_row_q8_K(x, static_cast<block_q8_K*>(y), n); }

}  // namespace
}  // namespace ponder::cpu
