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
