// x86/k_formats.h: the K-quants (Q2_K, Q3_K, Q4_K, Q5_K, Q6_K) and IQ4_XS against Q8_K
// activations: single-token row dots, register tiles for many tokens, the kernels on packed.h's
// eight-row interleaved layouts, and their kernel-table entries.
//
// Why separate single-token dots: the tile kernels apply each sub-block's scale with a second
// integer multiply per 32 values (and build broadcast scale vectors per super-block). The row dots
// spend one u8 x s8 dot per 32 values; the eight (or sixteen) sub-block sums of a super-block are
// reduced together with horizontal adds and scaled in f32 by one vector of scales.
#pragma once

#include "backend/cpu/packed_k.h"
#include "backend/cpu/x86/activations.h"
#include "backend/cpu/x86/simd.h"

namespace ponder::cpu {
namespace {

// ---- one row x RN tokens -------------------------------------------------------------------

// Q4_K / Q5_K packed 6-bit scales and mins -> 8 x i16 each (layout: see blocks.h).
inline void unpack_scales_k4(const std::uint8_t* q, __m128i& sc, __m128i& mn) {
    std::uint32_t u[3];
    std::memcpy(u, q, 12);
    const std::uint32_t sc_lo = u[0] & 0x3f3f3f3fu;
    const std::uint32_t m_lo = u[1] & 0x3f3f3f3fu;
    const std::uint32_t sc_hi = (u[2] & 0x0f0f0f0fu) | (((u[0] >> 6) & 0x03030303u) << 4);
    const std::uint32_t m_hi = ((u[2] >> 4) & 0x0f0f0f0fu) | (((u[1] >> 6) & 0x03030303u) << 4);
    sc = _mm_cvtepu8_epi16(_mm_set_epi32(0, 0, static_cast<int>(sc_hi), static_cast<int>(sc_lo)));
    mn = _mm_cvtepu8_epi16(_mm_set_epi32(0, 0, static_cast<int>(m_hi), static_cast<int>(m_lo)));
}

// Broadcast i16 lane k of v to all 16 lanes of a 256-bit vector.
inline __m256i splat16(__m128i v, int k) {
    const __m128i idx = _mm_set1_epi16(static_cast<short>((2 * k) | ((2 * k + 1) << 8)));
    return _mm256_broadcastsi128_si256(_mm_shuffle_epi8(v, idx));
}

template <bool with_high, typename Block, int RN>
void tile_q45_K(std::int64_t nb, const Block* w, const std::uint8_t* x, std::size_t xs, float* out, std::size_t os) {
    __m256 acc[RN];
    __m128 mins[RN];  // per token, four lanes of dmin * d_x * m_j * bsum_j (summed at the end)
    for (int c = 0; c < RN; ++c) acc[c] = _mm256_setzero_ps(), mins[c] = _mm_setzero_ps();
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    for (std::int64_t i = 0; i < nb; ++i) {
        __m128i sc, mn;
        unpack_scales_k4(w[i].scales, sc, mn);
        __m256i lo[4], hi[4];
        __m256i hbits = _mm256_setzero_si256();
        if constexpr (with_high) hbits = load32(w[i].qh);
        for (int j = 0; j < 4; ++j) {
            const __m256i q = load32(w[i].qs + 32 * j);
            lo[j] = _mm256_and_si256(q, low4);
            hi[j] = _mm256_and_si256(_mm256_srli_epi16(q, 4), low4);
            if constexpr (with_high) {
                const __m256i one = _mm256_set1_epi8(1);
                lo[j] = _mm256_or_si256(lo[j],
                                        _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hbits, 2 * j), one), 4));
                hi[j] = _mm256_or_si256(
                    hi[j], _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hbits, 2 * j + 1), one), 4));
            }
        }
        const float d = h2f(w[i].d), dmin = h2f(w[i].dmin);
        for (int c = 0; c < RN; ++c) {
            const block_q8_K& xb = reinterpret_cast<const block_q8_K*>(x + c * xs)[i];
            __m256i sumi = _mm256_setzero_si256();
            for (int j = 0; j < 4; ++j) {
                const __m256i p0 = _mm256_maddubs_epi16(lo[j], load32(xb.qs + 64 * j));
                const __m256i p1 = _mm256_maddubs_epi16(hi[j], load32(xb.qs + 64 * j + 32));
                sumi = madd_acc(sumi, p0, splat16(sc, 2 * j));
                sumi = madd_acc(sumi, p1, splat16(sc, 2 * j + 1));
            }
            acc[c] = _mm256_fmadd_ps(_mm256_set1_ps(d * xb.d), _mm256_cvtepi32_ps(sumi), acc[c]);
            // Kept in vector form: a horizontal integer sum and a scalar float round trip per
            // token and super-block cost about a third of the tile's work.
            const __m128i b0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(xb.bsums));
            const __m128i b1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(xb.bsums + 8));
            const __m128 m = _mm_cvtepi32_ps(_mm_madd_epi16(mn, _mm_hadd_epi16(b0, b1)));
            mins[c] = _mm_fmadd_ps(_mm_set1_ps(dmin * xb.d), m, mins[c]);
        }
    }
    for (int c = 0; c < RN; ++c) out[c * os] = hsum(_mm256_sub_ps(acc[c], _mm256_zextps128_ps256(mins[c])));
}

template <int RN>
void tile_q6_K(std::int64_t nb, const block_q6_K* w, const std::uint8_t* x, std::size_t xs, float* out,
               std::size_t os) {
    __m256 acc[RN];
    for (int c = 0; c < RN; ++c) acc[c] = _mm256_setzero_ps();
    const __m256i low4 = _mm256_set1_epi8(0x0F), two = _mm256_set1_epi8(3);
    for (std::int64_t i = 0; i < nb; ++i) {
        // 8 groups of 32 unsigned 6-bit values (value - 32 is the weight), and per group a
        // scale vector [sc[2g] x 8, sc[2g + 1] x 8] as i16.
        __m256i q[8];
        for (int half = 0; half < 2; ++half) {
            const std::uint8_t* ql = w[i].ql + 64 * half;
            const __m256i l0 = load32(ql), l1 = load32(ql + 32), h = load32(w[i].qh + 32 * half);
            q[4 * half + 0] =
                _mm256_or_si256(_mm256_and_si256(l0, low4), _mm256_slli_epi16(_mm256_and_si256(h, two), 4));
            q[4 * half + 1] = _mm256_or_si256(_mm256_and_si256(l1, low4),
                                              _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 2), two), 4));
            q[4 * half + 2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), low4),
                                              _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 4), two), 4));
            q[4 * half + 3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), low4),
                                              _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 6), two), 4));
        }
        const __m256i sc16 = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w[i].scales)));
        const __m128i sc_lo = _mm256_castsi256_si128(sc16), sc_hi = _mm256_extracti128_si256(sc16, 1);
        const float d = h2f(w[i].d);
        __m256i scales[8];  // per 32-value group: [sc[2g] x 8, sc[2g + 1] x 8], shared by every token
        for (int g = 0; g < 8; ++g) {
            const __m128i s = g < 4 ? sc_lo : sc_hi;
            const int k = 2 * (g % 4);
            scales[g] = _mm256_set_m128i(
                _mm_shuffle_epi8(s, _mm_set1_epi16(static_cast<short>((2 * k + 2) | ((2 * k + 3) << 8)))),
                _mm_shuffle_epi8(s, _mm_set1_epi16(static_cast<short>((2 * k) | ((2 * k + 1) << 8)))));
        }
        for (int c = 0; c < RN; ++c) {
            const block_q8_K& xb = reinterpret_cast<const block_q8_K*>(x + c * xs)[i];
            __m256i sumi = _mm256_setzero_si256();
            for (int g = 0; g < 8; ++g)
                sumi = madd_acc(sumi, _mm256_maddubs_epi16(q[g], load32(xb.qs + 32 * g)), scales[g]);
            // The -32 offset: 32 * sum over 16-groups of sc * bsum.
            const __m256i corr =
                _mm256_madd_epi16(sc16, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xb.bsums)));
            sumi = _mm256_sub_epi32(sumi, _mm256_slli_epi32(corr, 5));
            acc[c] = _mm256_fmadd_ps(_mm256_set1_ps(d * xb.d), _mm256_cvtepi32_ps(sumi), acc[c]);
        }
    }
    for (int c = 0; c < RN; ++c) out[c * os] = hsum(acc[c]);
}

// tilen handles RN tokens, tile4 four (the rest after the RN groups), tile1 one.
template <typename Block, int RN, typename Tile1, typename Tile4, typename TileN>
void gemm_k(std::int64_t n, const void* vw, std::size_t ws, int nr, const void* vx, std::size_t xs, int nc, float* out,
            std::size_t os, Tile1 tile1, Tile4 tile4, TileN tilen) {
    const std::int64_t nb = n / QK_K;
    const auto* w = static_cast<const std::uint8_t*>(vw);
    const auto* x = static_cast<const std::uint8_t*>(vx);
    // Token groups outer: a group's activations (4 rows of up to ~40 KB) stay in L1 while every
    // weight row of the block streams past them.
    int c = 0;
    for (; c + RN <= nc; c += RN)
        for (int r = 0; r < nr; ++r)
            tilen(nb, reinterpret_cast<const Block*>(w + r * ws), x + c * xs, xs, out + c * os + r, os);
    for (; c + 4 <= nc; c += 4)
        for (int r = 0; r < nr; ++r)
            tile4(nb, reinterpret_cast<const Block*>(w + r * ws), x + c * xs, xs, out + c * os + r, os);
    for (; c < nc; ++c)
        for (int r = 0; r < nr; ++r)
            tile1(nb, reinterpret_cast<const Block*>(w + r * ws), x + c * xs, xs, out + c * os + r, os);
}

void gemm_q4_K(std::int64_t n, const void* w, std::size_t ws, int nr, const void* x, std::size_t xs, int nc, float* out,
               std::size_t os) {
    gemm_k<block_q4_K, kKTokens>(n, w, ws, nr, x, xs, nc, out, os, tile_q45_K<false, block_q4_K, 1>,
                                 tile_q45_K<false, block_q4_K, 4>, tile_q45_K<false, block_q4_K, kKTokens>);
}
void gemm_q5_K(std::int64_t n, const void* w, std::size_t ws, int nr, const void* x, std::size_t xs, int nc, float* out,
               std::size_t os) {
    gemm_k<block_q5_K, kKTokens>(n, w, ws, nr, x, xs, nc, out, os, tile_q45_K<true, block_q5_K, 1>,
                                 tile_q45_K<true, block_q5_K, 4>, tile_q45_K<true, block_q5_K, kKTokens>);
}
void gemm_q6_K(std::int64_t n, const void* w, std::size_t ws, int nr, const void* x, std::size_t xs, int nc, float* out,
               std::size_t os) {
    gemm_k<block_q6_K, kQ6KTokens>(n, w, ws, nr, x, xs, nc, out, os, tile_q6_K<1>, tile_q6_K<4>, tile_q6_K<kQ6KTokens>);
}

// IQ4_XS . Q8_K, as llama.cpp does it (so logits stay next to its references): eight 32-value
// sub-blocks of IQ4_NL codes with 6-bit scales ls (low 4 bits in scales_l, high 2 in scales_h);
// the sub-block sums are scaled by ls - 32 in integers and the super-block by d * d_x.
void vec_dot_iq4_xs(std::int64_t n, float* s, const void* vw, const void* vx) {
    const auto* w = static_cast<const block_iq4_xs*>(vw);
    const auto* x = static_cast<const block_q8_K*>(vx);
    const __m256i table = iq4nl_levels();
    __m256 acc = _mm256_setzero_ps();
    for (std::int64_t i = 0; i < n / QK_K; ++i) {
        __m256i sumi = _mm256_setzero_si256();
        for (int ib = 0; ib < QK_K / 32; ++ib) {
            const int ls = ((w[i].scales_l[ib / 2] >> (4 * (ib % 2))) & 0xF) | (((w[i].scales_h >> (2 * ib)) & 3) << 4);
            const __m256i q = _mm256_shuffle_epi8(table, nibbles32(w[i].qs + 16 * ib));
            const __m256i p = dot_s8s8(q, load32(x[i].qs + 32 * ib));
            sumi = _mm256_add_epi32(sumi, _mm256_mullo_epi32(p, _mm256_set1_epi32(ls - 32)));
        }
        acc = _mm256_fmadd_ps(_mm256_set1_ps(h2f(w[i].d) * x[i].d), _mm256_cvtepi32_ps(sumi), acc);
    }
    *s = hsum(acc);
}

// Q2_K . Q8_K: 16 sub-blocks of 16; value = d * (sc & 15) * q - dmin * (sc >> 4), q 2-bit.
// Value 128 n + 32 j + l is bits 2j..2j+1 of qs[32 n + l]; its sub-block is 8 n + 2 j + l / 16.
void vec_dot_q2_K(std::int64_t n, float* s, const void* vw, const void* vx) {
    const auto* w = static_cast<const block_q2_K*>(vw);
    const auto* x = static_cast<const block_q8_K*>(vx);
    const __m256i three = _mm256_set1_epi8(3);
    __m256 acc = _mm256_setzero_ps();
    float mins = 0;
    for (std::int64_t i = 0; i < n / QK_K; ++i) {
        const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w[i].scales));
        const __m256i sc16 = _mm256_cvtepu8_epi16(_mm_and_si128(raw, _mm_set1_epi8(0x0F)));
        const __m256i m16 = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(raw, 4), _mm_set1_epi8(0x0F)));
        mins += x[i].d * h2f(w[i].dmin) *
                static_cast<float>(
                    hsum_i32(_mm256_madd_epi16(m16, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[i].bsums)))));
        const __m128i sc_half[2] = {_mm256_castsi256_si128(sc16), _mm256_extracti128_si256(sc16, 1)};
        __m256i sumi = _mm256_setzero_si256();
        for (int h = 0; h < 2; ++h) {
            const __m256i q = load32(w[i].qs + 32 * h);
            for (int j = 0; j < 4; ++j) {
                const __m256i qj = _mm256_and_si256(_mm256_srli_epi16(q, 2 * j), three);
                const int k = 2 * j;
                const __m256i scales = _mm256_set_m128i(
                    _mm_shuffle_epi8(sc_half[h], _mm_set1_epi16(static_cast<short>((2 * k + 2) | ((2 * k + 3) << 8)))),
                    _mm_shuffle_epi8(sc_half[h], _mm_set1_epi16(static_cast<short>((2 * k) | ((2 * k + 1) << 8)))));
                sumi = madd_acc(sumi, _mm256_maddubs_epi16(qj, load32(x[i].qs + 128 * h + 32 * j)), scales);
            }
        }
        acc = _mm256_fmadd_ps(_mm256_set1_ps(x[i].d * h2f(w[i].d)), _mm256_cvtepi32_ps(sumi), acc);
    }
    *s = hsum(acc) - mins;
}

// ---- single-token row dots -------------------------------------------------------------------

template <bool with_high, typename Block>
void vec_dot_q45_K_r(std::int64_t n, float* s, const void* vw, const void* vx) {
    const auto* w = static_cast<const Block*>(vw);
    const auto* x = static_cast<const block_q8_K*>(vx);
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    __m256 acc = _mm256_setzero_ps();
    for (std::int64_t i = 0; i < n / QK_K; ++i) {
        __m128i sc, mn;
        unpack_scales_k4(w[i].scales, sc, mn);
        __m256i hbits = _mm256_setzero_si256();
        if constexpr (with_high) hbits = load32(w[i].qh);
        __m256i p[8];
        for (int j = 0; j < 4; ++j) {
            const __m256i q = load32(w[i].qs + 32 * j);
            __m256i lo = _mm256_and_si256(q, low4);
            __m256i hi = _mm256_and_si256(_mm256_srli_epi16(q, 4), low4);
            if constexpr (with_high) {
                const __m256i one = _mm256_set1_epi8(1);
                lo = _mm256_or_si256(lo, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hbits, 2 * j), one), 4));
                hi = _mm256_or_si256(hi,
                                     _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hbits, 2 * j + 1), one), 4));
            }
            p[2 * j] = dot_u8s8(lo, load32(x[i].qs + 64 * j));
            p[2 * j + 1] = dot_u8s8(hi, load32(x[i].qs + 64 * j + 32));
        }
        // Sub-block j's 32 activations sum to bsums[2j] + bsums[2j + 1].
        const __m128i b0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x[i].bsums));
        const __m128i b1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x[i].bsums + 8));
        const __m256 bs = _mm256_cvtepi32_ps(_mm256_cvtepi16_epi32(_mm_hadd_epi16(b0, b1)));
        const __m256 scf = _mm256_cvtepi32_ps(_mm256_cvtepu16_epi32(sc));
        const __m256 mnf = _mm256_cvtepi32_ps(_mm256_cvtepu16_epi32(mn));
        const __m256 d = _mm256_set1_ps(h2f(w[i].d) * x[i].d), dmin = _mm256_set1_ps(h2f(w[i].dmin) * x[i].d);
        acc = _mm256_fmadd_ps(_mm256_mul_ps(d, scf), reduce8_i32_ps(p), acc);
        acc = _mm256_fnmadd_ps(_mm256_mul_ps(dmin, mnf), bs, acc);
    }
    *s = hsum(acc);
}

void vec_dot_q6_K_r(std::int64_t n, float* s, const void* vw, const void* vx) {
    const auto* w = static_cast<const block_q6_K*>(vw);
    const auto* x = static_cast<const block_q8_K*>(vx);
    const __m256i low4 = _mm256_set1_epi8(0x0F), two = _mm256_set1_epi8(3);
    // reduce8_halves leaves the 16-value sub-block sums in the order 0 2 4 6 1 3 5 7 | 8 10 ...
    const __m128i order = _mm_setr_epi8(0, 2, 4, 6, 1, 3, 5, 7, 8, 10, 12, 14, 9, 11, 13, 15);
    __m256 acc = _mm256_setzero_ps();
    for (std::int64_t i = 0; i < n / QK_K; ++i) {
        __m256i p[8];
        for (int half = 0; half < 2; ++half) {
            const std::uint8_t* ql = w[i].ql + 64 * half;
            const std::int8_t* xq = x[i].qs + 128 * half;
            const __m256i l0 = load32(ql), l1 = load32(ql + 32), h = load32(w[i].qh + 32 * half);
            const __m256i q0 =
                _mm256_or_si256(_mm256_and_si256(l0, low4), _mm256_slli_epi16(_mm256_and_si256(h, two), 4));
            const __m256i q1 = _mm256_or_si256(_mm256_and_si256(l1, low4),
                                               _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 2), two), 4));
            const __m256i q2 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), low4),
                                               _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 4), two), 4));
            const __m256i q3 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), low4),
                                               _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 6), two), 4));
            p[4 * half + 0] = dot_u8s8(q0, load32(xq));
            p[4 * half + 1] = dot_u8s8(q1, load32(xq + 32));
            p[4 * half + 2] = dot_u8s8(q2, load32(xq + 64));
            p[4 * half + 3] = dot_u8s8(q3, load32(xq + 96));
        }
        __m256i u0, u1;
        reduce8_halves(p, u0, u1);
        const __m128i sc8 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w[i].scales)), order);
        const __m256 sc_a = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(sc8));
        const __m256 sc_b = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_unpackhi_epi64(sc8, sc8)));
        // The -32 offset of every weight: 32 * sum over sub-blocks of scale * activation sum.
        const __m256i sc16 = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w[i].scales)));
        const __m256i corr = _mm256_madd_epi16(sc16, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[i].bsums)));
        const float dd = h2f(w[i].d) * x[i].d;
        const __m256 d = _mm256_set1_ps(dd);
        acc = _mm256_fmadd_ps(_mm256_mul_ps(d, sc_a), _mm256_cvtepi32_ps(u0), acc);
        acc = _mm256_fmadd_ps(_mm256_mul_ps(d, sc_b), _mm256_cvtepi32_ps(u1), acc);
        acc = _mm256_fnmadd_ps(_mm256_set1_ps(32.0f * dd), _mm256_cvtepi32_ps(corr), acc);
    }
    *s = hsum(acc);
}

// Q3_K . Q8_K for one row and RN tokens: value = d * sc * (q - 4 * !hbit), q the 2-bit code, 16
// signed 6-bit scales (one per 16 values). Codes plus 4 * hbit make an unsigned 0..7 for the byte
// dot; the -4 is taken back per 16-value group with the activation sums, as llama.cpp does. The
// row's unpacked super-block and scale vectors serve all RN tokens.
template <int RN>
void tile_q3_K(std::int64_t nb, const block_q3_K* w, const std::uint8_t* x, std::size_t xs, float* out,
               std::size_t os) {
    const __m256i three = _mm256_set1_epi8(3), one = _mm256_set1_epi8(1);
    __m256 acc[RN];
    for (int t = 0; t < RN; ++t) acc[t] = _mm256_setzero_ps();
    for (std::int64_t i = 0; i < nb; ++i) {
        // 16 scales: low 4 bits from bytes 0..7 (low then high nibbles), high 2 bits from 8..11.
        alignas(16) std::int8_t sc[16];
        const std::uint8_t* sp = w[i].scales;
        for (int j = 0; j < 16; ++j) {
            const int low = j < 8 ? (sp[j] & 0xF) : (sp[j - 8] >> 4);
            const int high = (sp[8 + (j % 4)] >> (2 * (j / 4))) & 3;
            sc[j] = static_cast<std::int8_t>((low | (high << 4)) - 32);
        }
        const __m256i sc16 = _mm256_cvtepi8_epi16(_mm_load_si128(reinterpret_cast<const __m128i*>(sc)));
        const __m128i sc_half[2] = {_mm256_castsi256_si128(sc16), _mm256_extracti128_si256(sc16, 1)};
        const __m256i hbits = load32(w[i].hmask);
        __m256i u[8], scales[8];  // vector v = 4 h + j: values 32 v .. 32 v + 31
        for (int h = 0; h < 2; ++h) {
            const __m256i q2 = load32(w[i].qs + 32 * h);
            for (int j = 0; j < 4; ++j) {
                // Values 128 h + 32 j + l: bits 2j of qs[32 h + l], high bit 4 h + j of hmask[l].
                const __m256i low = _mm256_and_si256(_mm256_srli_epi16(q2, 2 * j), three);
                const __m256i hb = _mm256_and_si256(_mm256_srli_epi16(hbits, 4 * h + j), one);
                u[4 * h + j] = _mm256_or_si256(low, _mm256_slli_epi16(hb, 2));
                const int k = 2 * j;
                scales[4 * h + j] = _mm256_set_m128i(
                    _mm_shuffle_epi8(sc_half[h], _mm_set1_epi16(static_cast<short>((2 * k + 2) | ((2 * k + 3) << 8)))),
                    _mm_shuffle_epi8(sc_half[h], _mm_set1_epi16(static_cast<short>((2 * k) | ((2 * k + 1) << 8)))));
            }
        }
        const float d = h2f(w[i].d);
        for (int t = 0; t < RN; ++t) {
            const block_q8_K& xb = reinterpret_cast<const block_q8_K*>(x + t * xs)[i];
            __m256i sumi = _mm256_setzero_si256();
            for (int v = 0; v < 8; ++v)
                sumi = madd_acc(sumi, _mm256_maddubs_epi16(u[v], load32(xb.qs + 32 * v)), scales[v]);
            const __m256i corr =
                _mm256_madd_epi16(sc16, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xb.bsums)));
            sumi = _mm256_sub_epi32(sumi, _mm256_slli_epi32(corr, 2));
            acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(d * xb.d), _mm256_cvtepi32_ps(sumi), acc[t]);
        }
    }
    for (int t = 0; t < RN; ++t) out[t * os] = hsum(acc[t]);
}

void vec_dot_q3_K(std::int64_t n, float* s, const void* w, const void* x) {
    tile_q3_K<1>(n / QK_K, static_cast<const block_q3_K*>(w), static_cast<const std::uint8_t*>(x), 0, s, 0);
}

void gemm_q3_K(std::int64_t n, const void* w, std::size_t ws, int nr, const void* x, std::size_t xs, int nc, float* out,
               std::size_t os) {
    gemm_k<block_q3_K, 4>(n, w, ws, nr, x, xs, nc, out, os, tile_q3_K<1>, tile_q3_K<4>, tile_q3_K<4>);
}

// ---- eight interleaved rows (packed.h) ----------------------------------------------------------

template <typename Block, int RN>
void tile_q45_Kx8(std::int64_t nb, const Block* w, const std::uint8_t* x, std::size_t xs, float* out, std::size_t os) {
    constexpr bool kHigh = std::is_same_v<Block, block_q5_Kx8>;
    __m256 acc[RN];
    for (int t = 0; t < RN; ++t) acc[t] = _mm256_setzero_ps();
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    for (std::int64_t i = 0; i < nb; ++i) {
        const Block& b = w[i];
        __m256i isum[RN];
        for (int t = 0; t < RN; ++t) isum[t] = _mm256_setzero_si256();
        for (int j = 0; j < 8; ++j) {
            __m256i lo[4], hi[4];
            for (int g = 0; g < 4; ++g) {
                const __m256i q = load32(packed_qs(b, j, g));
                lo[g] = _mm256_and_si256(q, low4);
                hi[g] = _mm256_and_si256(_mm256_srli_epi16(q, 4), low4);
            }
            if constexpr (kHigh) {
                // Bit g (and 4 + g) of each qh byte moved to bit 4, as in PackedQ5_0.
                const __m256i h = load32(b.sub[j].qh), bit4 = _mm256_set1_epi8(0x10);
                const __m256i hv[4] = {_mm256_slli_epi16(h, 4), _mm256_slli_epi16(h, 3), _mm256_slli_epi16(h, 2),
                                       _mm256_slli_epi16(h, 1)};
                const __m256i hw[4] = {h, _mm256_srli_epi16(h, 1), _mm256_srli_epi16(h, 2), _mm256_srli_epi16(h, 3)};
                for (int g = 0; g < 4; ++g) {
                    lo[g] = _mm256_or_si256(lo[g], _mm256_and_si256(hv[g], bit4));
                    hi[g] = _mm256_or_si256(hi[g], _mm256_and_si256(hw[g], bit4));
                }
            }
            const __m256i sc = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(b.scales[j])));
            for (int t = 0; t < RN; ++t) {
                const std::int8_t* y = reinterpret_cast<const block_q8_K*>(x + t * xs)[i].qs + 32 * j;
                // Two chains of four, so consecutive dots do not wait on each other.
                __m256i p0 = _mm256_setzero_si256(), p1 = _mm256_setzero_si256();
                for (int g = 0; g < 4; ++g) {
                    p0 = dpbusd_acc(p0, lo[g], bcast4(y + 4 * g));
                    p1 = dpbusd_acc(p1, hi[g], bcast4(y + 16 + 4 * g));
                }
                isum[t] = _mm256_add_epi32(isum[t], _mm256_mullo_epi32(_mm256_add_epi32(p0, p1), sc));
            }
        }
        __m256i mn[4];  // per row: (m of sub-block 2p, m of 2p + 1) as i16 pairs
        for (int p = 0; p < 4; ++p)
            mn[p] = _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b.mins[p])));
        const __m256 d = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b.d)));
        const __m256 dmin = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b.dmin)));
        for (int t = 0; t < RN; ++t) {
            const block_q8_K& xb = reinterpret_cast<const block_q8_K*>(x + t * xs)[i];
            // Activation sums of the eight 32-value sub-blocks as i16; dword p = sub-blocks 2p, 2p + 1.
            const __m128i bs = _mm_hadd_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(xb.bsums)),
                                              _mm_loadu_si128(reinterpret_cast<const __m128i*>(xb.bsums + 8)));
            __m256i im = _mm256_madd_epi16(mn[0], _mm256_broadcastd_epi32(bs));
            im = madd_acc(im, mn[1], _mm256_broadcastd_epi32(_mm_srli_si128(bs, 4)));
            im = madd_acc(im, mn[2], _mm256_broadcastd_epi32(_mm_srli_si128(bs, 8)));
            im = madd_acc(im, mn[3], _mm256_broadcastd_epi32(_mm_srli_si128(bs, 12)));
            const __m256 dx = _mm256_set1_ps(xb.d);
            acc[t] = _mm256_fmadd_ps(_mm256_mul_ps(d, dx), _mm256_cvtepi32_ps(isum[t]), acc[t]);
            acc[t] = _mm256_fnmadd_ps(_mm256_mul_ps(dmin, dx), _mm256_cvtepi32_ps(im), acc[t]);
        }
    }
    for (int t = 0; t < RN; ++t) _mm256_storeu_ps(out + t * os, acc[t]);
}

// K-quants with one signed scale per 16 values and unsigned codes offset by a constant (Q6_K:
// q - 32, Q3_K: q - 4): each unpacks a 32-column group into eight vectors of codes (vector g:
// columns 4 g .. 4 g + 3 per row lane, hi[g]: 16 + 4 g ..) and its two scale vectors.
struct UnpackQ6Kx8 {
    using Block = block_q6_Kx8;
    static constexpr int kOffset = 32;
    static void group(const Block& b, int s, __m256i lo[4], __m256i hi[4], __m256i& sc0, __m256i& sc1) {
        const __m256i low4 = _mm256_set1_epi8(0x0F), bits45 = _mm256_set1_epi8(0x30);
        const block_q6_Kx8::Group& grp = b.group[s];
        const __m256i h0 = load32(grp.qh[0]), h1 = load32(grp.qh[1]);
        // Bits 2g, 2g + 1 of each qh byte become bits 4, 5 of value g (shifts stay within bytes
        // after the mask).
        const __m256i hb0[4] = {_mm256_slli_epi16(h0, 4), _mm256_slli_epi16(h0, 2), h0, _mm256_srli_epi16(h0, 2)};
        const __m256i hb1[4] = {_mm256_slli_epi16(h1, 4), _mm256_slli_epi16(h1, 2), h1, _mm256_srli_epi16(h1, 2)};
        for (int g = 0; g < 4; ++g) {
            const __m256i q = load32(grp.ql[g]);
            lo[g] = _mm256_or_si256(_mm256_and_si256(q, low4), _mm256_and_si256(hb0[g], bits45));
            hi[g] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(q, 4), low4), _mm256_and_si256(hb1[g], bits45));
        }
        sc0 = _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(grp.scales[0])));
        sc1 = _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(grp.scales[1])));
    }
};
struct UnpackQ3Kx8 {
    using Block = block_q3_Kx8;
    static constexpr int kOffset = 4;
    static void group(const Block& b, int s, __m256i lo[4], __m256i hi[4], __m256i& sc0, __m256i& sc1) {
        const __m256i three = _mm256_set1_epi8(3), bit2 = _mm256_set1_epi8(4);
        const block_q3_Kx8::Group& grp = b.group[s];
        const __m256i q0 = load32(grp.ql[0]), q1 = load32(grp.ql[1]), h = load32(grp.qh);
        // Bit g (and 4 + g) of each qh byte moved to bit 2, above the two low bits.
        const __m256i hv[4] = {_mm256_slli_epi16(h, 2), _mm256_slli_epi16(h, 1), h, _mm256_srli_epi16(h, 1)};
        const __m256i hw[4] = {_mm256_srli_epi16(h, 2), _mm256_srli_epi16(h, 3), _mm256_srli_epi16(h, 4),
                               _mm256_srli_epi16(h, 5)};
        for (int g = 0; g < 4; ++g) {
            lo[g] =
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(q0, 2 * g), three), _mm256_and_si256(hv[g], bit2));
            hi[g] =
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(q1, 2 * g), three), _mm256_and_si256(hw[g], bit2));
        }
        sc0 = _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(grp.scales[0])));
        sc1 = _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(grp.scales[1])));
    }
};

// Eight interleaved rows x RN tokens of such a format. The offset of every code is taken out by
// starting each 16-value dot at -offset * (that sub-block's activation sum).
template <typename U, int RN>
void tile_k16x8(std::int64_t nb, const typename U::Block* w, const std::uint8_t* x, std::size_t xs, float* out,
                std::size_t os) {
    __m256 acc[RN];
    for (int t = 0; t < RN; ++t) acc[t] = _mm256_setzero_ps();
    for (std::int64_t i = 0; i < nb; ++i) {
        __m256i isum[RN];
        for (int t = 0; t < RN; ++t) isum[t] = _mm256_setzero_si256();
        for (int s = 0; s < 8; ++s) {
            __m256i lo[4], hi[4], sc0, sc1;
            U::group(w[i], s, lo, hi, sc0, sc1);
            for (int t = 0; t < RN; ++t) {
                const block_q8_K& xb = reinterpret_cast<const block_q8_K*>(x + t * xs)[i];
                const std::int8_t* y = xb.qs + 32 * s;
                __m256i p0 = _mm256_set1_epi32(-U::kOffset * xb.bsums[2 * s]),
                        p1 = _mm256_set1_epi32(-U::kOffset * xb.bsums[2 * s + 1]);
                for (int g = 0; g < 4; ++g) {
                    p0 = dpbusd_acc(p0, lo[g], bcast4(y + 4 * g));
                    p1 = dpbusd_acc(p1, hi[g], bcast4(y + 16 + 4 * g));
                }
                isum[t] = _mm256_add_epi32(isum[t],
                                           _mm256_add_epi32(_mm256_mullo_epi32(p0, sc0), _mm256_mullo_epi32(p1, sc1)));
            }
        }
        const __m256 d = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w[i].d)));
        for (int t = 0; t < RN; ++t) {
            const __m256 dx = _mm256_set1_ps(reinterpret_cast<const block_q8_K*>(x + t * xs)[i].d);
            acc[t] = _mm256_fmadd_ps(_mm256_mul_ps(d, dx), _mm256_cvtepi32_ps(isum[t]), acc[t]);
        }
    }
    for (int t = 0; t < RN; ++t) _mm256_storeu_ps(out + t * os, acc[t]);
}

// Eight interleaved Q2_K rows x RN tokens: per 16 values a 4-bit scale for the codes and a 4-bit
// min, the latter applied to the activation sums.
template <int RN>
void tile_q2_Kx8(std::int64_t nb, const block_q2_Kx8* w, const std::uint8_t* x, std::size_t xs, float* out,
                 std::size_t os) {
    const __m256i three = _mm256_set1_epi8(3), low4 = _mm256_set1_epi32(0x0F);
    __m256 acc[RN];
    for (int t = 0; t < RN; ++t) acc[t] = _mm256_setzero_ps();
    for (std::int64_t i = 0; i < nb; ++i) {
        const block_q2_Kx8& b = w[i];
        __m256i isum[RN], imin[RN];
        for (int t = 0; t < RN; ++t) isum[t] = imin[t] = _mm256_setzero_si256();
        for (int s = 0; s < 8; ++s) {
            const block_q2_Kx8::Group& grp = b.group[s];
            const __m256i q0 = load32(grp.ql[0]), q1 = load32(grp.ql[1]);
            __m256i lo[4], hi[4];
            for (int g = 0; g < 4; ++g) {
                lo[g] = _mm256_and_si256(_mm256_srli_epi16(q0, 2 * g), three);
                hi[g] = _mm256_and_si256(_mm256_srli_epi16(q1, 2 * g), three);
            }
            const __m256i m0 = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(grp.scales[0])));
            const __m256i m1 = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(grp.scales[1])));
            const __m256i sc0 = _mm256_and_si256(m0, low4), sc1 = _mm256_and_si256(m1, low4);
            const __m256i mn0 = _mm256_srli_epi32(m0, 4), mn1 = _mm256_srli_epi32(m1, 4);
            for (int t = 0; t < RN; ++t) {
                const block_q8_K& xb = reinterpret_cast<const block_q8_K*>(x + t * xs)[i];
                const std::int8_t* y = xb.qs + 32 * s;
                __m256i p0 = _mm256_setzero_si256(), p1 = _mm256_setzero_si256();
                for (int g = 0; g < 4; ++g) {
                    p0 = dpbusd_acc(p0, lo[g], bcast4(y + 4 * g));
                    p1 = dpbusd_acc(p1, hi[g], bcast4(y + 16 + 4 * g));
                }
                isum[t] = _mm256_add_epi32(isum[t],
                                           _mm256_add_epi32(_mm256_mullo_epi32(p0, sc0), _mm256_mullo_epi32(p1, sc1)));
                imin[t] = _mm256_add_epi32(
                    imin[t], _mm256_add_epi32(_mm256_mullo_epi32(mn0, _mm256_set1_epi32(xb.bsums[2 * s])),
                                              _mm256_mullo_epi32(mn1, _mm256_set1_epi32(xb.bsums[2 * s + 1]))));
            }
        }
        const __m256 d = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b.d)));
        const __m256 dmin = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b.dmin)));
        for (int t = 0; t < RN; ++t) {
            const __m256 dx = _mm256_set1_ps(reinterpret_cast<const block_q8_K*>(x + t * xs)[i].d);
            acc[t] = _mm256_fmadd_ps(_mm256_mul_ps(d, dx), _mm256_cvtepi32_ps(isum[t]), acc[t]);
            acc[t] = _mm256_fnmadd_ps(_mm256_mul_ps(dmin, dx), _mm256_cvtepi32_ps(imin[t]), acc[t]);
        }
    }
    for (int t = 0; t < RN; ++t) _mm256_storeu_ps(out + t * os, acc[t]);
}

#if defined(PONDER_ISA_AVX512)
// Eight interleaved IQ4_XS rows x RN tokens. Codes map to table value + 128 (unsigned, up to 241)
// for the byte dot, and 128 x the activation sums is taken back. AVX-512 only: AVX2's byte dot
// saturates 16-bit pair sums, which values up to 241 can reach.
template <int RN>
void tile_iq4_xsx8(std::int64_t nb, const block_iq4_xsx8* w, const std::uint8_t* x, std::size_t xs, float* out,
                   std::size_t os) {
    const __m256i table = iq4nl_levels_u();
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    __m256 acc[RN];
    for (int t = 0; t < RN; ++t) acc[t] = _mm256_setzero_ps();
    for (std::int64_t i = 0; i < nb; ++i) {
        const block_iq4_xsx8& b = w[i];
        __m256i isum[RN];
        for (int t = 0; t < RN; ++t) isum[t] = _mm256_setzero_si256();
        for (int j = 0; j < 8; ++j) {
            __m256i lo[4], hi[4];
            for (int g = 0; g < 4; ++g) {
                const __m256i q = load32(b.qs[j][g]);
                lo[g] = _mm256_shuffle_epi8(table, _mm256_and_si256(q, low4));
                hi[g] = _mm256_shuffle_epi8(table, _mm256_and_si256(_mm256_srli_epi16(q, 4), low4));
            }
            const __m256i sc = _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(b.scales[j])));
            for (int t = 0; t < RN; ++t) {
                const block_q8_K& xb = reinterpret_cast<const block_q8_K*>(x + t * xs)[i];
                const std::int8_t* y = xb.qs + 32 * j;
                __m256i p0 = _mm256_set1_epi32(-128 * xb.bsums[2 * j]),
                        p1 = _mm256_set1_epi32(-128 * xb.bsums[2 * j + 1]);
                for (int g = 0; g < 4; ++g) {
                    p0 = _mm256_dpbusd_epi32(p0, lo[g], bcast4(y + 4 * g));
                    p1 = _mm256_dpbusd_epi32(p1, hi[g], bcast4(y + 16 + 4 * g));
                }
                isum[t] = _mm256_add_epi32(isum[t], _mm256_mullo_epi32(_mm256_add_epi32(p0, p1), sc));
            }
        }
        const __m256 d = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b.d)));
        for (int t = 0; t < RN; ++t) {
            const __m256 dx = _mm256_set1_ps(reinterpret_cast<const block_q8_K*>(x + t * xs)[i].d);
            acc[t] = _mm256_fmadd_ps(_mm256_mul_ps(d, dx), _mm256_cvtepi32_ps(isum[t]), acc[t]);
        }
    }
    for (int t = 0; t < RN; ++t) _mm256_storeu_ps(out + t * os, acc[t]);
}
#endif

constexpr GemmFn gemm_q4_Kx8 = gemm_packed<block_q4_Kx8, tile_q45_Kx8<block_q4_Kx8, kPackedTokens>,
                                           tile_q45_Kx8<block_q4_Kx8, 4>, tile_q45_Kx8<block_q4_Kx8, 1>>;
constexpr GemmFn gemm_q5_Kx8 = gemm_packed<block_q5_Kx8, tile_q45_Kx8<block_q5_Kx8, kPackedTokens>,
                                           tile_q45_Kx8<block_q5_Kx8, 4>, tile_q45_Kx8<block_q5_Kx8, 1>>;
constexpr GemmFn gemm_q6_Kx8 = gemm_packed<block_q6_Kx8, tile_k16x8<UnpackQ6Kx8, kPackedTokens>,
                                           tile_k16x8<UnpackQ6Kx8, 4>, tile_k16x8<UnpackQ6Kx8, 1>>;
#if defined(PONDER_ISA_AVX512)
constexpr GemmFn gemm_iq4_xsx8 =
    gemm_packed<block_iq4_xsx8, tile_iq4_xsx8<kPackedTokens>, tile_iq4_xsx8<4>, tile_iq4_xsx8<1>>;
#endif
constexpr GemmFn gemm_q2_Kx8 = gemm_packed<block_q2_Kx8, tile_q2_Kx8<kPackedTokens>, tile_q2_Kx8<4>, tile_q2_Kx8<1>>;
constexpr GemmFn gemm_q3_Kx8 = gemm_packed<block_q3_Kx8, tile_k16x8<UnpackQ3Kx8, kPackedTokens>,
                                           tile_k16x8<UnpackQ3Kx8, 4>, tile_k16x8<UnpackQ3Kx8, 1>>;

void add_k_formats(KernelSet& ks) {
    auto set = [&](DType t, VecDotFn f, GemmFn g = nullptr) {
        ks.weights[static_cast<int>(t)] = {DType::Q8_K, f, g, {}, kGemmOneTokenRowBytes};
    };
    set(DType::IQ4_XS, vec_dot_iq4_xs);
    set(DType::Q2_K, vec_dot_q2_K);
    set(DType::Q3_K, vec_dot_q3_K, gemm_q3_K);
    set(DType::Q4_K, vec_dot_q45_K_r<false, block_q4_K>, gemm_q4_K);
    set(DType::Q5_K, vec_dot_q45_K_r<true, block_q5_K>, gemm_q5_K);
    set(DType::Q6_K, vec_dot_q6_K_r, gemm_q6_K);
    ks.weights[static_cast<int>(DType::Q4_K)].packed = {sizeof(block_q4_Kx8), pack_as<block_q4_Kx8, pack_q4_K_x8>,
                                                        gemm_q4_Kx8};
#if defined(PONDER_ISA_AVX512)
    ks.weights[static_cast<int>(DType::IQ4_XS)].packed = {sizeof(block_iq4_xsx8),
                                                          pack_as<block_iq4_xsx8, pack_iq4_xs_x8>, gemm_iq4_xsx8};
#endif
    ks.weights[static_cast<int>(DType::Q2_K)].packed = {sizeof(block_q2_Kx8), pack_as<block_q2_Kx8, pack_q2_K_x8>,
                                                        gemm_q2_Kx8};
    ks.weights[static_cast<int>(DType::Q3_K)].packed = {sizeof(block_q3_Kx8), pack_as<block_q3_Kx8, pack_q3_K_x8>,
                                                        gemm_q3_Kx8};
    ks.weights[static_cast<int>(DType::Q5_K)].packed = {sizeof(block_q5_Kx8), pack_as<block_q5_Kx8, pack_q5_K_x8>,
                                                        gemm_q5_Kx8};
    ks.weights[static_cast<int>(DType::Q6_K)].packed = {sizeof(block_q6_Kx8), pack_as<block_q6_Kx8, pack_q6_K_x8>,
                                                        gemm_q6_Kx8};
}

}  // namespace
}  // namespace ponder::cpu
