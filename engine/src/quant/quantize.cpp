// quantize.cpp: f32 -> block formats. Activation quantizers (Q8_0, Q8_K) are straight loops for
// the hot path; weight quantizers fit scales by a small least-squares search (our own scheme,
// bit-compatible output, not llama-quantize's exact choices).
#include "quant/quantize.h"

#include "quant/fit.h"
#include "util/error.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ponder {

namespace {

inline int round_int(float v) { return fast_round(v); }

// Value with the largest magnitude, sign kept (0 for an all-zero block).
inline float signed_absmax(const float* x, int n) {
    float amax = 0.0f, max = 0.0f;
    for (int j = 0; j < n; ++j) {
        const float a = std::fabs(x[j]);
        if (a > amax) {
            amax = a;
            max = x[j];
        }
    }
    return max;
}

}  // namespace

// The activation quantizers keep every loop simple enough for the compiler to vectorize: the
// absolute maximum is taken on the float bit patterns (for non-negative floats the integer order
// is the float order), and rounding is fast_round().
namespace {

inline float abs_max(const float* x, int n) {
    std::uint32_t m = 0;
    for (int j = 0; j < n; ++j) {
        std::uint32_t bits;
        std::memcpy(&bits, x + j, sizeof bits);
        bits &= 0x7FFFFFFFu;
        m = bits > m ? bits : m;
    }
    float f;
    std::memcpy(&f, &m, sizeof f);
    return f;
}

#if defined(__SSE2__)
// SSE2 (every x86-64): |x| max with maxps, rounding with cvtps2dq (round-to-nearest-even, the
// default MXCSR mode, same as fast_round), saturating packs to int8.
inline float abs_max_sse2(const float* x, int n) {
    const __m128 mask = _mm_castsi128_ps(_mm_set1_epi32(0x7FFFFFFF));
    __m128 m = _mm_setzero_ps();
    for (int j = 0; j < n; j += 4) m = _mm_max_ps(m, _mm_and_ps(_mm_loadu_ps(x + j), mask));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
    return _mm_cvtss_f32(m);
}

// q[j] = round(x[j] * s), saturated to [-128, 127], for n a multiple of 16.
inline void scale_round_pack_sse2(const float* x, float s, std::int8_t* q, int n) {
    const __m128 vs = _mm_set1_ps(s);
    for (int j = 0; j < n; j += 16) {
        const __m128i a = _mm_cvtps_epi32(_mm_mul_ps(_mm_loadu_ps(x + j), vs));
        const __m128i b = _mm_cvtps_epi32(_mm_mul_ps(_mm_loadu_ps(x + j + 4), vs));
        const __m128i c = _mm_cvtps_epi32(_mm_mul_ps(_mm_loadu_ps(x + j + 8), vs));
        const __m128i d = _mm_cvtps_epi32(_mm_mul_ps(_mm_loadu_ps(x + j + 12), vs));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(q + j),
                         _mm_packs_epi16(_mm_packs_epi32(a, b), _mm_packs_epi32(c, d)));
    }
}
#endif

}  // namespace

void quantize_row_q8_0(const float* x, block_q8_0* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK8_0; ++i, x += QK8_0) {
#if defined(__SSE2__)
        const float amax = abs_max_sse2(x, QK8_0);
#else
        const float amax = abs_max(x, QK8_0);
#endif
        const float d = amax / 127.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        y[i].d = f32_to_fp16(d);
#if defined(__SSE2__)
        scale_round_pack_sse2(x, id, y[i].qs, QK8_0);
#else
        for (int j = 0; j < QK8_0; ++j) y[i].qs[j] = static_cast<std::int8_t>(fast_round(x[j] * id));
#endif
    }
}

void quantize_row_q8_K(const float* x, block_q8_K* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK_K; ++i, x += QK_K) {
#if defined(__SSE2__)
        const float amax = abs_max_sse2(x, QK_K);
#else
        const float amax = abs_max(x, QK_K);
#endif
        if (amax == 0.0f) {
            std::memset(&y[i], 0, sizeof(block_q8_K));
            continue;
        }
        // The largest-magnitude value maps to -127 (its sign picks the end). 127, not 128, as
        // llama.cpp has done since early 2024: it keeps every code in [-127, 127] (so |q| fits
        // a signed byte), and matching it exactly keeps our logits next to its references.
        float max = amax;
        for (int j = 0; j < QK_K; ++j) {
            if (x[j] == -amax) {
                max = -amax;
                break;
            }
            if (x[j] == amax) break;
        }
        const float iscale = -127.0f / max;
#if defined(__SSE2__)
        scale_round_pack_sse2(x, iscale, y[i].qs, QK_K);
#else
        for (int j = 0; j < QK_K; ++j) {
            const int q = fast_round(iscale * x[j]);
            y[i].qs[j] = static_cast<std::int8_t>(q < 127 ? q : 127);
        }
#endif
        for (int j = 0; j < QK_K / 16; ++j) {
            int sum = 0;
            for (int l = 0; l < 16; ++l) sum += y[i].qs[16 * j + l];
            y[i].bsums[j] = static_cast<std::int16_t>(sum);
        }
        y[i].d = 1.0f / iscale;
    }
}

void quantize_row_q4_0(const float* x, block_q4_0* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK4_0; ++i, x += QK4_0) {
        // Map the largest-magnitude value to -8 so the full signed range [-8, 7] is used.
        const float d = signed_absmax(x, QK4_0) / -8.0f;
        y[i].d = f32_to_fp16(d);
        const float dq = fp16_to_f32(y[i].d);
        const float id = dq != 0.0f ? 1.0f / dq : 0.0f;
        for (int j = 0; j < QK4_0 / 2; ++j) {
            const int q0 = std::clamp(round_int(x[j] * id) + 8, 0, 15);
            const int q1 = std::clamp(round_int(x[j + QK4_0 / 2] * id) + 8, 0, 15);
            y[i].qs[j] = static_cast<std::uint8_t>(q0 | (q1 << 4));
        }
    }
}

void quantize_row_q4_1(const float* x, block_q4_1* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK4_1; ++i, x += QK4_1) {
        const auto [mn, mx] = std::minmax_element(x, x + QK4_1);
        y[i].d = f32_to_fp16((*mx - *mn) / 15.0f);
        y[i].m = f32_to_fp16(*mn);
        const float dq = fp16_to_f32(y[i].d), mq = fp16_to_f32(y[i].m);
        const float id = dq != 0.0f ? 1.0f / dq : 0.0f;
        for (int j = 0; j < QK4_1 / 2; ++j) {
            const int q0 = std::clamp(round_int((x[j] - mq) * id), 0, 15);
            const int q1 = std::clamp(round_int((x[j + QK4_1 / 2] - mq) * id), 0, 15);
            y[i].qs[j] = static_cast<std::uint8_t>(q0 | (q1 << 4));
        }
    }
}

void quantize_row_q5_0(const float* x, block_q5_0* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK5_0; ++i, x += QK5_0) {
        const float d = signed_absmax(x, QK5_0) / -16.0f;
        y[i].d = f32_to_fp16(d);
        const float dq = fp16_to_f32(y[i].d);
        const float id = dq != 0.0f ? 1.0f / dq : 0.0f;
        std::uint32_t qh = 0;
        for (int j = 0; j < QK5_0 / 2; ++j) {
            const int q0 = std::clamp(round_int(x[j] * id) + 16, 0, 31);
            const int q1 = std::clamp(round_int(x[j + QK5_0 / 2] * id) + 16, 0, 31);
            y[i].qs[j] = static_cast<std::uint8_t>((q0 & 0xF) | ((q1 & 0xF) << 4));
            qh |= static_cast<std::uint32_t>(q0 >> 4) << j;
            qh |= static_cast<std::uint32_t>(q1 >> 4) << (j + QK5_0 / 2);
        }
        std::memcpy(y[i].qh, &qh, sizeof qh);
    }
}

void quantize_row_q5_1(const float* x, block_q5_1* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK5_1; ++i, x += QK5_1) {
        const auto [mn, mx] = std::minmax_element(x, x + QK5_1);
        y[i].d = f32_to_fp16((*mx - *mn) / 31.0f);
        y[i].m = f32_to_fp16(*mn);
        const float dq = fp16_to_f32(y[i].d), mq = fp16_to_f32(y[i].m);
        const float id = dq != 0.0f ? 1.0f / dq : 0.0f;
        std::uint32_t qh = 0;
        for (int j = 0; j < QK5_1 / 2; ++j) {
            const int q0 = std::clamp(round_int((x[j] - mq) * id), 0, 31);
            const int q1 = std::clamp(round_int((x[j + QK5_1 / 2] - mq) * id), 0, 31);
            y[i].qs[j] = static_cast<std::uint8_t>((q0 & 0xF) | ((q1 & 0xF) << 4));
            qh |= static_cast<std::uint32_t>(q0 >> 4) << j;
            qh |= static_cast<std::uint32_t>(q1 >> 4) << (j + QK5_1 / 2);
        }
        std::memcpy(y[i].qh, &qh, sizeof qh);
    }
}

void quantize_row_iq4_nl(const float* x, block_iq4_nl* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK4_NL; ++i, x += QK4_NL) {
        std::uint8_t idx[QK4_NL];
        const float d = fit_codebook(x, QK4_NL, kvalues_iq4nl, idx);
        y[i].d = f32_to_fp16(d);
        // Re-pick codes for the stored (fp16-rounded) scale.
        codebook_indices(x, QK4_NL, kvalues_iq4nl, fp16_to_f32(y[i].d), idx);
        for (int j = 0; j < QK4_NL / 2; ++j)
            y[i].qs[j] = static_cast<std::uint8_t>(idx[j] | (idx[j + QK4_NL / 2] << 4));
    }
}

namespace {

// Packs 8 six-bit scales and mins the way get_scale_min_k4() unpacks them.
void pack_scale_min_k4(const std::uint8_t* sc, const std::uint8_t* m, std::uint8_t* out) {
    std::memset(out, 0, K_SCALE_SIZE);
    for (int j = 0; j < 4; ++j) {
        out[j] = sc[j] & 63;
        out[j + 4] = m[j] & 63;
    }
    for (int j = 4; j < 8; ++j) {
        out[j + 4] = static_cast<std::uint8_t>((sc[j] & 0xF) | ((m[j] & 0xF) << 4));
        out[j - 4] |= static_cast<std::uint8_t>((sc[j] >> 4) << 6);
        out[j] |= static_cast<std::uint8_t>((m[j] >> 4) << 6);
    }
}

// Shared by Q4_K (nmax 15) and Q5_K (nmax 31): fits each 32-value sub-block as scale*q - min,
// quantizes the 8 scales and mins to 6 bits against fp16 super-scales, and returns the final
// codes L[256] plus the packed header fields.
void quantize_superblock_k(const float* x, int nmax, fp16_t& d_out, fp16_t& dmin_out, std::uint8_t* packed_scales,
                           std::uint8_t* L) {
    float scales[8], mins[8];
    float max_scale = 0.0f, max_min = 0.0f;
    for (int j = 0; j < 8; ++j) {
        fit_asymmetric(x + 32 * j, 32, nmax, scales[j], mins[j]);
        max_scale = std::max(max_scale, scales[j]);
        max_min = std::max(max_min, mins[j]);
    }
    d_out = f32_to_fp16(max_scale / 63.0f);
    dmin_out = f32_to_fp16(max_min / 63.0f);
    const float d = fp16_to_f32(d_out), dmin = fp16_to_f32(dmin_out);
    const float id = d > 0.0f ? 1.0f / d : 0.0f;
    const float idmin = dmin > 0.0f ? 1.0f / dmin : 0.0f;
    std::uint8_t sc[8], m[8];
    for (int j = 0; j < 8; ++j) {
        sc[j] = static_cast<std::uint8_t>(std::clamp(round_int(scales[j] * id), 0, 63));
        m[j] = static_cast<std::uint8_t>(std::clamp(round_int(mins[j] * idmin), 0, 63));
    }
    pack_scale_min_k4(sc, m, packed_scales);
    for (int j = 0; j < 8; ++j) {
        const float ds = d * sc[j];
        const float dm = dmin * m[j];
        const float ids = ds > 0.0f ? 1.0f / ds : 0.0f;
        for (int l = 0; l < 32; ++l)
            L[32 * j + l] = static_cast<std::uint8_t>(std::clamp(round_int((x[32 * j + l] + dm) * ids), 0, nmax));
    }
}

}  // namespace

void quantize_row_q4_K(const float* x, block_q4_K* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK_K; ++i, x += QK_K) {
        std::uint8_t L[QK_K];
        quantize_superblock_k(x, 15, y[i].d, y[i].dmin, y[i].scales, L);
        for (int j = 0; j < QK_K / 64; ++j) {
            for (int l = 0; l < 32; ++l)
                y[i].qs[32 * j + l] = static_cast<std::uint8_t>(L[64 * j + l] | (L[64 * j + 32 + l] << 4));
        }
    }
}

void quantize_row_q5_K(const float* x, block_q5_K* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK_K; ++i, x += QK_K) {
        std::uint8_t L[QK_K];
        quantize_superblock_k(x, 31, y[i].d, y[i].dmin, y[i].scales, L);
        std::memset(y[i].qh, 0, sizeof y[i].qh);
        for (int j = 0; j < QK_K / 64; ++j) {
            for (int l = 0; l < 32; ++l) {
                const int lo = L[64 * j + l], hi = L[64 * j + 32 + l];
                y[i].qs[32 * j + l] = static_cast<std::uint8_t>((lo & 0xF) | ((hi & 0xF) << 4));
                y[i].qh[l] |= static_cast<std::uint8_t>(((lo >> 4) << (2 * j)) | ((hi >> 4) << (2 * j + 1)));
            }
        }
    }
}

void quantize_row_q6_K(const float* x, block_q6_K* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK_K; ++i, x += QK_K) {
        float scales[16];
        float max_abs = 0.0f;
        for (int s = 0; s < 16; ++s) {
            scales[s] = fit_symmetric(x + 16 * s, 16, 32);
            max_abs = std::max(max_abs, std::fabs(scales[s]));
        }
        y[i].d = f32_to_fp16(max_abs / 127.0f);
        const float d = fp16_to_f32(y[i].d);
        const float id = d > 0.0f ? 1.0f / d : 0.0f;
        std::uint8_t L[QK_K];
        for (int s = 0; s < 16; ++s) {
            const int sc = std::clamp(round_int(scales[s] * id), -127, 127);
            y[i].scales[s] = static_cast<std::int8_t>(sc);
            const float ds = d * static_cast<float>(sc);
            const float ids = ds != 0.0f ? 1.0f / ds : 0.0f;
            for (int l = 0; l < 16; ++l)
                L[16 * s + l] = static_cast<std::uint8_t>(std::clamp(round_int(x[16 * s + l] * ids), -32, 31) + 32);
        }
        for (int h = 0; h < 2; ++h) {
            const std::uint8_t* Lh = L + 128 * h;
            for (int l = 0; l < 32; ++l) {
                const int q1 = Lh[l], q2 = Lh[l + 32], q3 = Lh[l + 64], q4 = Lh[l + 96];
                y[i].ql[64 * h + l] = static_cast<std::uint8_t>((q1 & 0xF) | ((q3 & 0xF) << 4));
                y[i].ql[64 * h + l + 32] = static_cast<std::uint8_t>((q2 & 0xF) | ((q4 & 0xF) << 4));
                y[i].qh[32 * h + l] =
                    static_cast<std::uint8_t>((q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6));
            }
        }
    }
}

std::size_t quantize_row(DType type, const float* src, void* dst, std::int64_t n) {
    const TypeInfo& info = type_info(type);
    if (!info.quantizable) fail("cannot quantize to tensor type %s", std::string(info.name).c_str());
    const std::uint64_t bytes = row_bytes(type, n);
    auto* out = static_cast<std::uint8_t*>(dst);
    switch (type) {
    case DType::F32: std::memcpy(dst, src, static_cast<std::size_t>(bytes)); break;
    case DType::F16:
        for (std::int64_t i = 0; i < n; ++i) {
            const fp16_t h = f32_to_fp16(src[i]);
            std::memcpy(out + 2 * i, &h, 2);
        }
        break;
    case DType::BF16:
        for (std::int64_t i = 0; i < n; ++i) {
            const bf16_t h = f32_to_bf16(src[i]);
            std::memcpy(out + 2 * i, &h, 2);
        }
        break;
    case DType::Q4_0: quantize_row_q4_0(src, static_cast<block_q4_0*>(dst), n); break;
    case DType::Q4_1: quantize_row_q4_1(src, static_cast<block_q4_1*>(dst), n); break;
    case DType::Q5_0: quantize_row_q5_0(src, static_cast<block_q5_0*>(dst), n); break;
    case DType::Q5_1: quantize_row_q5_1(src, static_cast<block_q5_1*>(dst), n); break;
    case DType::Q8_0: quantize_row_q8_0(src, static_cast<block_q8_0*>(dst), n); break;
    case DType::Q8_K: quantize_row_q8_K(src, static_cast<block_q8_K*>(dst), n); break;
    case DType::Q4_K: quantize_row_q4_K(src, static_cast<block_q4_K*>(dst), n); break;
    case DType::Q5_K: quantize_row_q5_K(src, static_cast<block_q5_K*>(dst), n); break;
    case DType::Q6_K: quantize_row_q6_K(src, static_cast<block_q6_K*>(dst), n); break;
    case DType::IQ4_NL: quantize_row_iq4_nl(src, static_cast<block_iq4_nl*>(dst), n); break;
    default: fail("cannot quantize to tensor type %s", std::string(info.name).c_str());
    }
    return static_cast<std::size_t>(bytes);
}

}  // namespace ponder
