// packed_k.h: the eight-row interleaved layouts of the K-quants (Q2_K, Q3_K, Q4_K, Q5_K, Q6_K) and
// IQ4_XS, and their packers (packed_k.cpp). Why interleave: packed.h.
#pragma once

#include "backend/cpu/packed_rows.h"
#include "quant/blocks.h"

#include <cstddef>
#include <cstdint>

namespace ponder::cpu {

// One super-block (256 columns) of eight Q4_K rows. Value of row r, column 32 j + k (k < 32):
//   d[r] * scales[j][r] * q - dmin[r] * m, with m = mins[j / 2][r][j % 2] and
//   q = the low nibble of qs[j][k % 16 / 4][4 r + k % 4] when k < 16, else its high nibble.
// So one 32-byte row of qs holds, per row lane, four consecutive columns (low nibbles) and the
// four 16 columns further on (high nibbles).
struct block_q4_Kx8 {
    static constexpr int kColumns = QK_K;
    fp16_t d[kPackRows];
    fp16_t dmin[kPackRows];
    std::uint8_t scales[8][kPackRows];     // [sub-block][row], 6-bit
    std::uint8_t mins[4][kPackRows][2];    // [sub-block pair][row][sub-block in pair], 6-bit
    std::uint8_t qs[8][4][4 * kPackRows];  // [sub-block][column group][row * 4 + column in group]
};
static_assert(sizeof(block_q4_Kx8) == 1184);

// Q5_K: block_q4_Kx8's fields plus the fifth bit of every value, placed as in block_q5_0x8 (per
// sub-block: bit u of qh[4 r + e] for column 4 u + e, bit 4 + u for column 16 + 4 u + e). Each
// sub-block's nibbles and fifth bits sit together, so generation reads one linear stream (with
// the fifth bits in an area of their own it ran at 13 GB/s instead of 17 unpacked).
struct block_q5_Kx8 {
    static constexpr int kColumns = QK_K;
    fp16_t d[kPackRows];
    fp16_t dmin[kPackRows];
    std::uint8_t scales[8][kPackRows];
    std::uint8_t mins[4][kPackRows][2];
    struct SubBlock {
        std::uint8_t qs[4][4 * kPackRows];
        std::uint8_t qh[4 * kPackRows];
    } sub[8];
};
static_assert(sizeof(block_q5_Kx8) == 8 * sizeof(block_q5_K) + 32);  // 6-bit scales and mins as bytes

// One super-block (256 columns) of eight Q6_K rows, in eight 32-column groups. Column 32 s + k
// (k < 32) of row r is d[r] * g.scales[k / 16][r] * (q - 32), g = group[s], q = low | high << 4:
//   low  = the low nibble of g.ql[k % 16 / 4][4 r + k % 4] when k < 16, else its high nibble,
//   high = bits 2 u, 2 u + 1 (u = k % 16 / 4) of g.qh[k / 16][4 r + k % 4].
// The nibbles are placed as in block_q4_Kx8, and each qh byte holds the top bits of the four
// values that share its lane position. Everything a group needs is contiguous, so generation
// reads one linear stream (with ql, qh and scales in separate areas the hardware prefetcher
// lost track: 9 GB/s instead of 37 from L3).
struct block_q6_Kx8 {
    static constexpr int kColumns = QK_K;
    fp16_t d[kPackRows];
    struct Group {
        std::uint8_t ql[4][4 * kPackRows];  // [column group][row * 4 + column in group]
        std::uint8_t qh[2][4 * kPackRows];  // [half][row * 4 + column in group]
        std::int8_t scales[2][kPackRows];   // [16-column half][row]
    } group[8];
};
static_assert(sizeof(block_q6_Kx8) == 1680);  // the same bytes as eight block_q6_K

// One super-block of eight Q3_K rows, in eight 32-column groups. Column 32 s + k (k < 32) of row r
// is d[r] * g.scales[k / 16][r] * (u - 4), g = group[s], with the 3-bit code u = low | high << 2:
//   low  = bits 2 v, 2 v + 1 (v = k % 16 / 4) of g.ql[k / 16][4 r + k % 4],
//   high = bit v (k < 16) or 4 + v (k >= 16) of g.qh[4 r + k % 4]   (the file's "no -4" bit).
// Scales are stored decoded (6-bit, minus 32) as bytes.
struct block_q3_Kx8 {
    static constexpr int kColumns = QK_K;
    fp16_t d[kPackRows];
    struct Group {
        std::uint8_t ql[2][4 * kPackRows];
        std::uint8_t qh[4 * kPackRows];
        std::int8_t scales[2][kPackRows];
    } group[8];
};
static_assert(sizeof(block_q3_Kx8) == 8 * sizeof(block_q3_K) + 32);

// One super-block of eight Q2_K rows, in eight 32-column groups. Column 32 s + k (k < 32) of row r
// is d[r] * (m & 15) * q - dmin[r] * (m >> 4), m = g.scales[k / 16][r] (the file's byte: scale in
// the low nibble, min in the high), g = group[s], and the 2-bit code q = bits 2 v, 2 v + 1
// (v = k % 16 / 4) of g.ql[k / 16][4 r + k % 4].
struct block_q2_Kx8 {
    static constexpr int kColumns = QK_K;
    fp16_t d[kPackRows];
    fp16_t dmin[kPackRows];
    struct Group {
        std::uint8_t ql[2][4 * kPackRows];
        std::uint8_t scales[2][kPackRows];
    } group[8];
};
static_assert(sizeof(block_q2_Kx8) == 8 * sizeof(block_q2_K));

// One super-block of eight IQ4_XS rows: sub-block j (32 columns) of row r is
// d[r] * scales[j][r] * kvalues_iq4nl[code], codes placed as block_q4_Kx8's nibbles.
struct block_iq4_xsx8 {
    static constexpr int kColumns = QK_K;
    fp16_t d[kPackRows];
    std::int8_t scales[8][kPackRows];      // [sub-block][row]: the 6-bit scale minus 32
    std::uint8_t qs[8][4][4 * kPackRows];  // [sub-block][column group][row * 4 + column in group]
};
static_assert(sizeof(block_iq4_xsx8) == 8 * sizeof(block_iq4_xs) + 16);

// Sub-block j's 32-byte vector g of nibbles, in either K layout.
inline std::uint8_t* packed_qs(block_q4_Kx8& b, int j, int g) { return b.qs[j][g]; }
inline std::uint8_t* packed_qs(block_q5_Kx8& b, int j, int g) { return b.sub[j].qs[g]; }
inline const std::uint8_t* packed_qs(const block_q4_Kx8& b, int j, int g) { return b.qs[j][g]; }
inline const std::uint8_t* packed_qs(const block_q5_Kx8& b, int j, int g) { return b.sub[j].qs[g]; }

// Packs eight Q4_K rows of `cols` columns (src row r at src + r * src_stride) into cols / 256
// consecutive block_q4_Kx8.
void pack_q4_K_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q4_Kx8* dst);

// As pack_q4_K_x8, for Q6_K and Q5_K.
void pack_q6_K_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q6_Kx8* dst);
void pack_q5_K_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q5_Kx8* dst);
void pack_q3_K_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q3_Kx8* dst);
void pack_q2_K_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q2_Kx8* dst);
void pack_iq4_xs_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_iq4_xsx8* dst);

}  // namespace ponder::cpu
