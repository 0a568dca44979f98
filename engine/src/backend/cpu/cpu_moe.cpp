// cpu_moe.cpp: mixture-of-experts ops on the CPU: routing (top-k with groups), the expert matmul
// over rows grouped by expert, and the weighted sum of the chosen experts' outputs.
//
// matmul_id sorts the output rows by expert, so each chosen expert's weights are streamed once
// for all rows (tokens) that chose it, and experts nobody chose are never read. One pass of the
// thread pool covers every (expert, block of weight rows): generation (a few rows, one per chosen
// expert) splits each expert's rows across threads; prompts reuse each weight block from L1 for
// all of the expert's tokens, tile by tile.
#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/op_timer.h"
#include "backend/cpu/packed.h"

#include "quant/dequantize.h"
#include "util/error.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace ponder::cpu {

namespace {

std::uint8_t* row_ptr(const Tensor& t, std::int64_t row) {
    return static_cast<std::uint8_t*>(t.buffer) + t.offset + static_cast<std::size_t>(row) * t.row_stride;
}
float* f32_row(const Tensor& t, std::int64_t row) { return reinterpret_cast<float*>(row_ptr(t, row)); }

void require_f32(const Tensor& t, const char* op, const char* name) {
    if (t.empty() || t.type != DType::F32) fail("cpu backend: %s: %s must be an F32 tensor", op, name);
}

constexpr std::int64_t kTokenTile = 64;

}  // namespace

void CpuBackend::moe_route(const Tensor& logits, const Tensor& bias, const MoeRouting& p, const Tensor& ids,
                           const Tensor& weights) {
    OpTimer timer(*this, kOpOther);
    require_f32(logits, "moe_route", "logits");
    require_f32(weights, "moe_route", "weights");
    const int n = p.n_experts, k = p.n_used;
    if (n <= 0 || k <= 0 || k > n) fail("cpu backend: moe_route: %d of %d experts", k, n);
    if (p.n_groups <= 0 || n % p.n_groups != 0 || p.n_groups_used <= 0 || p.n_groups_used > p.n_groups ||
        k > p.n_groups_used * (n / p.n_groups))
        fail("cpu backend: moe_route: %d groups (%d used) do not fit %d experts with %d chosen", p.n_groups,
             p.n_groups_used, n, k);
    if (logits.cols != n)
        fail("cpu backend: moe_route: logits have %lld columns, expected %d", static_cast<long long>(logits.cols), n);
    if (!bias.empty() && (bias.type != DType::F32 || bias.cols != n || bias.rows != 1))
        fail("cpu backend: moe_route: bias must be F32 [1, %d]", n);
    if (ids.type != DType::I32 || ids.rows != logits.rows || ids.cols != k || weights.rows != logits.rows ||
        weights.cols != k)
        fail("cpu backend: moe_route: ids must be I32 and weights F32, both [%lld, %d]",
             static_cast<long long>(logits.rows), k);
    const float* b = bias.empty() ? nullptr : f32_row(bias, 0);
    const int per_group = n / p.n_groups;
    std::vector<float> prob(n), score(n), group_score(p.n_groups);
    std::vector<int> order(n), groups(p.n_groups);
    for (std::int64_t t = 0; t < logits.rows; ++t) {
        const float* l = f32_row(logits, t);
        if (p.sigmoid) {
            for (int e = 0; e < n; ++e) prob[e] = 1.0f / (1.0f + std::exp(-l[e]));
        } else {
            const float mx = *std::max_element(l, l + n);
            float sum = 0;
            for (int e = 0; e < n; ++e) sum += (prob[e] = std::exp(l[e] - mx));
            for (int e = 0; e < n; ++e) prob[e] /= sum;
        }
        for (int e = 0; e < n; ++e) score[e] = b ? prob[e] + b[e] : prob[e];
        if (p.n_groups > 1 && p.n_groups_used < p.n_groups) {
            // A group's score is the sum of its two best experts; experts outside the best
            // n_groups_used groups cannot be chosen.
            for (int g = 0; g < p.n_groups; ++g) {
                const float* s = score.data() + g * per_group;
                float best = -INFINITY, second = -INFINITY;
                for (int i = 0; i < per_group; ++i) {
                    if (s[i] > best)
                        second = best, best = s[i];
                    else if (s[i] > second)
                        second = s[i];
                }
                group_score[g] = per_group > 1 ? best + second : best;
            }
            std::iota(groups.begin(), groups.end(), 0);
            std::stable_sort(groups.begin(), groups.end(),
                             [&](int a, int c) { return group_score[a] > group_score[c]; });
            for (int r = p.n_groups_used; r < p.n_groups; ++r)
                std::fill(score.begin() + groups[r] * per_group, score.begin() + (groups[r] + 1) * per_group,
                          -INFINITY);
        }
        std::iota(order.begin(), order.end(), 0);
        std::partial_sort(order.begin(), order.begin() + k, order.end(),
                          [&](int a, int c) { return score[a] > score[c] || (score[a] == score[c] && a < c); });
        auto* id_out = reinterpret_cast<std::int32_t*>(row_ptr(ids, t));
        float* w_out = f32_row(weights, t);
        float sum = 0;
        for (int j = 0; j < k; ++j) {
            id_out[j] = order[j];
            w_out[j] = prob[order[j]];
            sum += w_out[j];
        }
        const float norm = p.normalize ? 1.0f / std::max(sum, 6.103515625e-5f) : 1.0f;
        for (int j = 0; j < k; ++j) w_out[j] = w_out[j] * norm * p.scale;
    }
}

void CpuBackend::moe_combine(const Tensor& y, const Tensor& weights, const Tensor& out) {
    OpTimer timer(*this, kOpOther);
    require_f32(y, "moe_combine", "y");
    require_f32(weights, "moe_combine", "weights");
    require_f32(out, "moe_combine", "out");
    const std::int64_t k = weights.cols;
    if (weights.rows != out.rows || y.rows != out.rows * k || y.cols != out.cols)
        fail("cpu backend: moe_combine: y [%lld, %lld], weights [%lld, %lld] and out [%lld, %lld] do not fit",
             static_cast<long long>(y.rows), static_cast<long long>(y.cols), static_cast<long long>(weights.rows),
             static_cast<long long>(k), static_cast<long long>(out.rows), static_cast<long long>(out.cols));
    parallel_rows(out.rows, out.cols * k, [&](std::int64_t begin, std::int64_t end, int) {
        for (std::int64_t t = begin; t < end; ++t) {
            const float* w = f32_row(weights, t);
            float* o = f32_row(out, t);
            const float* y0 = f32_row(y, t * k);
            for (std::int64_t i = 0; i < out.cols; ++i) o[i] = w[0] * y0[i];
            for (std::int64_t j = 1; j < k; ++j) {
                const float* yj = f32_row(y, t * k + j);
                for (std::int64_t i = 0; i < out.cols; ++i) o[i] += w[j] * yj[i];
            }
        }
    });
}

void CpuBackend::matmul_id(const Tensor& w, int n_experts, const Tensor& x, const Tensor& ids, const Tensor& out) {
    OpTimer timer(*this, kOpMatmul);
    require_f32(x, "matmul_id", "x");
    require_f32(out, "matmul_id", "out");
    if (w.empty() || n_experts <= 0 || w.rows % n_experts != 0)
        fail("cpu backend: matmul_id: %lld weight rows are not %d equal experts", static_cast<long long>(w.rows),
             n_experts);
    const std::int64_t R = w.rows / n_experts, n = w.cols;
    if (x.cols != n || out.cols != R || x.rows <= 0 || out.rows % x.rows != 0)
        fail("cpu backend: matmul_id: W %d x [%lld, %lld] . x [%lld, %lld] -> out [%lld, %lld] does not fit", n_experts,
             static_cast<long long>(R), static_cast<long long>(n), static_cast<long long>(x.rows),
             static_cast<long long>(x.cols), static_cast<long long>(out.rows), static_cast<long long>(out.cols));
    if (ids.type != DType::I32 || !ids.dense() || ids.rows * ids.cols != out.rows)
        fail("cpu backend: matmul_id: ids must be a dense I32 tensor of %lld values", static_cast<long long>(out.rows));
    if (!supports(BackendOp::MatMulId, w.type))
        fail("cpu backend: matmul_id: weight type %s is not supported", std::string(to_string(w.type)).c_str());
    const std::int64_t n_rows = out.rows, per_x = out.rows / x.rows;
    const auto* id = reinterpret_cast<const std::int32_t*>(row_ptr(ids, 0));
    // Rows sorted by expert (counting sort keeps each expert's rows in their original order).
    std::vector<std::int64_t> start(static_cast<std::size_t>(n_experts) + 1, 0),
        order(static_cast<std::size_t>(n_rows));
    for (std::int64_t i = 0; i < n_rows; ++i) {
        if (id[i] < 0 || id[i] >= n_experts)
            fail("cpu backend: matmul_id: expert id %d outside [0, %d)", id[i], n_experts);
        ++start[static_cast<std::size_t>(id[i]) + 1];
    }
    for (int e = 0; e < n_experts; ++e) start[e + 1] += start[e];
    {
        std::vector<std::int64_t> fill(start.begin(), start.end() - 1);
        for (std::int64_t i = 0; i < n_rows; ++i) order[static_cast<std::size_t>(fill[id[i]]++)] = i;
    }

    const WeightKernel& k = m_kernels->weights[static_cast<int>(w.type)];
    const bool fused = k.dot != nullptr;
    const DType act_type = fused ? k.act : DType::F32;
    // Activations of the sorted rows, contiguous per expert, in the kernel's format.
    const std::size_t act_stride = static_cast<std::size_t>(row_bytes(act_type, n));
    if (m_act.size() < act_stride * static_cast<std::size_t>(n_rows))
        m_act.resize(act_stride * static_cast<std::size_t>(n_rows));
    std::uint8_t* act = m_act.data();
    parallel_rows(n_rows, n, [&](std::int64_t begin, std::int64_t end, int) {
        for (std::int64_t j = begin; j < end; ++j) {
            const float* src = f32_row(x, order[static_cast<std::size_t>(j)] / per_x);
            std::uint8_t* dst = act + static_cast<std::size_t>(j) * act_stride;
            if (act_type == DType::F32)
                std::memcpy(dst, src, sizeof(float) * static_cast<std::size_t>(n));
            else if (act_type == DType::Q8_0)
                m_kernels->quantize_q8_0(src, dst, n);
            else
                m_kernels->quantize_q8_K(src, dst, n);
        }
    });
    // Results of the sorted rows, scattered to `out` at the end.
    if (m_moe_out.size() < static_cast<std::size_t>(n_rows * R)) m_moe_out.resize(static_cast<std::size_t>(n_rows * R));
    float* res = m_moe_out.data();

    // Tasks: (expert, block of its weight rows), for the experts that were chosen.
    const Packed* packed = packed_for(w);
    const bool use_packed = packed && R % kPackRows == 0;
    const std::int64_t threads = m_pool.size();
    struct Task {
        int expert;
        std::int64_t r0, r1;
    };
    std::vector<Task> tasks;
    for (int e = 0; e < n_experts; ++e) {
        const std::int64_t n_tok = start[e + 1] - start[e];
        if (n_tok == 0) continue;
        std::int64_t block = n_tok == 1 ? std::max<std::int64_t>(8, R / (threads * 8)) : 16;
        block = std::min((block + kPackRows - 1) / kPackRows * kPackRows, R);
        for (std::int64_t r0 = 0; r0 < R; r0 += block) tasks.push_back({e, r0, std::min(R, r0 + block)});
    }
    const bool tile_one = w.type != DType::Q8_0 && w.row_stride <= 1024;
    auto run = [&](std::int64_t ti, int thread) {
        const Task& task = tasks[static_cast<std::size_t>(ti)];
        const std::int64_t t_begin = start[task.expert], n_tok = start[task.expert + 1] - t_begin;
        const std::int64_t w0 = static_cast<std::int64_t>(task.expert) * R;  // first weight row of the expert
        float* o = res + t_begin * R;
        const std::uint8_t* a = act + static_cast<std::size_t>(t_begin) * act_stride;
        if (!fused) {
            // No fused kernel for this type in this table: dequantize each row once, dot in f32.
            float* row = thread_scratch(thread, static_cast<std::size_t>(n));
            for (std::int64_t r = task.r0; r < task.r1; ++r) {
                const std::uint8_t* src = row_ptr(w, w0 + r);
                if (w.type == DType::F32)
                    std::memcpy(row, src, sizeof(float) * static_cast<std::size_t>(n));
                else if (w.type == DType::F16)
                    m_kernels->f16_to_f32(reinterpret_cast<const fp16_t*>(src), row, n);
                else
                    dequantize_row(w.type, src, row, n);
                for (std::int64_t t = 0; t < n_tok; ++t)
                    o[t * R + r] = m_kernels->dot_f32(
                        row, reinterpret_cast<const float*>(a + static_cast<std::size_t>(t) * act_stride), n);
            }
            return;
        }
        for (std::int64_t t0 = 0; t0 < n_tok; t0 += kTokenTile) {
            const std::int64_t t1 = std::min(n_tok, t0 + kTokenTile);
            const std::uint8_t* at = a + static_cast<std::size_t>(t0) * act_stride;
            float* ot = o + t0 * R + task.r0;
            const int nr = static_cast<int>(task.r1 - task.r0), nc = static_cast<int>(t1 - t0);
            const std::int64_t g = w0 + task.r0;
            if (use_packed && g + nr <= packed->rows && nr % kPackRows == 0) {
                k.packed.gemm(n, packed->data + static_cast<std::size_t>(g / kPackRows) * packed->group_bytes,
                              packed->group_bytes, nr, at, act_stride, nc, ot, static_cast<std::size_t>(R));
            } else if (k.gemm && (nc > 1 || tile_one)) {
                k.gemm(n, row_ptr(w, g), w.row_stride, nr, at, act_stride, nc, ot, static_cast<std::size_t>(R));
            } else {
                for (std::int64_t r = 0; r < nr; ++r)
                    for (std::int64_t t = 0; t < nc; ++t)
                        k.dot(n, ot + t * R + r, row_ptr(w, g + r), at + static_cast<std::size_t>(t) * act_stride);
            }
        }
    };
    const std::int64_t n_tasks = static_cast<std::int64_t>(tasks.size());
    if (threads == 1 || n_tasks == 1 || n_rows * n * R < 16384) {
        for (std::int64_t i = 0; i < n_tasks; ++i) run(i, 0);
    } else {
        m_pool.for_each_task(n_tasks, run);
    }
    for (std::int64_t j = 0; j < n_rows; ++j)
        std::memcpy(f32_row(out, order[static_cast<std::size_t>(j)]), res + j * R,
                    sizeof(float) * static_cast<std::size_t>(R));
}

}  // namespace ponder::cpu
