// blocks.h: the one definition of every ggml weight block layout, plus fp16/bf16 <-> f32.
// CPU SIMD kernels and (later) GPU shaders mirror these structs; sizes are static_asserted so a
// layout mistake fails the build instead of silently misreading weights.
#pragma once

#include <cstdint>
#include <cstring>

namespace ponder {

inline constexpr int QK4_0 = 32;
inline constexpr int QK4_1 = 32;
inline constexpr int QK5_0 = 32;
inline constexpr int QK5_1 = 32;
inline constexpr int QK8_0 = 32;
inline constexpr int QK8_1 = 32;
inline constexpr int QK4_NL = 32;
inline constexpr int QK_K = 256;         // super-block of the K-quants and IQ4_XS
inline constexpr int K_SCALE_SIZE = 12;  // packed 6-bit scales/mins of Q4_K/Q5_K

using fp16_t = std::uint16_t;  // IEEE binary16 bits, stored as is (little-endian in files)
using bf16_t = std::uint16_t;  // bfloat16 bits

// ---------------------------------------------------------------------------------------------
// 32-element blocks. Value i of a block: low nibble of qs[i] for i < 16, high nibble of qs[i-16]
// for i >= 16 (the "split halves" order ggml uses, not interleaved pairs).

struct block_q4_0 {  // x = d * (q - 8)
    fp16_t d;
    std::uint8_t qs[QK4_0 / 2];
};
static_assert(sizeof(block_q4_0) == 18);

struct block_q4_1 {  // x = d * q + m
    fp16_t d;
    fp16_t m;
    std::uint8_t qs[QK4_1 / 2];
};
static_assert(sizeof(block_q4_1) == 20);

struct block_q5_0 {  // x = d * (q - 16); bit 4 of value i is bit i of qh (little-endian u32)
    fp16_t d;
    std::uint8_t qh[4];
    std::uint8_t qs[QK5_0 / 2];
};
static_assert(sizeof(block_q5_0) == 22);

struct block_q5_1 {  // x = d * q + m
    fp16_t d;
    fp16_t m;
    std::uint8_t qh[4];
    std::uint8_t qs[QK5_1 / 2];
};
static_assert(sizeof(block_q5_1) == 24);

struct block_q8_0 {  // x = d * q
    fp16_t d;
    std::int8_t qs[QK8_0];
};
static_assert(sizeof(block_q8_0) == 34);

struct block_q8_1 {  // x = d * q; s = d * sum(q)
    fp16_t d;
    fp16_t s;
    std::int8_t qs[QK8_1];
};
static_assert(sizeof(block_q8_1) == 36);

struct block_iq4_nl {  // x = d * kvalues_iq4nl[q], nibble order as Q4_0
    fp16_t d;
    std::uint8_t qs[QK4_NL / 2];
};
static_assert(sizeof(block_iq4_nl) == 18);

// The non-linear 4-bit codebook shared by IQ4_NL and IQ4_XS.
inline constexpr std::int8_t kvalues_iq4nl[16] = {-127, -104, -83, -65, -49, -35, -22, -10,
                                                  1,    13,   25,  38,  53,  69,  89,  113};

// ---------------------------------------------------------------------------------------------
// 256-element super-blocks (K-quants).

// 16 sub-blocks of 16. scales[j]: low nibble = scale, high nibble = min (4 bits each).
// x = d * sc * q - dmin * m, q 2-bit.
struct block_q2_K {
    std::uint8_t scales[QK_K / 16];
    std::uint8_t qs[QK_K / 4];
    fp16_t d;
    fp16_t dmin;
};
static_assert(sizeof(block_q2_K) == 84);

// 16 sub-blocks of 16, 6-bit signed scales (packed in 12 bytes, offset by 32); q = 2 low bits
// from qs plus a high bit from hmask (set = +0, clear = -4). x = d * (sc - 32) * q.
struct block_q3_K {
    std::uint8_t hmask[QK_K / 8];
    std::uint8_t qs[QK_K / 4];
    std::uint8_t scales[12];
    fp16_t d;
};
static_assert(sizeof(block_q3_K) == 110);

// 8 sub-blocks of 32; 6-bit scale and min per sub-block packed into scales[12].
// x = d * sc * q - dmin * m, q 4-bit.
struct block_q4_K {
    fp16_t d;
    fp16_t dmin;
    std::uint8_t scales[K_SCALE_SIZE];
    std::uint8_t qs[QK_K / 2];
};
static_assert(sizeof(block_q4_K) == 144);

// As Q4_K with a fifth bit per value in qh. x = d * sc * q - dmin * m, q 5-bit.
struct block_q5_K {
    fp16_t d;
    fp16_t dmin;
    std::uint8_t scales[K_SCALE_SIZE];
    std::uint8_t qh[QK_K / 8];
    std::uint8_t qs[QK_K / 2];
};
static_assert(sizeof(block_q5_K) == 176);

// 16 sub-blocks of 16, int8 scales. x = d * sc * (q - 32), q 6-bit (4 low in ql, 2 high in qh).
struct block_q6_K {
    std::uint8_t ql[QK_K / 2];
    std::uint8_t qh[QK_K / 4];
    std::int8_t scales[QK_K / 16];
    fp16_t d;
};
static_assert(sizeof(block_q6_K) == 210);

// Activation format for K-quant dot products (never stored in files by llama.cpp).
// x = d * q; bsums[j] = sum of qs[16 j .. 16 j + 15] (lets a kernel apply Q4_K/Q5_K/Q2_K mins
// with one multiply per 16 values).
struct block_q8_K {
    float d;
    std::int8_t qs[QK_K];
    std::int16_t bsums[QK_K / 16];
};
static_assert(sizeof(block_q8_K) == 292);

// 8 sub-blocks of 32 with 6-bit scales: low 4 bits in scales_l (nibble j%2 of byte j/2), high 2
// bits in scales_h (bits 2j, 2j+1). x = d * (ls - 32) * kvalues_iq4nl[q].
struct block_iq4_xs {
    fp16_t d;
    std::uint16_t scales_h;
    std::uint8_t scales_l[QK_K / 64];
    std::uint8_t qs[QK_K / 2];
};
static_assert(sizeof(block_iq4_xs) == 136);

// ---------------------------------------------------------------------------------------------
// Half-precision conversions (exact; round-to-nearest-even when narrowing).

inline std::uint32_t f32_bits(float f) {
    std::uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return u;
}

inline float f32_from_bits(std::uint32_t u) {
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

inline float fp16_to_f32(fp16_t h) {
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    const std::uint32_t exp = (h >> 10) & 0x1Fu;
    std::uint32_t mant = h & 0x3FFu;
    if (exp == 0x1F) return f32_from_bits(sign | 0x7F800000u | (mant << 13));  // inf / nan
    if (exp != 0) return f32_from_bits(sign | ((exp + 112) << 23) | (mant << 13));
    if (mant == 0) return f32_from_bits(sign);  // +-0
    // Subnormal: value = mant * 2^-24, exactly representable in f32.
    const float v = static_cast<float>(mant) * 5.9604644775390625e-8f;
    return sign ? -v : v;
}

inline fp16_t f32_to_fp16(float f) {
    const std::uint32_t u = f32_bits(f);
    const std::uint32_t sign = (u >> 16) & 0x8000u;
    const std::uint32_t abs = u & 0x7FFFFFFFu;
    if (abs > 0x7F800000u) return static_cast<fp16_t>(sign | 0x7E00u | ((abs >> 13) & 0x3FFu));  // nan
    if (abs >= 0x477FF000u) return static_cast<fp16_t>(sign | 0x7C00u);  // rounds to >= 65520: inf
    if (abs < 0x38800000u) {
        // Result is subnormal (or zero): scale to units of 2^-24 and round to nearest even.
        if (abs < 0x33000000u) return static_cast<fp16_t>(sign);  // < 2^-25: rounds to 0
        const std::uint32_t exp = abs >> 23;
        const std::uint32_t mant = (abs & 0x7FFFFFu) | 0x800000u;
        const std::uint32_t shift = 126 - exp;  // 14..24 bits to drop
        std::uint32_t q = mant >> shift;
        const std::uint32_t rem = mant & ((1u << shift) - 1);
        const std::uint32_t half = 1u << (shift - 1);
        if (rem > half || (rem == half && (q & 1))) ++q;
        return static_cast<fp16_t>(sign | q);
    }
    // Normal: rebias exponent, round mantissa 23 -> 10 bits to nearest even (carry may bump exp).
    std::uint32_t v = abs - 0x38000000u;  // exponent bias 127 -> 15
    v += 0xFFFu + ((v >> 13) & 1u);
    return static_cast<fp16_t>(sign | (v >> 13));
}

inline float bf16_to_f32(bf16_t h) { return f32_from_bits(static_cast<std::uint32_t>(h) << 16); }

inline bf16_t f32_to_bf16(float f) {
    const std::uint32_t u = f32_bits(f);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<bf16_t>((u >> 16) | 64);  // quiet nan
    return static_cast<bf16_t>((u + (0x7FFFu + ((u >> 16) & 1u))) >> 16);
}

}  // namespace ponder
