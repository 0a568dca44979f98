// packed.cpp: builds the interleaved layouts of packed.h from the file's blocks (portable code;
// it runs once per tensor at load).
#include "backend/cpu/packed.h"

#include "quant/dequantize.h"

#include <cstring>

namespace ponder::cpu {

namespace {

// 4-bit value k (< 32) of Q4_K sub-block j: sub-blocks 2i and 2i + 1 share 32 bytes of qs,
// low nibbles for the first, high nibbles for the second.
std::uint8_t q4_K_value(const block_q4_K& b, int j, int k) {
    const std::uint8_t byte = b.qs[32 * (j / 2) + k];
    return j % 2 == 0 ? byte & 0x0F : byte >> 4;
}

// Unsigned 6-bit value (weight + 32) of column c (< 256) of a Q6_K block: columns 128 n + 32 m + l
// take the low (m < 2) or high nibble of ql[64 n + 32 (m % 2) + l] and bits 2 m of qh[32 n + l].
std::uint8_t q6_K_value(const block_q6_K& b, int c) {
    const int n = c / 128, m = c % 128 / 32, l = c % 32;
    const std::uint8_t ql = b.ql[64 * n + 32 * (m % 2) + l];
    const int low = m < 2 ? ql & 0x0F : ql >> 4;
    const int high = (b.qh[32 * n + l] >> (2 * m)) & 3;
    return static_cast<std::uint8_t>(low | high << 4);
}

}  // namespace

void pack_q6_K_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q6_Kx8* dst) {
    const std::int64_t nb = cols / QK_K;
    for (std::int64_t i = 0; i < nb; ++i) {
        block_q6_Kx8& out = dst[i];
        for (auto& g : out.group) std::memset(g.qh, 0, sizeof(g.qh));
        for (int r = 0; r < kPackRows; ++r) {
            const auto* row = reinterpret_cast<const block_q6_K*>(static_cast<const std::uint8_t*>(src) + r * src_stride);
            const block_q6_K& b = row[i];
            out.d[r] = b.d;
            for (int s = 0; s < 8; ++s) {
                block_q6_Kx8::Group& g = out.group[s];
                g.scales[0][r] = b.scales[2 * s];
                g.scales[1][r] = b.scales[2 * s + 1];
                for (int u = 0; u < 4; ++u)
                    for (int e = 0; e < 4; ++e) {
                        const std::uint8_t v0 = q6_K_value(b, 32 * s + 4 * u + e), v1 = q6_K_value(b, 32 * s + 16 + 4 * u + e);
                        g.ql[u][4 * r + e] = static_cast<std::uint8_t>((v0 & 0x0F) | (v1 & 0x0F) << 4);
                        g.qh[0][4 * r + e] |= static_cast<std::uint8_t>((v0 >> 4) << (2 * u));
                        g.qh[1][4 * r + e] |= static_cast<std::uint8_t>((v1 >> 4) << (2 * u));
                    }
            }
        }
    }
}

void pack_q4_K_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q4_Kx8* dst) {
    const std::int64_t nb = cols / QK_K;
    for (std::int64_t i = 0; i < nb; ++i) {
        block_q4_Kx8& out = dst[i];
        for (int r = 0; r < kPackRows; ++r) {
            const auto* row = reinterpret_cast<const block_q4_K*>(static_cast<const std::uint8_t*>(src) + r * src_stride);
            const block_q4_K& b = row[i];
            out.d[r] = b.d;
            out.dmin[r] = b.dmin;
            for (int j = 0; j < 8; ++j) {
                std::uint8_t sc, m;
                get_scale_min_k4(j, b.scales, sc, m);
                out.scales[j][r] = sc;
                out.mins[j / 2][r][j % 2] = m;
                for (int g = 0; g < 4; ++g)
                    for (int e = 0; e < 4; ++e) {
                        const int k = 4 * g + e;
                        out.qs[j][g][4 * r + e] =
                            static_cast<std::uint8_t>(q4_K_value(b, j, k) | (q4_K_value(b, j, k + 16) << 4));
                    }
            }
        }
    }
}

}  // namespace ponder::cpu

namespace ponder::cpu {

namespace {

// Column of lane byte (row r, column e in group) in vector v of a 32-column block.
constexpr int column_of(int v, int e) { return v < 4 ? 4 * v + e : 16 + 4 * (v - 4) + e; }

template <typename Block>
const Block& file_block(const void* src, std::size_t src_stride, int r, std::int64_t i) {
    return reinterpret_cast<const Block*>(static_cast<const std::uint8_t*>(src) + r * src_stride)[i];
}

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
                    dst[i].qs[v][4 * r + e] =
                        static_cast<std::uint8_t>(nibble_of(b.qs, column_of(v, e)) | nibble_of(b.qs, column_of(v + 4, e)) << 4);
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
