// packed_q32.cpp: builds the interleaved layouts of packed_q32.h from the file's blocks (portable
// code; it runs once per tensor at load).
#include "backend/cpu/packed_q32.h"

#include <cstring>

namespace ponder::cpu {

namespace {

// Block i of row r of the file's rows (row r at src + r * src_stride).
template <typename Block>
const Block& file_block(const void* src, std::size_t src_stride, int r, std::int64_t i) {
    return reinterpret_cast<const Block*>(static_cast<const std::uint8_t*>(src) + r * src_stride)[i];
}

// Column of lane byte (row r, column e in group) in vector v of a 32-column block.
constexpr int column_of(int v, int e) { return v < 4 ? 4 * v + e : 16 + 4 * (v - 4) + e; }

// Q4_0 / IQ4_NL / Q5_0 keep column k < 16 in the low nibble of qs[k], column k + 16 in the high.
std::uint8_t nibble_of(const std::uint8_t* qs, int col) { return col < 16 ? qs[col] & 0x0F : qs[col - 16] >> 4; }

}  // namespace

void pack_q8_0_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q8_0x8* dst) {
    for (std::int64_t i = 0; i < cols / QK8_0; ++i)
        for (int r = 0; r < kPackRows; ++r) {
            const auto& b = file_block<block_q8_0>(src, src_stride, r, i);
            dst[i].d[r] = b.d;
            for (int v = 0; v < 8; ++v)
                for (int e = 0; e < 4; ++e) dst[i].qs[v][4 * r + e] = b.qs[column_of(v, e)];
        }
}

void pack_q4_0_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q4_0x8* dst) {
    static_assert(sizeof(block_q4_0) == sizeof(block_iq4_nl));
    for (std::int64_t i = 0; i < cols / QK4_0; ++i)
        for (int r = 0; r < kPackRows; ++r) {
            const auto& b = file_block<block_q4_0>(src, src_stride, r, i);
            dst[i].d[r] = b.d;
            for (int v = 0; v < 4; ++v)
                for (int e = 0; e < 4; ++e)
                    dst[i].qs[v][4 * r + e] = static_cast<std::uint8_t>(nibble_of(b.qs, column_of(v, e)) |
                                                                        nibble_of(b.qs, column_of(v + 4, e)) << 4);
        }
}

void pack_q5_0_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q5_0x8* dst) {
    for (std::int64_t i = 0; i < cols / QK5_0; ++i)
        for (int r = 0; r < kPackRows; ++r) {
            const auto& b = file_block<block_q5_0>(src, src_stride, r, i);
            std::uint32_t high;
            std::memcpy(&high, b.qh, 4);
            dst[i].d[r] = b.d;
            for (int e = 0; e < 4; ++e) {
                std::uint8_t h = 0;
                for (int v = 0; v < 4; ++v) {
                    const int c0 = column_of(v, e), c1 = column_of(v + 4, e);
                    dst[i].qs[v][4 * r + e] = static_cast<std::uint8_t>(nibble_of(b.qs, c0) | nibble_of(b.qs, c1) << 4);
                    h = static_cast<std::uint8_t>(h | ((high >> c0) & 1) << v | ((high >> c1) & 1) << (v + 4));
                }
                dst[i].qh[4 * r + e] = h;
            }
        }
}

}  // namespace ponder::cpu
