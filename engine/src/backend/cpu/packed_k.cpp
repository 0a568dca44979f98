// packed_k.cpp: builds the K-quant / IQ4_XS interleaved layouts of packed_k.h from the file's
// blocks (portable code; it runs once per tensor at load).
#include "backend/cpu/packed_k.h"

#include "quant/dequantize.h"

#include <cstring>
#include <type_traits>

namespace ponder::cpu {

namespace {

// The 256 unsigned codes of one super-block in column order (what dequantization multiplies),
// decoded in one pass: packing works on these instead of re-deriving each from the bit layout.
void q4_K_codes(const block_q4_K& b, std::uint8_t q[QK_K]) {
    // Sub-blocks 2i and 2i + 1 share 32 bytes of qs: low nibbles for the first, high for the second.
    for (int i = 0; i < 4; ++i)
        for (int l = 0; l < 32; ++l) {
            q[64 * i + l] = b.qs[32 * i + l] & 0x0F;
            q[64 * i + 32 + l] = b.qs[32 * i + l] >> 4;
        }
}

// Q5_K: Q4_K's nibbles plus bit j of qh[l] as bit 4 of value l of sub-block j.
void q5_K_codes(const block_q5_K& b, std::uint8_t q[QK_K]) {
    for (int i = 0; i < 4; ++i)
        for (int l = 0; l < 32; ++l) {
            q[64 * i + l] = static_cast<std::uint8_t>((b.qs[32 * i + l] & 0x0F) | ((b.qh[l] >> (2 * i)) & 1) << 4);
            q[64 * i + 32 + l] =
                static_cast<std::uint8_t>((b.qs[32 * i + l] >> 4) | ((b.qh[l] >> (2 * i + 1)) & 1) << 4);
        }
}

void q45_K_codes(const block_q4_K& b, std::uint8_t q[QK_K]) { q4_K_codes(b, q); }
void q45_K_codes(const block_q5_K& b, std::uint8_t q[QK_K]) { q5_K_codes(b, q); }

void q6_K_codes(const block_q6_K& b, std::uint8_t q[QK_K]) {
    // Columns 128 n + 32 m + l: the low (m < 2) or high nibble of ql[64 n + 32 (m % 2) + l],
    // and bits 2 m, 2 m + 1 of qh[32 n + l] on top.
    for (int n = 0; n < 2; ++n)
        for (int l = 0; l < 32; ++l) {
            const std::uint8_t l0 = b.ql[64 * n + l], l1 = b.ql[64 * n + 32 + l], h = b.qh[32 * n + l];
            q[128 * n + l] = static_cast<std::uint8_t>((l0 & 0x0F) | (h & 3) << 4);
            q[128 * n + 32 + l] = static_cast<std::uint8_t>((l1 & 0x0F) | ((h >> 2) & 3) << 4);
            q[128 * n + 64 + l] = static_cast<std::uint8_t>((l0 >> 4) | ((h >> 4) & 3) << 4);
            q[128 * n + 96 + l] = static_cast<std::uint8_t>((l1 >> 4) | ((h >> 6) & 3) << 4);
        }
}

// Q3_K: u = low 2 bits + 4 * high bit (value u - 4), columns 128 n + 32 j + i taking bits 2 j of
// qs[32 n + i] and bit 4 n + j of hmask[i]; and the 16 scales decoded (6-bit, minus 32).
void q3_K_codes(const block_q3_K& b, std::uint8_t q[QK_K], std::int8_t sc[16]) {
    for (int n = 0; n < 2; ++n)
        for (int j = 0; j < 4; ++j)
            for (int i = 0; i < 32; ++i)
                q[128 * n + 32 * j + i] = static_cast<std::uint8_t>(((b.qs[32 * n + i] >> (2 * j)) & 3) |
                                                                    ((b.hmask[i] >> (4 * n + j)) & 1) << 2);
    for (int k = 0; k < 16; ++k) {
        const int low = k < 8 ? (b.scales[k] & 0xF) : (b.scales[k - 8] >> 4);
        const int high = (b.scales[8 + (k % 4)] >> (2 * (k / 4))) & 3;
        sc[k] = static_cast<std::int8_t>((low | high << 4) - 32);
    }
}

template <typename Block>
const Block& file_block(const void* src, std::size_t src_stride, int r, std::int64_t i) {
    return reinterpret_cast<const Block*>(static_cast<const std::uint8_t*>(src) + r * src_stride)[i];
}

}  // namespace

void pack_q6_K_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q6_Kx8* dst) {
    std::uint8_t q[QK_K];
    for (std::int64_t i = 0; i < cols / QK_K; ++i) {
        block_q6_Kx8& out = dst[i];
        for (int r = 0; r < kPackRows; ++r) {
            const auto& b = file_block<block_q6_K>(src, src_stride, r, i);
            q6_K_codes(b, q);
            out.d[r] = b.d;
            for (int s = 0; s < 8; ++s) {
                block_q6_Kx8::Group& g = out.group[s];
                g.scales[0][r] = b.scales[2 * s];
                g.scales[1][r] = b.scales[2 * s + 1];
                const std::uint8_t* v = q + 32 * s;
                for (int e = 0; e < 4; ++e) {
                    std::uint8_t h0 = 0, h1 = 0;
                    for (int u = 0; u < 4; ++u) {
                        const std::uint8_t v0 = v[4 * u + e], v1 = v[16 + 4 * u + e];
                        g.ql[u][4 * r + e] = static_cast<std::uint8_t>((v0 & 0x0F) | (v1 & 0x0F) << 4);
                        h0 = static_cast<std::uint8_t>(h0 | (v0 >> 4) << (2 * u));
                        h1 = static_cast<std::uint8_t>(h1 | (v1 >> 4) << (2 * u));
                    }
                    g.qh[0][4 * r + e] = h0;
                    g.qh[1][4 * r + e] = h1;
                }
            }
        }
    }
}

namespace {

// Shared by Q4_K and Q5_K (whose first fields and low 4 bits are laid out alike): scales, mins,
// low nibbles; Q5_K adds the fifth bits.
template <typename In, typename Out>
void pack_q45_K_x8(const void* src, std::size_t src_stride, std::int64_t cols, Out* dst) {
    std::uint8_t q[QK_K];
    for (std::int64_t i = 0; i < cols / QK_K; ++i) {
        Out& out = dst[i];
        for (int r = 0; r < kPackRows; ++r) {
            const auto& b = file_block<In>(src, src_stride, r, i);
            q45_K_codes(b, q);
            out.d[r] = b.d;
            out.dmin[r] = b.dmin;
            for (int j = 0; j < 8; ++j) {
                std::uint8_t sc, m;
                get_scale_min_k4(j, b.scales, sc, m);
                out.scales[j][r] = sc;
                out.mins[j / 2][r][j % 2] = m;
                const std::uint8_t* v = q + 32 * j;
                for (int g = 0; g < 4; ++g)
                    for (int e = 0; e < 4; ++e)
                        packed_qs(out, j, g)[4 * r + e] =
                            static_cast<std::uint8_t>((v[4 * g + e] & 0x0F) | (v[16 + 4 * g + e] & 0x0F) << 4);
                if constexpr (std::is_same_v<In, block_q5_K>) {
                    for (int e = 0; e < 4; ++e) {
                        std::uint8_t h = 0;
                        for (int g = 0; g < 4; ++g)
                            h = static_cast<std::uint8_t>(h | (v[4 * g + e] >> 4) << g |
                                                          (v[16 + 4 * g + e] >> 4) << (4 + g));
                        out.sub[j].qh[4 * r + e] = h;
                    }
                }
            }
        }
    }
}

}  // namespace

void pack_q3_K_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q3_Kx8* dst) {
    std::uint8_t q[QK_K];
    std::int8_t sc[16];
    for (std::int64_t i = 0; i < cols / QK_K; ++i) {
        block_q3_Kx8& out = dst[i];
        for (int r = 0; r < kPackRows; ++r) {
            const auto& b = file_block<block_q3_K>(src, src_stride, r, i);
            q3_K_codes(b, q, sc);
            out.d[r] = b.d;
            for (int s = 0; s < 8; ++s) {
                block_q3_Kx8::Group& g = out.group[s];
                g.scales[0][r] = sc[2 * s];
                g.scales[1][r] = sc[2 * s + 1];
                const std::uint8_t* v = q + 32 * s;
                for (int e = 0; e < 4; ++e) {
                    std::uint8_t l0 = 0, l1 = 0, h = 0;
                    for (int u = 0; u < 4; ++u) {
                        const std::uint8_t v0 = v[4 * u + e], v1 = v[16 + 4 * u + e];
                        l0 = static_cast<std::uint8_t>(l0 | (v0 & 3) << (2 * u));
                        l1 = static_cast<std::uint8_t>(l1 | (v1 & 3) << (2 * u));
                        h = static_cast<std::uint8_t>(h | (v0 >> 2) << u | (v1 >> 2) << (4 + u));
                    }
                    g.ql[0][4 * r + e] = l0;
                    g.ql[1][4 * r + e] = l1;
                    g.qh[4 * r + e] = h;
                }
            }
        }
    }
}

void pack_q2_K_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q2_Kx8* dst) {
    std::uint8_t q[QK_K];
    for (std::int64_t i = 0; i < cols / QK_K; ++i) {
        block_q2_Kx8& out = dst[i];
        for (int r = 0; r < kPackRows; ++r) {
            const auto& b = file_block<block_q2_K>(src, src_stride, r, i);
            // Column 128 n + 32 j + c is bits 2 j, 2 j + 1 of qs[32 n + c].
            for (int n = 0; n < 2; ++n)
                for (int j = 0; j < 4; ++j)
                    for (int c = 0; c < 32; ++c) q[128 * n + 32 * j + c] = (b.qs[32 * n + c] >> (2 * j)) & 3;
            out.d[r] = b.d;
            out.dmin[r] = b.dmin;
            for (int s = 0; s < 8; ++s) {
                block_q2_Kx8::Group& g = out.group[s];
                g.scales[0][r] = b.scales[2 * s];
                g.scales[1][r] = b.scales[2 * s + 1];
                const std::uint8_t* v = q + 32 * s;
                for (int e = 0; e < 4; ++e) {
                    std::uint8_t l0 = 0, l1 = 0;
                    for (int u = 0; u < 4; ++u) {
                        l0 = static_cast<std::uint8_t>(l0 | v[4 * u + e] << (2 * u));
                        l1 = static_cast<std::uint8_t>(l1 | v[16 + 4 * u + e] << (2 * u));
                    }
                    g.ql[0][4 * r + e] = l0;
                    g.ql[1][4 * r + e] = l1;
                }
            }
        }
    }
}

void pack_iq4_xs_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_iq4_xsx8* dst) {
    for (std::int64_t i = 0; i < cols / QK_K; ++i) {
        block_iq4_xsx8& out = dst[i];
        for (int r = 0; r < kPackRows; ++r) {
            const auto& b = file_block<block_iq4_xs>(src, src_stride, r, i);
            out.d[r] = b.d;
            for (int j = 0; j < 8; ++j) {
                const int ls = ((b.scales_l[j / 2] >> (4 * (j % 2))) & 0xF) | (((b.scales_h >> (2 * j)) & 3) << 4);
                out.scales[j][r] = static_cast<std::int8_t>(ls - 32);
                // Within a sub-block, column k < 16 is the low nibble of qs[k] and k + 16 its high
                // nibble: exactly the packed byte's pairing, so bytes move whole.
                const std::uint8_t* q = b.qs + 16 * j;
                for (int g = 0; g < 4; ++g)
                    for (int e = 0; e < 4; ++e) out.qs[j][g][4 * r + e] = q[4 * g + e];
            }
        }
    }
}

void pack_q4_K_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q4_Kx8* dst) {
    pack_q45_K_x8<block_q4_K>(src, src_stride, cols, dst);
}

void pack_q5_K_x8(const void* src, std::size_t src_stride, std::int64_t cols, block_q5_Kx8* dst) {
    pack_q45_K_x8<block_q5_K>(src, src_stride, cols, dst);
}

}  // namespace ponder::cpu
