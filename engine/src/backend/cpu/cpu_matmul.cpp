// cpu_matmul.cpp: out[t] = W . x[t] on the CPU: fused quantized dot kernels, or dequantized rows.
//
// Generation (1 token) is memory-bound: rows are split across threads in small chunks handed out
// dynamically, and each weight byte is read once. Prompt processing is compute-bound: a task owns
// a block of weight rows and runs it against all tokens in cache-sized token tiles, so each weight
// block is loaded from memory once and reused from L1 for every token.
#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/op_timer.h"
#include "backend/cpu/packed.h"

#include "quant/dequantize.h"
#include "util/error.h"

#include <algorithm>
#include <cstring>

namespace ponder::cpu {

namespace {

std::uint8_t* row_ptr(const Tensor& t, std::int64_t row) {
    return static_cast<std::uint8_t*>(t.buffer) + t.offset + static_cast<std::size_t>(row) * t.row_stride;
}
float* f32_row(const Tensor& t, std::int64_t row) { return reinterpret_cast<float*>(row_ptr(t, row)); }

constexpr std::int64_t kTokenTile = 64;  // activations of 64 tokens stay in L2 across a row block

}  // namespace

void CpuBackend::matmul(const Tensor& w, const Tensor& x, const Tensor& out) {
    OpTimer timer(*this, kOpMatmul);
    if (w.empty() || x.empty() || out.empty()) fail("cpu backend: matmul: empty tensor");
    if (x.type != DType::F32 || out.type != DType::F32) fail("cpu backend: matmul: x and out must be F32");
    if (x.cols != w.cols || out.cols != w.rows || out.rows != x.rows)
        fail("cpu backend: matmul: W [%lld, %lld] . x [%lld, %lld] -> out [%lld, %lld] does not fit",
             static_cast<long long>(w.rows), static_cast<long long>(w.cols), static_cast<long long>(x.rows),
             static_cast<long long>(x.cols), static_cast<long long>(out.rows), static_cast<long long>(out.cols));
    if (!supports(BackendOp::MatMul, w.type))
        fail("cpu backend: matmul: weight type %s is not supported", std::string(to_string(w.type)).c_str());
    if (x.rows == 0) return;
    const WeightKernel& k = m_kernels->weights[static_cast<int>(w.type)];
    // Plain float weights with several tokens and no tiled kernel (the scalar table): converting
    // each row once and reusing it beats converting it again inside every dot.
    const bool float_weights = k.act == DType::F32;
    if (k.dot && (x.rows == 1 || !float_weights || k.gemm))
        matmul_fused(w, x, out);
    else
        matmul_dequant(w, x, out);
}

void CpuBackend::matmul_fused(const Tensor& w, const Tensor& x, const Tensor& out) {
    const WeightKernel& k = m_kernels->weights[static_cast<int>(w.type)];
    const std::int64_t n = w.cols, n_rows = w.rows, n_tok = x.rows;

    // Activations in the kernel's format, one row per token.
    const std::uint8_t* act = nullptr;
    std::size_t act_stride = 0;
    if (k.act == DType::F32) {
        act = row_ptr(x, 0);
        act_stride = x.row_stride;
    } else {
        act_stride = static_cast<std::size_t>(row_bytes(k.act, n));
        const std::size_t need = act_stride * static_cast<std::size_t>(n_tok);
        if (m_act.size() < need) m_act.resize(need);
        auto quantize = k.act == DType::Q8_0 ? m_kernels->quantize_q8_0 : m_kernels->quantize_q8_K;
        std::uint8_t* dst = m_act.data();
        parallel_rows(n_tok, n, [&](std::int64_t begin, std::int64_t end, int) {
            for (std::int64_t t = begin; t < end; ++t) quantize(f32_row(x, t), dst + t * act_stride, n);
        });
        act = m_act.data();
    }

    // Row blocks: small enough for dynamic balancing across threads, large enough that handing a
    // block out costs nothing next to reading it.
    const std::int64_t threads = m_pool.size();
    std::int64_t block = n_tok == 1 ? std::max<std::int64_t>(8, n_rows / (threads * 16)) : 16;
    block = (block + kPackRows - 1) / kPackRows * kPackRows;  // whole interleaved groups
    block = std::min(block, n_rows);
    // Rows [0, packed_rows) run on the interleaved copy, the rest (fewer than kPackRows) as filed.
    const Packed* packed = packed_for(w);
    const std::int64_t packed_rows = packed ? std::min(packed->rows, n_rows / kPackRows * kPackRows) : 0;
    const std::int64_t n_blocks = (n_rows + block - 1) / block;
    const VecDotFn dot = k.dot;
    // One token uses the tiled form where the format's table entry says it pays (kernels.h).
    const bool tile_one = w.row_stride <= k.gemm_one_token_row_bytes;
    const GemmFn gemm = n_tok > 1 || tile_one ? k.gemm : nullptr;
    const std::size_t out_stride = out.row_stride / sizeof(float);
    auto run_block = [&](std::int64_t b, int) {
        std::int64_t r0 = b * block;
        const std::int64_t r1 = std::min(n_rows, r0 + block);
        if (r0 < packed_rows) {
            const std::int64_t p1 = std::min(r1, packed_rows);
            for (std::int64_t t0 = 0; t0 < n_tok; t0 += kTokenTile) {
                const std::int64_t t1 = std::min(n_tok, t0 + kTokenTile);
                k.packed.gemm(n, packed->data + static_cast<std::size_t>(r0 / kPackRows) * packed->group_bytes,
                              packed->group_bytes, static_cast<int>(p1 - r0), act + t0 * act_stride, act_stride,
                              static_cast<int>(t1 - t0), f32_row(out, t0) + r0, out_stride);
            }
            r0 = p1;
        }
        for (std::int64_t t0 = 0; t0 < n_tok && r0 < r1; t0 += kTokenTile) {
            const std::int64_t t1 = std::min(n_tok, t0 + kTokenTile);
            if (gemm) {
                gemm(n, row_ptr(w, r0), w.row_stride, static_cast<int>(r1 - r0), act + t0 * act_stride, act_stride,
                     static_cast<int>(t1 - t0), f32_row(out, t0) + r0, out_stride);
                continue;
            }
            for (std::int64_t r = r0; r < r1; ++r) {
                const std::uint8_t* wr = row_ptr(w, r);
                for (std::int64_t t = t0; t < t1; ++t) dot(n, f32_row(out, t) + r, wr, act + t * act_stride);
            }
        }
    };
    if (threads == 1 || n_rows * n * n_tok < 16384) {
        for (std::int64_t b = 0; b < n_blocks; ++b) run_block(b, 0);
    } else {
        m_pool.for_each_task(n_blocks, run_block);
    }
}

void CpuBackend::matmul_dequant(const Tensor& w, const Tensor& x, const Tensor& out) {
    const std::int64_t n = w.cols, n_rows = w.rows, n_tok = x.rows;
    const std::int64_t block = std::min<std::int64_t>(n_tok == 1 ? 8 : 16, n_rows);
    const std::int64_t n_blocks = (n_rows + block - 1) / block;
    const KernelSet& ks = *m_kernels;
    auto run_block = [&](std::int64_t b, int thread) {
        const std::int64_t r0 = b * block, r1 = std::min(n_rows, r0 + block);
        float* rows = thread_scratch(thread, static_cast<std::size_t>(block * n));
        for (std::int64_t r = r0; r < r1; ++r) {
            float* dst = rows + (r - r0) * n;
            const std::uint8_t* src = row_ptr(w, r);
            if (w.type == DType::F32)
                std::memcpy(dst, src, sizeof(float) * static_cast<std::size_t>(n));
            else if (w.type == DType::F16)
                ks.f16_to_f32(reinterpret_cast<const fp16_t*>(src), dst, n);
            else
                dequantize_row(w.type, src, dst, n);
        }
        for (std::int64_t t0 = 0; t0 < n_tok; t0 += kTokenTile) {
            const std::int64_t t1 = std::min(n_tok, t0 + kTokenTile);
            for (std::int64_t r = r0; r < r1; ++r) {
                const float* wr = rows + (r - r0) * n;
                std::int64_t t = t0;
                for (; t + 4 <= t1; t += 4) {
                    const float* xs[4] = {f32_row(x, t), f32_row(x, t + 1), f32_row(x, t + 2), f32_row(x, t + 3)};
                    float s[4];
                    ks.dot_f32_x4(wr, xs, s, n);
                    for (int j = 0; j < 4; ++j) f32_row(out, t + j)[r] = s[j];
                }
                for (; t < t1; ++t) f32_row(out, t)[r] = ks.dot_f32(wr, f32_row(x, t), n);
            }
        }
    };
    if (m_pool.size() == 1 || n_rows * n * n_tok < 16384) {
        for (std::int64_t b = 0; b < n_blocks; ++b) run_block(b, 0);
    } else {
        m_pool.for_each_task(n_blocks, run_block);
    }
}

}  // namespace ponder::cpu
