// x86/vector_ops.h: the non-matmul kernels: f32 dots, f16 conversions, SwiGLU, softmax and
// attention over a KV cache of F32, F16 or Q8_0 rows.
#pragma once

#include "backend/cpu/x86/simd.h"

namespace ponder::cpu {
namespace {

// ---- f32 / f16 helpers ------------------------------------------------------------------------

float dot_f32(const float* a, const float* b, std::int64_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
    }
    for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    float s = hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; ++i) s += a[i] * b[i];
    return s;
}

void dot_f32_x4(const float* w, const float* const x[4], float out[4], std::int64_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 wv = _mm256_loadu_ps(w + i);
        s0 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x[0] + i), s0);
        s1 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x[1] + i), s1);
        s2 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x[2] + i), s2);
        s3 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x[3] + i), s3);
    }
    out[0] = hsum(s0), out[1] = hsum(s1), out[2] = hsum(s2), out[3] = hsum(s3);
    for (; i < n; ++i)
        for (int j = 0; j < 4; ++j) out[j] += w[i] * x[j][i];
}

void f16_to_f32(const fp16_t* x, float* y, std::int64_t n) {
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i))));
    for (; i < n; ++i) y[i] = h2f(x[i]);
}

void f32_to_f16(const float* x, fp16_t* y, std::int64_t n) {
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128(reinterpret_cast<__m128i*>(y + i),
                         _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < n; ++i) y[i] = f2h(x[i]);
}

void swiglu(const float* g, const float* u, float* out, std::int64_t n) {
    const __m256 one = _mm256_set1_ps(1.0f);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 gv = _mm256_loadu_ps(g + i);
        const __m256 e = exp256(_mm256_sub_ps(_mm256_setzero_ps(), gv));
        _mm256_storeu_ps(out + i, _mm256_mul_ps(_mm256_div_ps(gv, _mm256_add_ps(one, e)), _mm256_loadu_ps(u + i)));
    }
    for (; i < n; ++i) out[i] = g[i] / (1.0f + std::exp(-g[i])) * u[i];
}

// ---- attention ----------------------------------------------------------------------------------

// Row of a cache as f32: returns either the row itself (F32) or `tmp` filled with it.
const float* cache_row(DType type, const std::uint8_t* src, float* tmp, int n) {
    if (type == DType::F32) return reinterpret_cast<const float*>(src);
    if (type == DType::F16) {
        f16_to_f32(reinterpret_cast<const fp16_t*>(src), tmp, n);
        return tmp;
    }
    const auto* b = reinterpret_cast<const block_q8_0*>(src);
    for (int i = 0; i < n / 32; ++i) {
        const __m256 d = _mm256_set1_ps(h2f(b[i].d));
        for (int j = 0; j < 32; j += 8) {
            const __m256i q = _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(b[i].qs + j)));
            _mm256_storeu_ps(tmp + 32 * i + j, _mm256_mul_ps(d, _mm256_cvtepi32_ps(q)));
        }
    }
    return tmp;
}

void axpy(float a, const float* x, float* y, int n) {
    const __m256 av = _mm256_set1_ps(a);
    int i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(av, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; ++i) y[i] += a * x[i];
}

// Eight dot products' partial vectors -> one vector of the eight sums (in order).
inline __m256 reduce8(const __m256 a[8]) {
    const __m256 t0 = _mm256_hadd_ps(a[0], a[1]), t1 = _mm256_hadd_ps(a[2], a[3]);
    const __m256 t2 = _mm256_hadd_ps(a[4], a[5]), t3 = _mm256_hadd_ps(a[6], a[7]);
    const __m256 u0 = _mm256_hadd_ps(t0, t1), u1 = _mm256_hadd_ps(t2, t3);
    return _mm256_add_ps(_mm256_permute2f128_ps(u0, u1, 0x20), _mm256_permute2f128_ps(u0, u1, 0x31));
}

// x[i] = softmax(scale * x[i]) over i < n_valid, 0 beyond (KernelSet::softmax_row).
void softmax_row(float* x, int n_valid, int n, float scale) {
    const __m256 sc = _mm256_set1_ps(scale);
    __m256 mv = _mm256_set1_ps(-INFINITY);
    int i = 0;
    for (; i + 8 <= n_valid; i += 8) mv = _mm256_max_ps(mv, _mm256_mul_ps(sc, _mm256_loadu_ps(x + i)));
    float mx = hmax(mv);
    for (; i < n_valid; ++i) mx = std::max(mx, scale * x[i]);
    const __m256 mxv = _mm256_set1_ps(mx);
    __m256 sv = _mm256_setzero_ps();
    i = 0;
    for (; i + 8 <= n_valid; i += 8) {
        const __m256 e = exp256(_mm256_sub_ps(_mm256_mul_ps(sc, _mm256_loadu_ps(x + i)), mxv));
        _mm256_storeu_ps(x + i, e);
        sv = _mm256_add_ps(sv, e);
    }
    float sum = hsum(sv);
    for (; i < n_valid; ++i) sum += (x[i] = std::exp(scale * x[i] - mx));
    const __m256 inv = _mm256_set1_ps(1.0f / sum);
    i = 0;
    for (; i + 8 <= n_valid; i += 8) _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_loadu_ps(x + i), inv));
    for (; i < n_valid; ++i) x[i] *= 1.0f / sum;
    for (i = n_valid; i < n; ++i) x[i] = 0.0f;
}

void attend(const float* q, int group, int head_dim, const void* k, std::size_t k_stride, const void* v,
            std::size_t v_stride, DType cache_type, int n_pos, float scale, float* scratch, float* out) {
    float* scores = scratch;
    float* tmp = scratch + static_cast<std::size_t>(group) * n_pos;  // 8 rows of head_dim
    const auto* kb = static_cast<const std::uint8_t*>(k);
    const auto* vb = static_cast<const std::uint8_t*>(v);
    int p = 0;
    if (head_dim % 8 == 0) {
        // Scores eight positions at a time: each key row is loaded (and converted) once for all
        // query heads of the group, and the eight dots are reduced together.
        const __m256 sc = _mm256_set1_ps(scale);
        for (; p + 8 <= n_pos; p += 8) {
            const float* rows[8];
            for (int j = 0; j < 8; ++j)
                rows[j] = cache_row(cache_type, kb + (p + j) * k_stride, tmp + j * head_dim, head_dim);
            for (int h = 0; h < group; ++h) {
                const float* qh = q + h * head_dim;
                __m256 a[8];
                for (int j = 0; j < 8; ++j) a[j] = _mm256_setzero_ps();
                for (int i = 0; i < head_dim; i += 8) {
                    const __m256 qv = _mm256_loadu_ps(qh + i);
                    for (int j = 0; j < 8; ++j) a[j] = _mm256_fmadd_ps(qv, _mm256_loadu_ps(rows[j] + i), a[j]);
                }
                _mm256_storeu_ps(scores + h * n_pos + p, _mm256_mul_ps(sc, reduce8(a)));
            }
        }
    }
    for (; p < n_pos; ++p) {
        const float* row = cache_row(cache_type, kb + p * k_stride, tmp, head_dim);
        for (int h = 0; h < group; ++h) scores[h * n_pos + p] = scale * dot_f32(q + h * head_dim, row, head_dim);
    }
    // The scores are already scaled.
    for (int h = 0; h < group; ++h) softmax_row(scores + h * n_pos, n_pos, n_pos, 1.0f);
    if (cache_type == DType::F32 && head_dim % 64 == 0) {
        // Values already f32 (prompt steps): one head at a time with its output in registers,
        // instead of a load and store of the output per position.
        for (int h = 0; h < group; ++h) {
            const float* s = scores + h * n_pos;
            for (int d0 = 0; d0 < head_dim; d0 += 64) {
                __m256 acc[8];
                for (int j = 0; j < 8; ++j) acc[j] = _mm256_setzero_ps();
                for (p = 0; p < n_pos; ++p) {
                    const float* row = reinterpret_cast<const float*>(vb + p * v_stride) + d0;
                    const __m256 w = _mm256_set1_ps(s[p]);
                    for (int j = 0; j < 8; ++j) acc[j] = _mm256_fmadd_ps(w, _mm256_loadu_ps(row + 8 * j), acc[j]);
                }
                for (int j = 0; j < 8; ++j) _mm256_storeu_ps(out + h * head_dim + d0 + 8 * j, acc[j]);
            }
        }
        return;
    }
    std::memset(out, 0, sizeof(float) * static_cast<std::size_t>(group) * head_dim);
    p = 0;
    if (head_dim % 64 == 0) {
        // F16 / Q8_0 values (generation): eight rows converted at a time into tmp, then each head's
        // output slice stays in registers across them. Adding one row at a time to memory chained
        // every position's store to the next position's load (measured: half the decode time at
        // depth 4096).
        for (; p + 8 <= n_pos; p += 8) {
            const float* rows[8];
            for (int j = 0; j < 8; ++j)
                rows[j] = cache_row(cache_type, vb + (p + j) * v_stride, tmp + j * head_dim, head_dim);
            for (int h = 0; h < group; ++h) {
                const float* sh = scores + h * n_pos + p;
                for (int d0 = 0; d0 < head_dim; d0 += 64) {
                    float* o = out + h * head_dim + d0;
                    __m256 acc[8];
                    for (int i = 0; i < 8; ++i) acc[i] = _mm256_loadu_ps(o + 8 * i);
                    for (int j = 0; j < 8; ++j) {
                        const __m256 w = _mm256_set1_ps(sh[j]);
                        for (int i = 0; i < 8; ++i)
                            acc[i] = _mm256_fmadd_ps(w, _mm256_loadu_ps(rows[j] + d0 + 8 * i), acc[i]);
                    }
                    for (int i = 0; i < 8; ++i) _mm256_storeu_ps(o + 8 * i, acc[i]);
                }
            }
        }
    }
    for (; p < n_pos; ++p) {
        const float* row = cache_row(cache_type, vb + p * v_stride, tmp, head_dim);
        for (int h = 0; h < group; ++h) axpy(scores[h * n_pos + p], row, out + h * head_dim, head_dim);
    }
}

}  // namespace
}  // namespace ponder::cpu
