// quantize.h: f32 -> weight/activation formats, for synthetic models, test fixtures and the CPU
// backend's activation quantization (Q8_0 / Q8_K).
#pragma once

#include "quant/blocks.h"
#include "quant/types.h"

#include <cstddef>
#include <cstdint>

namespace ponder {

// Quantizes n elements (a multiple of the block size) into dst and returns the bytes written
// (= row_bytes(type, n)). Throws ponder::Error for a type without a quantizer or a bad n.
// Supported (type_info(t).quantizable): F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q8_K,
// Q4_K, Q5_K, Q6_K, IQ4_NL. Deterministic, thread-safe (no shared state), allocation-free.
std::size_t quantize_row(DType type, const float* src, void* dst, std::int64_t n);

// Activation quantizers the CPU backend calls per row in the hot path: straight loops, no
// allocation, no error checks (n must be a multiple of 32 resp. 256).
//
// Q8_0: per 32 values, d = max|x| / 127 (stored fp16), q = round(x / d) in [-127, 127];
//       an all-zero block gets d = 0, q = 0.
void quantize_row_q8_0(const float* x, block_q8_0* y, std::int64_t n);
// Q8_K: per 256 values, let m be the value with the largest |x| (sign kept); scale
//       s = -128 / m, q = min(127, round(s * x)) (so q lies in [-128, 127]), d = 1 / s (f32),
//       bsums[j] = sum of q over values 16 j .. 16 j + 15. An all-zero block gets d = 0, q = 0.
void quantize_row_q8_K(const float* x, block_q8_K* y, std::int64_t n);

// Weight quantizers (scalar, deterministic; good enough for fixtures and synthetic models,
// not llama-quantize's search).
void quantize_row_q4_0(const float* x, block_q4_0* y, std::int64_t n);
void quantize_row_q4_1(const float* x, block_q4_1* y, std::int64_t n);
void quantize_row_q5_0(const float* x, block_q5_0* y, std::int64_t n);
void quantize_row_q5_1(const float* x, block_q5_1* y, std::int64_t n);
void quantize_row_q4_K(const float* x, block_q4_K* y, std::int64_t n);
void quantize_row_q5_K(const float* x, block_q5_K* y, std::int64_t n);
void quantize_row_q6_K(const float* x, block_q6_K* y, std::int64_t n);
void quantize_row_iq4_nl(const float* x, block_iq4_nl* y, std::int64_t n);

}  // namespace ponder
