// dequantize.h: scalar reference conversion of weight rows to f32 (exact, not fast).
// Every backend's kernels are checked against these.
#pragma once

#include "quant/blocks.h"
#include "quant/types.h"

#include <cstdint>

namespace ponder {

// Converts n elements stored as `type` at src into dst. n must be a multiple of the type's block
// size; throws ponder::Error for an unsupported type or a bad n (nothing is written then).
// Supported: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q8_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K,
// Q8_K, IQ4_NL, IQ4_XS (type_info(t).dequantizable says which).
void dequantize_row(DType type, const void* src, float* dst, std::int64_t n);

// Per-type forms (n = element count, a multiple of the block size; not checked).
void dequantize_row_q4_0(const block_q4_0* x, float* y, std::int64_t n);
void dequantize_row_q4_1(const block_q4_1* x, float* y, std::int64_t n);
void dequantize_row_q5_0(const block_q5_0* x, float* y, std::int64_t n);
void dequantize_row_q5_1(const block_q5_1* x, float* y, std::int64_t n);
void dequantize_row_q8_0(const block_q8_0* x, float* y, std::int64_t n);
void dequantize_row_q8_1(const block_q8_1* x, float* y, std::int64_t n);
void dequantize_row_q2_K(const block_q2_K* x, float* y, std::int64_t n);
void dequantize_row_q3_K(const block_q3_K* x, float* y, std::int64_t n);
void dequantize_row_q4_K(const block_q4_K* x, float* y, std::int64_t n);
void dequantize_row_q5_K(const block_q5_K* x, float* y, std::int64_t n);
void dequantize_row_q6_K(const block_q6_K* x, float* y, std::int64_t n);
void dequantize_row_q8_K(const block_q8_K* x, float* y, std::int64_t n);
void dequantize_row_iq4_nl(const block_iq4_nl* x, float* y, std::int64_t n);
void dequantize_row_iq4_xs(const block_iq4_xs* x, float* y, std::int64_t n);

// Unpacks the 6-bit scale and min of sub-block j (0..7) from Q4_K/Q5_K `scales[12]`.
inline void get_scale_min_k4(int j, const std::uint8_t* q, std::uint8_t& sc, std::uint8_t& m) {
    if (j < 4) {
        sc = q[j] & 63;
        m = q[j + 4] & 63;
    } else {
        sc = static_cast<std::uint8_t>((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        m = static_cast<std::uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

}  // namespace ponder
