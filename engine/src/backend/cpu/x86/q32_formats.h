// x86/q32_formats.h: the 32-element block formats (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL) against
// Q8_0 activations: block unpackers, row dots, register tiles for many tokens, the kernels on
// packed.h's eight-row interleaved layouts, and their kernel-table entries.
#pragma once

#include "backend/cpu/packed_q32.h"
#include "backend/cpu/x86/activations.h"
#include "backend/cpu/x86/simd.h"

namespace ponder::cpu {
namespace {

// ---- row dots of the formats without a tile ----------------------------------------------------

void vec_dot_q4_1(std::int64_t n, float* s, const void* vw, const void* vx) {
    const auto* w = static_cast<const block_q4_1*>(vw);
    const auto* x = static_cast<const block_q8_0*>(vx);
    __m256 acc = _mm256_setzero_ps();
    const __m256i ones = _mm256_set1_epi8(1);
    for (std::int64_t i = 0; i < n / 32; ++i) {
        const __m256i y = load32(x[i].qs);
        const float dx = h2f(x[i].d);
        acc =
            _mm256_fmadd_ps(_mm256_set1_ps(h2f(w[i].d) * dx), _mm256_cvtepi32_ps(dot_u8s8(nibbles32(w[i].qs), y)), acc);
        acc = _mm256_fmadd_ps(_mm256_set1_ps(h2f(w[i].m) * dx), _mm256_cvtepi32_ps(dot_u8s8(ones, y)), acc);
    }
    *s = hsum(acc);
}

void vec_dot_q5_1(std::int64_t n, float* s, const void* vw, const void* vx) {
    const auto* w = static_cast<const block_q5_1*>(vw);
    const auto* x = static_cast<const block_q8_0*>(vx);
    __m256 acc = _mm256_setzero_ps();
    const __m256i ones = _mm256_set1_epi8(1);
    const __m256i b4 = _mm256_set1_epi8(0x10);
    for (std::int64_t i = 0; i < n / 32; ++i) {
        const __m256i y = load32(x[i].qs);
        const float dx = h2f(x[i].d);
        const __m256i q = _mm256_or_si256(nibbles32(w[i].qs), _mm256_and_si256(bits32(w[i].qh), b4));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(h2f(w[i].d) * dx), _mm256_cvtepi32_ps(dot_u8s8(q, y)), acc);
        acc = _mm256_fmadd_ps(_mm256_set1_ps(h2f(w[i].m) * dx), _mm256_cvtepi32_ps(dot_u8s8(ones, y)), acc);
    }
    *s = hsum(acc);
}

// ---- 32-element blocks with one fp16 scale, as signed int8 . Q8_0 ------------------------------

// Each format gives its block as signed int8 (q) and, for VNNI, as unsigned bytes u = q + offset
// (dpbusd multiplies unsigned by signed bytes; the offset is taken back out with the activation
// block's sum, which is cheaper than the sign juggling the signed form needs per token).
struct UnpackQ8_0 {
    using Block = block_q8_0;
    static constexpr int offset = 128;
    static __m256i q(const Block& b) { return load32(b.qs); }
    static __m256i u(const Block& b) {
        return _mm256_xor_si256(load32(b.qs), _mm256_set1_epi8(static_cast<char>(0x80)));
    }
};
struct UnpackQ4_0 {
    using Block = block_q4_0;
    static constexpr int offset = 8;
    static __m256i q(const Block& b) { return _mm256_sub_epi8(nibbles32(b.qs), _mm256_set1_epi8(8)); }
    static __m256i u(const Block& b) { return nibbles32(b.qs); }
};
struct UnpackQ5_0 {
    using Block = block_q5_0;
    static constexpr int offset = 16;
#if defined(PONDER_ISA_AVX512)
    static __m256i q(const Block& b) {
        std::uint32_t bits;
        std::memcpy(&bits, b.qh, 4);
        const __m256i nib = nibbles32(b.qs);
        return _mm256_mask_sub_epi8(nib, static_cast<__mmask32>(~bits), nib, _mm256_set1_epi8(16));
    }
    static __m256i u(const Block& b) {
        std::uint32_t bits;
        std::memcpy(&bits, b.qh, 4);
        const __m256i nib = nibbles32(b.qs);
        return _mm256_mask_add_epi8(nib, static_cast<__mmask32>(bits), nib, _mm256_set1_epi8(16));
    }
#else
    // value = nibble + 16 * bit - 16: where the bit is clear, OR-ing 0xF0 makes it nibble - 16.
    static __m256i q(const Block& b) {
        return _mm256_or_si256(nibbles32(b.qs),
                               _mm256_andnot_si256(bits32(b.qh), _mm256_set1_epi8(static_cast<char>(0xF0))));
    }
    static __m256i u(const Block& b) {
        return _mm256_or_si256(nibbles32(b.qs), _mm256_and_si256(bits32(b.qh), _mm256_set1_epi8(16)));
    }
#endif
};
struct UnpackIQ4_NL {
    using Block = block_iq4_nl;
    static constexpr int offset = 128;
    static __m256i q(const Block& b) { return _mm256_shuffle_epi8(iq4nl_levels(), nibbles32(b.qs)); }
    static __m256i u(const Block& b) { return _mm256_shuffle_epi8(iq4nl_levels_u(), nibbles32(b.qs)); }
};

#if defined(PONDER_ISA_AVX512)
template <typename U, int RM, int RN>
void tile32(std::int64_t nb, const std::uint8_t* w, std::size_t ws, const std::uint8_t* x, std::size_t xs, float* out,
            std::size_t os) {
    using Block = typename U::Block;
    __m256 acc[RM][RN];
    for (int r = 0; r < RM; ++r)
        for (int c = 0; c < RN; ++c) acc[r][c] = _mm256_setzero_ps();
    const __m256i off = _mm256_set1_epi8(static_cast<char>(U::offset));
    for (std::int64_t i = 0; i < nb; ++i) {
        __m256i uw[RM];
        __m256 dw[RM];
        if constexpr (RN == 1) prefetch_sweep<RM, Block>(w, i);
        for (int r = 0; r < RM; ++r) {
            const Block& b = reinterpret_cast<const Block*>(w + r * ws)[i];
            uw[r] = U::u(b);
            dw[r] = bcast_h(b.d);
        }
        for (int c = 0; c < RN; ++c) {
            const block_q8_0& xb = reinterpret_cast<const block_q8_0*>(x + c * xs)[i];
            const __m256i y = load32(xb.qs);
            const __m256 dx = bcast_h(xb.d);
            // dot(u, y) - offset * sum(y): start each accumulator at -offset * sum(y).
            const __m256i neg =
                _mm256_sub_epi32(_mm256_setzero_si256(), _mm256_dpbusd_epi32(_mm256_setzero_si256(), off, y));
            for (int r = 0; r < RM; ++r) {
                const __m256 p = _mm256_cvtepi32_ps(_mm256_dpbusd_epi32(neg, uw[r], y));
                acc[r][c] = _mm256_fmadd_ps(_mm256_mul_ps(dw[r], dx), p, acc[r][c]);
            }
        }
    }
    for (int r = 0; r < RM; ++r)
        for (int c = 0; c < RN; ++c) out[c * os + r] = hsum(acc[r][c]);
}
#else
template <typename U, int RM, int RN>
void tile32(std::int64_t nb, const std::uint8_t* w, std::size_t ws, const std::uint8_t* x, std::size_t xs, float* out,
            std::size_t os) {
    using Block = typename U::Block;
    __m256 acc[RM][RN];
    for (int r = 0; r < RM; ++r)
        for (int c = 0; c < RN; ++c) acc[r][c] = _mm256_setzero_ps();
    for (std::int64_t i = 0; i < nb; ++i) {
        __m256i sw[RM], aw[RM];
        __m256 dw[RM];
        for (int r = 0; r < RM; ++r) {
            const Block& b = reinterpret_cast<const Block*>(w + r * ws)[i];
            sw[r] = U::q(b);
            aw[r] = _mm256_sign_epi8(sw[r], sw[r]);
            dw[r] = bcast_h(b.d);
        }
        for (int c = 0; c < RN; ++c) {
            const block_q8_0& xb = reinterpret_cast<const block_q8_0*>(x + c * xs)[i];
            const __m256i y = load32(xb.qs);
            const __m256 dx = bcast_h(xb.d);
            for (int r = 0; r < RM; ++r) {
                const __m256 p = _mm256_cvtepi32_ps(dot_u8s8(aw[r], _mm256_sign_epi8(y, sw[r])));
                acc[r][c] = _mm256_fmadd_ps(_mm256_mul_ps(dw[r], dx), p, acc[r][c]);
            }
        }
    }
    for (int r = 0; r < RM; ++r)
        for (int c = 0; c < RN; ++c) out[c * os + r] = hsum(acc[r][c]);
}
#endif

// One row . one token. Four independent accumulators: with one, every block would wait for the
// previous block's FMA (4-cycle latency), capping generation at ~16 GB/s per core.
template <typename U>
void vec_dot32(std::int64_t n, float* s, const void* vw, const void* vx) {
    using Block = typename U::Block;
    const auto* w = static_cast<const Block*>(vw);
    const auto* x = static_cast<const block_q8_0*>(vx);
    const std::int64_t nb = n / 32;
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    std::int64_t i = 0;
    auto step = [&](std::int64_t b, __m256& a) {
        const __m256i q = U::q(w[b]);
        const __m256i p = dot_s8s8(q, load32(x[b].qs));
        a = _mm256_fmadd_ps(_mm256_mul_ps(bcast_h(w[b].d), bcast_h(x[b].d)), _mm256_cvtepi32_ps(p), a);
    };
    for (; i + 4 <= nb; i += 4) {
        step(i, acc[0]);
        step(i + 1, acc[1]);
        step(i + 2, acc[2]);
        step(i + 3, acc[3]);
    }
    for (; i < nb; ++i) step(i, acc[0]);
    *s = hsum(_mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3])));
}

template <typename U>
void gemm32(std::int64_t n, const void* vw, std::size_t ws, int nr, const void* vx, std::size_t xs, int nc, float* out,
            std::size_t os) {
    const std::int64_t nb = n / 32;
    const auto* w = static_cast<const std::uint8_t*>(vw);
    const auto* x = static_cast<const std::uint8_t*>(vx);
#if !defined(PONDER_ISA_AVX512)
    // One token: row by row, as before the AVX-512 single-token tile; the two-row AVX2 tile was
    // not measured to help (within this machine's +-20% noise), so AVX2 CPUs keep the known path.
    if (nc == 1) {
        for (int r = 0; r < nr; ++r) vec_dot32<U>(n, out + r, w + r * ws, x);
        return;
    }
#endif
    int r = 0;
    for (; r + kTileRows <= nr; r += kTileRows) {
        int c = 0;
        for (; c + kTileCols <= nc; c += kTileCols)
            tile32<U, kTileRows, kTileCols>(nb, w + r * ws, ws, x + c * xs, xs, out + c * os + r, os);
        for (; c < nc; ++c) tile32<U, kTileRows, 1>(nb, w + r * ws, ws, x + c * xs, xs, out + c * os + r, os);
    }
    for (; r < nr; ++r) {
        int c = 0;
        for (; c + kTileCols <= nc; c += kTileCols)
            tile32<U, 1, kTileCols>(nb, w + r * ws, ws, x + c * xs, xs, out + c * os + r, os);
        for (; c < nc; ++c) tile32<U, 1, 1>(nb, w + r * ws, ws, x + c * xs, xs, out + c * os + r, os);
    }
}

// ---- 32-column blocks (block_q8_0x8 and kin) . Q8_0 activations --------------------------------

// Each format unpacks a block into eight vectors of signed weights (vector v: columns 4 v ..
// 4 v + 3 per row lane, 4 + v: 16 + 4 v ..) and keeps its bit width in memory.
struct PackedQ8_0 {
    using Block = block_q8_0x8;
    static void levels(const Block& b, __m256i s[8]) {
        for (int v = 0; v < 8; ++v) s[v] = load32(b.qs[v]);
    }
};
struct PackedQ4_0 {
    using Block = block_q4_0x8;
    static void levels(const Block& b, __m256i s[8]) {
        const __m256i low4 = _mm256_set1_epi8(0x0F), eight = _mm256_set1_epi8(8);
        for (int v = 0; v < 4; ++v) {
            const __m256i q = load32(b.qs[v]);
            s[v] = _mm256_sub_epi8(_mm256_and_si256(q, low4), eight);
            s[v + 4] = _mm256_sub_epi8(_mm256_and_si256(_mm256_srli_epi16(q, 4), low4), eight);
        }
    }
};
struct PackedIQ4_NL {
    using Block = block_q4_0x8;
    static void levels(const Block& b, __m256i s[8]) {
        const __m256i table = iq4nl_levels();
        const __m256i low4 = _mm256_set1_epi8(0x0F);
        for (int v = 0; v < 4; ++v) {
            const __m256i q = load32(b.qs[v]);
            s[v] = _mm256_shuffle_epi8(table, _mm256_and_si256(q, low4));
            s[v + 4] = _mm256_shuffle_epi8(table, _mm256_and_si256(_mm256_srli_epi16(q, 4), low4));
        }
    }
};
struct PackedQ5_0 {
    using Block = block_q5_0x8;
    static void levels(const Block& b, __m256i s[8]) {
        const __m256i low4 = _mm256_set1_epi8(0x0F), bit4 = _mm256_set1_epi8(0x10), sixteen = _mm256_set1_epi8(16);
        const __m256i h = load32(b.qh);
        // Bit v (and 4 + v) of each qh byte moved to bit 4; 16-bit shifts, masked back to bytes.
        const __m256i hv[4] = {_mm256_slli_epi16(h, 4), _mm256_slli_epi16(h, 3), _mm256_slli_epi16(h, 2),
                               _mm256_slli_epi16(h, 1)};
        const __m256i hw[4] = {h, _mm256_srli_epi16(h, 1), _mm256_srli_epi16(h, 2), _mm256_srli_epi16(h, 3)};
        for (int v = 0; v < 4; ++v) {
            const __m256i q = load32(b.qs[v]);
            s[v] = _mm256_sub_epi8(_mm256_or_si256(_mm256_and_si256(q, low4), _mm256_and_si256(hv[v], bit4)), sixteen);
            s[v + 4] = _mm256_sub_epi8(
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(q, 4), low4), _mm256_and_si256(hw[v], bit4)),
                sixteen);
        }
    }
};

// Eight rows x RN tokens of a 32-column-block format. Signed x signed bytes as |w| . (y * sign w):
// |w| is shared by every token of the tile, and no activation sums are needed for an offset.
template <typename U, int RN>
void tile_b32x8(std::int64_t nb, const typename U::Block* w, const std::uint8_t* x, std::size_t xs, float* out,
                std::size_t os) {
    __m256 acc[RN];
    for (int t = 0; t < RN; ++t) acc[t] = _mm256_setzero_ps();
    for (std::int64_t i = 0; i < nb; ++i) {
        __m256i s[8], a[8];
        U::levels(w[i], s);
        for (int v = 0; v < 8; ++v) a[v] = _mm256_abs_epi8(s[v]);
        const __m256 d = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w[i].d)));
        for (int t = 0; t < RN; ++t) {
            const block_q8_0& xb = reinterpret_cast<const block_q8_0*>(x + t * xs)[i];
            __m256i p0 = _mm256_setzero_si256(), p1 = _mm256_setzero_si256();
            for (int g = 0; g < 4; ++g) {
                p0 = dpbusd_acc(p0, a[g], _mm256_sign_epi8(bcast4(xb.qs + 4 * g), s[g]));
                p1 = dpbusd_acc(p1, a[4 + g], _mm256_sign_epi8(bcast4(xb.qs + 16 + 4 * g), s[4 + g]));
            }
            acc[t] =
                _mm256_fmadd_ps(_mm256_mul_ps(d, bcast_h(xb.d)), _mm256_cvtepi32_ps(_mm256_add_epi32(p0, p1)), acc[t]);
        }
    }
    for (int t = 0; t < RN; ++t) _mm256_storeu_ps(out + t * os, acc[t]);
}

template <typename U>
constexpr GemmFn gemm_b32x8 =
    gemm_packed<typename U::Block, tile_b32x8<U, kPackedTokens>, tile_b32x8<U, 4>, tile_b32x8<U, 1>>;

void add_q32_formats(KernelSet& ks) {
    auto set = [&](DType t, VecDotFn f, GemmFn g = nullptr) {
        ks.weights[static_cast<int>(t)] = {DType::Q8_0, f, g, {}, kGemmOneTokenRowBytes};
    };
    set(DType::Q8_0, vec_dot32<UnpackQ8_0>, gemm32<UnpackQ8_0>);
    set(DType::Q4_0, vec_dot32<UnpackQ4_0>, gemm32<UnpackQ4_0>);
    set(DType::Q4_1, vec_dot_q4_1);
    set(DType::Q5_0, vec_dot32<UnpackQ5_0>, gemm32<UnpackQ5_0>);
    set(DType::Q5_1, vec_dot_q5_1);
    set(DType::IQ4_NL, vec_dot32<UnpackIQ4_NL>, gemm32<UnpackIQ4_NL>);
    // Q8_0 rows stream faster row by row than through the tile with one token.
    ks.weights[static_cast<int>(DType::Q8_0)].gemm_one_token_row_bytes = 0;
    ks.weights[static_cast<int>(DType::Q8_0)].packed = {sizeof(block_q8_0x8), pack_as<block_q8_0x8, pack_q8_0_x8>,
                                                        gemm_b32x8<PackedQ8_0>};
    ks.weights[static_cast<int>(DType::Q4_0)].packed = {sizeof(block_q4_0x8), pack_as<block_q4_0x8, pack_q4_0_x8>,
                                                        gemm_b32x8<PackedQ4_0>};
    ks.weights[static_cast<int>(DType::IQ4_NL)].packed = {sizeof(block_q4_0x8), pack_as<block_q4_0x8, pack_q4_0_x8>,
                                                          gemm_b32x8<PackedIQ4_NL>};
    ks.weights[static_cast<int>(DType::Q5_0)].packed = {sizeof(block_q5_0x8), pack_as<block_q5_0x8, pack_q5_0_x8>,
                                                        gemm_b32x8<PackedQ5_0>};
}

}  // namespace
}  // namespace ponder::cpu
