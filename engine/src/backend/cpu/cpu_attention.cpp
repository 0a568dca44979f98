// cpu_attention.cpp: RoPE, KV cache writes and causal grouped-query attention on the CPU.
#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/op_timer.h"

#include "quant/dequantize.h"
#include "util/error.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ponder::cpu {

namespace {

std::uint8_t* row_ptr(const Tensor& t, std::int64_t row) {
    return static_cast<std::uint8_t*>(t.buffer) + t.offset + static_cast<std::size_t>(row) * t.row_stride;
}
float* f32_row(const Tensor& t, std::int64_t row) { return reinterpret_cast<float*>(row_ptr(t, row)); }

bool is_cache_type(DType t) { return t == DType::F32 || t == DType::F16 || t == DType::Q8_0; }

}  // namespace

void CpuBackend::rope(const Tensor& x, const StepPositions& pos, const RopeParams& p) {
    OpTimer timer(*this, kOpRope);
    if (x.type != DType::F32) fail("cpu backend: rope: x must be F32");
    const int first_pos = first_position(pos, x.rows, "rope");
    const int n_rot = p.n_rot > 0 ? p.n_rot : p.head_dim - p.offset;
    if (p.n_heads <= 0 || p.head_dim <= 0 || x.cols != static_cast<std::int64_t>(p.n_heads) * p.head_dim)
        fail("cpu backend: rope: x has %lld columns, expected n_heads %d x head_dim %d", static_cast<long long>(x.cols),
             p.n_heads, p.head_dim);
    if (p.offset < 0 || n_rot <= 0 || n_rot > p.head_dim - p.offset || n_rot % 2 != 0)
        fail("cpu backend: rope: n_rot %d at offset %d must be even and fit in head_dim %d", n_rot, p.offset,
             p.head_dim);
    if (!(p.ext_factor >= 0.0f) || !std::isfinite(p.mscale)) fail("cpu backend: rope: invalid YaRN parameters");
    const int half = n_rot / 2;
    const float* factors = nullptr;
    if (!p.freq_factors.empty()) {
        if (p.freq_factors.type != DType::F32 || p.freq_factors.rows * p.freq_factors.cols < half)
            fail("cpu backend: rope: freq_factors must be F32 with n_rot / 2 = %d values", half);
        factors = f32_row(p.freq_factors, 0);
    }
    // theta_i = pos * scale * base^(-2i / n_rot), computed by repeated multiplication in f32 the
    // way llama.cpp does, so rounding matches the reference logits.
    const float theta_scale = std::pow(p.freq_base, -2.0f / static_cast<float>(n_rot));
    const bool yarn = p.ext_factor != 0.0f;
    parallel_rows(x.rows, x.cols * 8, [&](std::int64_t begin, std::int64_t end, int thread) {
        float* cs = thread_scratch(thread, static_cast<std::size_t>(2 * half));
        for (std::int64_t t = begin; t < end; ++t) {
            if (yarn) {
                // YaRN: blend interpolated (scaled) and extrapolated angles per dimension pair.
                float theta = static_cast<float>(first_pos + t);
                for (int i = 0; i < half; ++i) {
                    const float extrap = factors ? theta / factors[i] : theta;
                    const float interp = p.freq_scale * extrap;
                    const float y = (static_cast<float>(i) - p.yarn_low) / std::max(0.001f, p.yarn_high - p.yarn_low);
                    const float ramp = (1.0f - std::min(1.0f, std::max(0.0f, y))) * p.ext_factor;
                    const float th = interp * (1.0f - ramp) + extrap * ramp;
                    cs[2 * i] = std::cos(th) * p.mscale;
                    cs[2 * i + 1] = std::sin(th) * p.mscale;
                    theta *= theta_scale;
                }
            } else {
                float theta = static_cast<float>(first_pos + t) * p.freq_scale;
                for (int i = 0; i < half; ++i) {
                    const float th = factors ? theta / factors[i] : theta;
                    cs[2 * i] = std::cos(th) * p.mscale;
                    cs[2 * i + 1] = std::sin(th) * p.mscale;
                    theta *= theta_scale;
                }
            }
            float* row = f32_row(x, t);
            for (int h = 0; h < p.n_heads; ++h) {
                float* v = row + static_cast<std::size_t>(h) * p.head_dim + p.offset;
                for (int i = 0; i < half; ++i) {
                    const int a = p.neox ? i : 2 * i;
                    const int b = p.neox ? i + half : 2 * i + 1;
                    const float x0 = v[a], x1 = v[b];
                    v[a] = x0 * cs[2 * i] - x1 * cs[2 * i + 1];
                    v[b] = x0 * cs[2 * i + 1] + x1 * cs[2 * i];
                }
            }
        }
    });
}

void CpuBackend::store_kv(const Tensor& src, const Tensor& cache, const StepPositions& pos) {
    OpTimer timer(*this, kOpStoreKv);
    if (src.type != DType::F32) fail("cpu backend: store_kv: src must be F32");
    const std::int64_t first_row = first_position(pos, src.rows, "store_kv");
    if (!is_cache_type(cache.type))
        fail("cpu backend: store_kv: cache type %s is not F32, F16 or Q8_0",
             std::string(to_string(cache.type)).c_str());
    if (src.cols != cache.cols)
        fail("cpu backend: store_kv: src has %lld columns, cache %lld", static_cast<long long>(src.cols),
             static_cast<long long>(cache.cols));
    if (first_row < 0 || first_row + src.rows > cache.rows)
        fail("cpu backend: store_kv: rows [%lld, %lld) outside the cache's %lld rows",
             static_cast<long long>(first_row), static_cast<long long>(first_row + src.rows),
             static_cast<long long>(cache.rows));
    const std::int64_t n = src.cols;
    for (std::int64_t t = 0; t < src.rows; ++t) {
        const float* s = f32_row(src, t);
        std::uint8_t* d = row_ptr(cache, first_row + t);
        if (cache.type == DType::F32)
            std::memcpy(d, s, sizeof(float) * static_cast<std::size_t>(n));
        else if (cache.type == DType::F16)
            m_kernels->f32_to_f16(s, reinterpret_cast<fp16_t*>(d), n);
        else
            m_kernels->quantize_q8_0(s, d, n);
    }
}

void CpuBackend::attention(const Tensor& q, const Tensor& k_cache, const Tensor& v_cache, const StepPositions& pos,
                           const AttentionParams& p, const Tensor& out) {
    OpTimer timer(*this, kOpAttention);
    if (q.type != DType::F32 || out.type != DType::F32) fail("cpu backend: attention: q and out must be F32");
    const int first_pos = first_position(pos, q.rows, "attention");
    {
        std::int32_t kv_len;
        std::memcpy(&kv_len, static_cast<const std::uint8_t*>(pos.kv_len.buffer) + pos.kv_len.offset, sizeof kv_len);
        if (kv_len != first_pos + q.rows)
            fail("cpu backend: attention: kv_len %d is not the last position + 1 (%lld)", kv_len,
                 static_cast<long long>(first_pos + q.rows));
    }
    if (p.n_heads <= 0 || p.n_kv_heads <= 0 || p.head_dim <= 0 || p.n_heads % p.n_kv_heads != 0)
        fail("cpu backend: attention: bad head counts (%d query heads, %d kv heads)", p.n_heads, p.n_kv_heads);
    const std::int64_t q_cols = static_cast<std::int64_t>(p.n_heads) * p.head_dim;
    const std::int64_t kv_cols = static_cast<std::int64_t>(p.n_kv_heads) * p.head_dim;
    if (q.cols != q_cols || out.cols != q_cols || out.rows != q.rows)
        fail("cpu backend: attention: q/out must be [T, %lld]", static_cast<long long>(q_cols));
    for (const Tensor* c : {&k_cache, &v_cache}) {
        if (!is_cache_type(c->type))
            fail("cpu backend: attention: cache type %s is not F32, F16 or Q8_0",
                 std::string(to_string(c->type)).c_str());
        if (c->cols != kv_cols)
            fail("cpu backend: attention: cache has %lld columns, expected %lld", static_cast<long long>(c->cols),
                 static_cast<long long>(kv_cols));
        if (c->type == DType::Q8_0 && p.head_dim % 32 != 0)
            fail("cpu backend: attention: a Q8_0 cache needs head_dim %% 32 == 0 (got %d)", p.head_dim);
    }
    if (k_cache.type != v_cache.type) fail("cpu backend: attention: K and V caches must have the same type");
    if (first_pos < 0 || first_pos + q.rows > k_cache.rows || first_pos + q.rows > v_cache.rows)
        fail("cpu backend: attention: positions up to %lld exceed the cache",
             static_cast<long long>(first_pos + q.rows));
    const int group = p.n_heads / p.n_kv_heads;
    const float scale = p.scale != 0.0f ? p.scale : 1.0f / std::sqrt(static_cast<float>(p.head_dim));
    const std::size_t k_head = static_cast<std::size_t>(row_bytes(k_cache.type, p.head_dim));
    const std::size_t v_head = static_cast<std::size_t>(row_bytes(v_cache.type, p.head_dim));
    const std::size_t scratch = static_cast<std::size_t>(group) * static_cast<std::size_t>(first_pos + q.rows) +
                                8 * static_cast<std::size_t>(p.head_dim) + 16;
    for (int t = 0; t < m_pool.size(); ++t) thread_scratch(t, scratch);
    const std::int64_t n_tasks = q.rows * p.n_kv_heads;
    const int n_ctx = static_cast<int>(first_pos + q.rows);
    // Prompt steps: every query token reads the same cache rows, so convert the rows in use to
    // f32 once (in parallel) instead of once per token; generation reads each row once anyway.
    const std::uint8_t* k_base = row_ptr(k_cache, 0);
    const std::uint8_t* v_base = row_ptr(v_cache, 0);
    std::size_t k_stride = k_cache.row_stride, v_stride = v_cache.row_stride;
    std::size_t kh = k_head, vh = v_head;
    DType type = k_cache.type;
    if (q.rows > 1 && type != DType::F32) {
        const std::size_t floats = static_cast<std::size_t>(n_ctx) * static_cast<std::size_t>(kv_cols);
        if (m_kv_f32.size() < 2 * floats) m_kv_f32.resize(2 * floats);
        float* kf = m_kv_f32.data();
        float* vf = kf + floats;
        parallel_rows(n_ctx, kv_cols, [&](std::int64_t begin, std::int64_t end, int) {
            for (std::int64_t r = begin; r < end; ++r) {
                float* kd = kf + r * kv_cols;
                float* vd = vf + r * kv_cols;
                if (type == DType::F16) {
                    m_kernels->f16_to_f32(reinterpret_cast<const fp16_t*>(row_ptr(k_cache, r)), kd, kv_cols);
                    m_kernels->f16_to_f32(reinterpret_cast<const fp16_t*>(row_ptr(v_cache, r)), vd, kv_cols);
                } else {
                    dequantize_row(type, row_ptr(k_cache, r), kd, kv_cols);
                    dequantize_row(type, row_ptr(v_cache, r), vd, kv_cols);
                }
            }
        });
        k_base = reinterpret_cast<const std::uint8_t*>(kf);
        v_base = reinterpret_cast<const std::uint8_t*>(vf);
        k_stride = v_stride = sizeof(float) * static_cast<std::size_t>(kv_cols);
        kh = vh = sizeof(float) * static_cast<std::size_t>(p.head_dim);
        type = DType::F32;
    }
    const GemmFn gemm = m_kernels->weights[static_cast<int>(DType::F32)].gemm;
    if (q.rows > 1 && gemm && type == DType::F32) {
        attention_prompt(q, reinterpret_cast<const float*>(k_base), k_stride / sizeof(float),
                         reinterpret_cast<const float*>(v_base), v_stride / sizeof(float), first_pos, p, scale, out);
        return;
    }
    auto task = [&](std::int64_t i, int thread) {
        const std::int64_t t = i / p.n_kv_heads;
        const int g = static_cast<int>(i % p.n_kv_heads);
        const std::size_t head0 = static_cast<std::size_t>(g) * group * p.head_dim;
        m_kernels->attend(f32_row(q, t) + head0, group, p.head_dim, k_base + g * kh, k_stride, v_base + g * vh,
                          v_stride, type, static_cast<int>(first_pos + t + 1), scale,
                          m_scratch[static_cast<std::size_t>(thread)].data(), f32_row(out, t) + head0);
    };
    if (m_pool.size() == 1 || n_tasks == 1) {
        for (std::int64_t i = 0; i < n_tasks; ++i) task(i, 0);
    } else {
        m_pool.for_each_task(n_tasks, task);
    }
}

// Prompt attention as two matrix products per (tile of query tokens, KV head): scores = Q K^T for
// the tile's query rows (its tokens x the group's heads) against every cached position, a masked
// softmax per row, then out = S V. Both products run on the register-tiled F32 kernel, so each key
// and value row is loaded once per tile instead of once per query row; at depth 4096 that makes
// the prompt's attention about twice as fast.
void CpuBackend::attention_prompt(const Tensor& q, const float* k, std::size_t k_stride, const float* v,
                                  std::size_t v_stride, int first_pos, const AttentionParams& p, float scale,
                                  const Tensor& out) {
    const GemmFn gemm = m_kernels->weights[static_cast<int>(DType::F32)].gemm;
    const int hd = p.head_dim, group = p.n_heads / p.n_kv_heads;
    const int n_ctx = first_pos + static_cast<int>(q.rows);
    // V^T per KV head ([head_dim][n_ctx]): the second product wants value columns as rows.
    const std::size_t vt_floats = static_cast<std::size_t>(p.n_kv_heads) * hd * n_ctx;
    if (m_vt.size() < vt_floats) m_vt.resize(vt_floats);
    float* vt = m_vt.data();
    parallel_rows(static_cast<std::int64_t>(p.n_kv_heads) * hd, n_ctx, [&](std::int64_t begin, std::int64_t end, int) {
        for (std::int64_t r = begin; r < end; ++r) {  // r = g * hd + d: column g * hd + d of v
            float* dst = vt + r * n_ctx;
            for (int pos = 0; pos < n_ctx; ++pos) dst[pos] = v[static_cast<std::size_t>(pos) * v_stride + r];
        }
    });
    constexpr int kTileTokens = 8;  // 8 tokens x group rows of scores: ~1 MB at depth 4096 (L2)
    const std::int64_t n_tiles = (q.rows + kTileTokens - 1) / kTileTokens;
    const std::size_t q_stride = q.row_stride / sizeof(float), o_stride = out.row_stride / sizeof(float);
    auto task = [&](std::int64_t i, int thread) {
        const int g = static_cast<int>(i % p.n_kv_heads);
        const int t0 = static_cast<int>(i / p.n_kv_heads) * kTileTokens;
        const int t1 = std::min(static_cast<int>(q.rows), t0 + kTileTokens);
        const int rows = (t1 - t0) * group, n_pos = first_pos + t1;
        float* qs = thread_scratch(thread, static_cast<std::size_t>(rows) * (2 * hd + n_pos));
        float* scores = qs + static_cast<std::size_t>(rows) * hd;
        float* o = scores + static_cast<std::size_t>(rows) * n_pos;
        // The tile's query rows, contiguous: row (t - t0) * group + j is head g * group + j of token t.
        const float* qbase = reinterpret_cast<const float*>(static_cast<const std::uint8_t*>(q.buffer) + q.offset);
        for (int t = t0; t < t1; ++t)
            std::memcpy(qs + static_cast<std::size_t>(t - t0) * group * hd,
                        qbase + t * q_stride + static_cast<std::size_t>(g) * group * hd,
                        sizeof(float) * static_cast<std::size_t>(group) * hd);
        gemm(hd, k + static_cast<std::size_t>(g) * hd, k_stride * sizeof(float), n_pos, qs, sizeof(float) * hd, rows,
             scores, static_cast<std::size_t>(n_pos));
        for (int r = 0; r < rows; ++r)
            m_kernels->softmax_row(scores + static_cast<std::size_t>(r) * n_pos, first_pos + t0 + r / group + 1, n_pos,
                                   scale);
        gemm(n_pos, vt + static_cast<std::size_t>(g) * hd * n_ctx, sizeof(float) * n_ctx, hd, scores,
             sizeof(float) * n_pos, rows, o, static_cast<std::size_t>(hd));
        float* obase = reinterpret_cast<float*>(static_cast<std::uint8_t*>(out.buffer) + out.offset);
        for (int t = t0; t < t1; ++t)
            std::memcpy(obase + t * o_stride + static_cast<std::size_t>(g) * group * hd,
                        o + static_cast<std::size_t>(t - t0) * group * hd,
                        sizeof(float) * static_cast<std::size_t>(group) * hd);
    };
    const std::int64_t n_tasks = n_tiles * p.n_kv_heads;
    if (m_pool.size() == 1 || n_tasks == 1) {
        for (std::int64_t i = 0; i < n_tasks; ++i) task(i, 0);
    } else {
        m_pool.for_each_task(n_tasks, task);
    }
}

}  // namespace ponder::cpu
