// packed_q32.h: the eight-row interleaved layouts of the 32-element block formats (Q8_0, Q4_0,
// IQ4_NL, Q5_0) and their packers (packed_q32.cpp). Why interleave: packed.h.
#pragma once

#include "backend/cpu/packed_rows.h"
#include "quant/blocks.h"

#include <cstddef>
#include <cstdint>

namespace ponder::cpu {

// 32-column blocks with one fp16 scale per row (Q8_0, Q4_0, Q5_0, IQ4_NL), eight rows. Each
// keeps its own bit width, so generation streams exactly the file's bytes. Vector v < 4 of a
// block holds, per row lane, columns 4 v .. 4 v + 3; vector 4 + v columns 16 + 4 v .. + 3. The
// 4-bit formats keep both in one byte: low nibble for vector v, high nibble for vector 4 + v.
struct block_q8_0x8 {
    static constexpr int kColumns = 32;
    fp16_t d[kPackRows];
    std::int8_t qs[8][4 * kPackRows];  // [vector][row * 4 + column in group], the file's q
};
static_assert(sizeof(block_q8_0x8) == 8 * sizeof(block_q8_0));

struct block_q4_0x8 {  // also IQ4_NL: the nibble is then a table index
    static constexpr int kColumns = 32;
    fp16_t d[kPackRows];
    std::uint8_t qs[4][4 * kPackRows];  // [vector v][lane byte]: vector v low, vector 4 + v high
};
static_assert(sizeof(block_q4_0x8) == 8 * sizeof(block_q4_0));

struct block_q5_0x8 {
    static constexpr int kColumns = 32;
    fp16_t d[kPackRows];
    std::uint8_t qs[4][4 * kPackRows];  // low 4 bits, as block_q4_0x8
    std::uint8_t qh[4 * kPackRows];     // bit v: bit 4 of vector v's value; bit 4 + v: of vector 4 + v
};
static_assert(sizeof(block_q5_0x8) == 8 * sizeof(block_q5_0));

void pack_q8_0_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q8_0x8* dst);
void pack_q4_0_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q4_0x8* dst);  // Q4_0 and IQ4_NL
void pack_q5_0_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q5_0x8* dst);

}  // namespace ponder::cpu
