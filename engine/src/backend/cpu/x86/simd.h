// x86/simd.h: the x86 building blocks every weight format's kernels use, and the one place where
// the two ISA builds differ: VNNI dpbusd instead of maddubs + madd, and the tile shapes that the
// register count (16 with AVX2, 32 with AVX-512VL) allows.
//
// Everything here and in the other x86/ headers lives in an anonymous namespace: they are included
// by kernels_x86_avx2.cpp and kernels_x86_avx512.cpp, compiled with different -m flags, and the
// two builds must never share a symbol. Header inline functions compiled with these flags
// (fp16_to_f32 ...) are avoided on purpose: the linker could otherwise keep an AVX2 copy for the
// portable code too. Each x86/ header includes what it uses, so they can be included in any order.
#pragma once

#include "backend/cpu/kernels.h"
#include "backend/cpu/packed_rows.h"
#include "quant/blocks.h"

#include <immintrin.h>

#include <cmath>
#include <cstdint>
#include <cstring>

namespace ponder::cpu {
namespace {

// ---- tile shapes per ISA -------------------------------------------------------------------

#if defined(PONDER_ISA_AVX512)
constexpr int kTileRows = 4, kTileCols = 3;    // 32-element blocks: 32 vector registers with AVX-512VL
constexpr int kFloatRows = 4, kFloatCols = 6;  // float weights: 24 accumulators of 32 registers
#else
constexpr int kTileRows = 2, kTileCols = 3;    // 16 with AVX2
constexpr int kFloatRows = 2, kFloatCols = 5;  // 10 of 16
#endif

constexpr int kKTokens = 4;  // Q4_K / Q5_K tokens per pass
// Q6_K's unpacked super-block (8 vectors), its 8 scale vectors and 8 accumulators fit the 32
// AVX-512VL registers: 8 tokens per pass (measured 112 -> 130 GFLOP/s); Q4_K lost a little at 8.
#if defined(PONDER_ISA_AVX512)
constexpr int kQ6KTokens = 8;
#else
constexpr int kQ6KTokens = 4;
#endif

// Tokens per tile. AVX-512VL's 32 registers hold 8 tokens' accumulators next to the unpacked
// block: 8 vs 4 tokens gave Q4_K ~250 vs ~200 GFLOP/s (1 thread, [4864 x 1024], CPU time) and
// +2-4 % on whole-model pp512 (within this machine's noise; no type got slower on average).
// AVX2 spills a few at 4 (loads from L1) and still gains (Q6_K 70 -> 123 GFLOP/s with 4 tokens
// instead of 2, Q4_K unchanged at ~155).
#if defined(PONDER_ISA_AVX512)
constexpr int kPackedTokens = 8;
#else
constexpr int kPackedTokens = 4;
#endif

// ---- horizontal sums, conversions, byte dots -----------------------------------------------

inline float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

inline float hmax(__m256 v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

inline int hsum_i32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

inline float h2f(std::uint16_t h) { return _cvtsh_ss(h); }
// fp16 -> f32 broadcast to 8 lanes: vpbroadcastw + vcvtph2ps, no trip through a scalar register.
inline __m256 bcast_h(std::uint16_t h) { return _mm256_cvtph_ps(_mm_set1_epi16(static_cast<short>(h))); }
inline std::uint16_t f2h(float f) { return static_cast<std::uint16_t>(_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT)); }

// e^x for x <= 88, relative error ~2e-7: 2^n * e^r with |r| <= ln2 / 2 and a degree-6 polynomial.
inline __m256 exp256(__m256 x) {
    x = _mm256_max_ps(x, _mm256_set1_ps(-87.0f));
    x = _mm256_min_ps(x, _mm256_set1_ps(88.0f));
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);  // ln2 split in two for precision
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.0f / 720);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 120));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 24));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 6));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.5f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
    const __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
}

// Sum of products of unsigned bytes u (< 128 in practice) and signed bytes s: 8 x int32.
inline __m256i dot_u8s8(__m256i u, __m256i s) {
#if defined(PONDER_ISA_AVX512)
    return _mm256_dpbusd_epi32(_mm256_setzero_si256(), u, s);
#else
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1));
#endif
}

// acc + pairwise products of i16 lanes (one VNNI instruction instead of madd + add).
inline __m256i madd_acc(__m256i acc, __m256i a, __m256i b) {
#if defined(PONDER_ISA_AVX512)
    return _mm256_dpwssd_epi32(acc, a, b);
#else
    return _mm256_add_epi32(acc, _mm256_madd_epi16(a, b));
#endif
}

// Signed x signed bytes, via |a| and b * sign(a).
inline __m256i dot_s8s8(__m256i a, __m256i b) { return dot_u8s8(_mm256_sign_epi8(a, a), _mm256_sign_epi8(b, a)); }

// 16 packed bytes -> 32 bytes: low nibbles (values 0..15) then high nibbles (16..31).
inline __m256i nibbles32(const std::uint8_t* p) {
    const __m128i t = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(t, 4), t), _mm256_set1_epi8(0x0F));
}

// 32 bits -> 32 bytes, 0xFF where the bit is set (bit i -> byte i).
inline __m256i bits32(const std::uint8_t* p) {
    std::uint32_t bits;
    std::memcpy(&bits, p, 4);
    const __m256i shuf = _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101, 0);
    const __m256i v = _mm256_shuffle_epi8(_mm256_set1_epi32(static_cast<int>(bits)), shuf);
    const __m256i mask = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ULL));
    return _mm256_cmpeq_epi8(_mm256_and_si256(v, mask), mask);
}

inline __m256i load32(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }

// IQ4_NL's 16 levels (kvalues_iq4nl, quant/blocks.h) in both 128-bit halves, for byte shuffles;
// the unsigned form is each level + 128, for dot products that need unsigned weights.
inline __m256i iq4nl_levels() {
    return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(kvalues_iq4nl)));
}
inline __m256i iq4nl_levels_u() { return _mm256_xor_si256(iq4nl_levels(), _mm256_set1_epi8(static_cast<char>(0x80))); }

// Eight vectors of int32 partial sums -> per 128-bit half: [a0 a1 a2 a3] sums of the low halves
// and [a0 a1 a2 a3] of the high halves (lo), same for a4..a7 (hi). Adding the halves gives the
// eight totals; keeping them apart gives sums over 16-byte groups (Q6_K's sub-blocks).
inline void reduce8_halves(const __m256i a[8], __m256i& lo, __m256i& hi) {
    const __m256i t0 = _mm256_hadd_epi32(a[0], a[1]), t1 = _mm256_hadd_epi32(a[2], a[3]);
    const __m256i t2 = _mm256_hadd_epi32(a[4], a[5]), t3 = _mm256_hadd_epi32(a[6], a[7]);
    lo = _mm256_hadd_epi32(t0, t1);
    hi = _mm256_hadd_epi32(t2, t3);
}

// Totals of eight int32 vectors, in order, as f32.
inline __m256 reduce8_i32_ps(const __m256i a[8]) {
    __m256i u0, u1;
    reduce8_halves(a, u0, u1);
    const __m256i s =
        _mm256_add_epi32(_mm256_permute2x128_si256(u0, u1, 0x20), _mm256_permute2x128_si256(u0, u1, 0x31));
    return _mm256_cvtepi32_ps(s);
}

// acc + per-lane dot of four unsigned bytes u with four signed bytes s. On AVX2 two products are
// summed in 16 bits first, so u * |s| pairs must stay below 32768 (u <= 128 does: the Q8_0 |w|).
inline __m256i dpbusd_acc(__m256i acc, __m256i u, __m256i s) {
#if defined(PONDER_ISA_AVX512)
    return _mm256_dpbusd_epi32(acc, u, s);
#else
    return _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1)));
#endif
}

// Four activation bytes broadcast to all eight lanes.
inline __m256i bcast4(const std::int8_t* p) {
    std::int32_t v;
    std::memcpy(&v, p, 4);
    return _mm256_set1_epi32(v);
}

// Eight interleaved Q4_K (or Q5_K: Block = block_q5_Kx8) rows x RN tokens. out[t * os + r] for r < 8.

// ---- memory ----------------------------------------------------------------------------------

// How far ahead of the current weight bytes the single-token tiles prefetch.
constexpr std::size_t kPrefetchBytes = 8192;

// Single-token tiles read RM rows side by side, which defeats the hardware prefetcher (the
// stream jumps back and forth inside a few KB): sweep the weights ahead in address order
// ourselves. The group's RM contiguous rows advance RM * sizeof(Block) bytes per block step.
template <int RM, typename Block>
inline void prefetch_sweep(const std::uint8_t* w, std::int64_t i) {
    const char* ahead = reinterpret_cast<const char*>(w) + kPrefetchBytes + i * RM * sizeof(Block);
    for (std::size_t k = 0; k < RM * sizeof(Block); k += 64) _mm_prefetch(ahead + k, _MM_HINT_T1);
}

// ---- drivers shared by the formats ------------------------------------------------------------

// w: the first group of eight rows, groups `ws` bytes apart; nr a multiple of 8. Row groups
// outer: a group's blocks stay in L1 while the token tile's activations stream from L2.
// The tokens left after whole kPackedTokens tiles go four at a time, then one at a time.
template <typename Block,
          void (*TileN)(std::int64_t, const Block*, const std::uint8_t*, std::size_t, float*, std::size_t),
          void (*Tile4)(std::int64_t, const Block*, const std::uint8_t*, std::size_t, float*, std::size_t),
          void (*Tile1)(std::int64_t, const Block*, const std::uint8_t*, std::size_t, float*, std::size_t)>
void gemm_packed(std::int64_t n, const void* vw, std::size_t ws, int nr, const void* vx, std::size_t xs, int nc,
                 float* out, std::size_t os) {
    const std::int64_t nb = n / Block::kColumns;
    const auto* x = static_cast<const std::uint8_t*>(vx);
    for (int g = 0; g < nr / kPackRows; ++g) {
        const auto* w = reinterpret_cast<const Block*>(static_cast<const std::uint8_t*>(vw) + g * ws);
        float* o = out + g * kPackRows;
        int c = 0;
        for (; c + kPackedTokens <= nc; c += kPackedTokens) TileN(nb, w, x + c * xs, xs, o + c * os, os);
        for (; c + 4 <= nc; c += 4) Tile4(nb, w, x + c * xs, xs, o + c * os, os);
        for (; c < nc; ++c) Tile1(nb, w, x + c * xs, xs, o + c * os, os);
    }
}

// The table's untyped pack entry for a typed pack function of packed.h.
template <typename Block, void (*Pack)(const void*, std::size_t, std::int64_t, Block*)>
void pack_as(const void* src, std::size_t src_stride, std::int64_t cols, void* dst) {
    Pack(src, src_stride, cols, static_cast<Block*>(dst));
}

}  // namespace
}  // namespace ponder::cpu
