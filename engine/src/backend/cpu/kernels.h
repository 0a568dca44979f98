// kernels.h: the CPU backend's per-ISA kernel tables (scalar, AVX2, AVX-512) and their selection.
//
// Each ISA lives in its own translation unit compiled with its own flags (-mavx2 -mfma -mf16c,
// ...); the table for the running CPU is picked at runtime from CPUID, never with -march=native.
#pragma once

#include "quant/blocks.h"
#include "quant/types.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ponder::cpu {

// *s = dot(weight row, activation row) over n elements. `w` is one weight row in its DType,
// `x` one activation row in the kernel's activation type (F32, Q8_0 or Q8_K).
using VecDotFn = void (*)(std::int64_t n, float* s, const void* w, const void* x);

// Many rows x many tokens at once (prompt processing): out[c * out_stride + r] = dot(weight row r,
// activation row c) for r < nr, c < nc. Rows are `w_stride` bytes apart, activation rows
// `x_stride` bytes. Unpacks each weight block once for several tokens and keeps a tile of
// accumulators in registers.
using GemmFn = void (*)(std::int64_t n, const void* w, std::size_t w_stride, int nr, const void* x,
                        std::size_t x_stride, int nc, float* out, std::size_t out_stride);

// Plain aggregates without default member initialisers, created with `{}`: a non-trivial
// implicit constructor would be emitted as a weak symbol by every ISA's translation unit, and the
// linker could keep the AVX-512 copy for the portable code (SIGILL on older CPUs).
// A row-interleaved layout (packed.h) that the backend builds at load when the table has one.
struct PackedKernel {
    std::size_t block_bytes;  // bytes of one group of kPackRows rows per block of the type; 0 = none
    // Packs kPackRows rows (src row r at src + r * src_stride) of `cols` columns into dst.
    void (*pack)(const void* src, std::size_t src_stride, std::int64_t cols, void* dst);
    // As GemmFn on packed groups: w is the first group, w_stride the bytes per group, nr a
    // multiple of kPackRows; one token (generation) and many (prompt) both go through it.
    GemmFn gemm;
};

struct WeightKernel {
    DType act;            // what activations are converted to before dot (zero = F32)
    VecDotFn dot;         // nullptr: no fused kernel; matmul dequantizes rows to f32 instead
    GemmFn gemm;          // optional tiled form of `dot` for several tokens
    PackedKernel packed;  // optional interleaved form (same activation type)
    // A single token also goes through `gemm` when a weight row has at most this many bytes
    // (0: never): see kGemmOneTokenRowBytes.
    std::size_t gemm_one_token_row_bytes;
};

// The tiled form also serves a single token for most formats: it runs several weight rows
// against the one activation row, so each activation block (and its scale) is loaded once per row
// group instead of once per row (the AVX2 table keeps row-by-row dots inside its gemm). Measured
// (backend_bench, 1 thread, noisy shared machine): a gain on rows up to ~1 KB (Q5_0 [4864 x 896]:
// 12.5 -> 17-18 GB/s in one session, 11 -> 12.5 in a busier one), a loss on longer rows and on
// Q8_0, which streams faster row by row (its table entry sets 0).
inline constexpr std::size_t kGemmOneTokenRowBytes = 1024;

inline constexpr int kDTypeSlots = 40;

struct KernelSet {
    const char* name;  // "scalar", "avx2", "avx512"
    WeightKernel weights[kDTypeSlots];

    // Activation quantizers (block layouts from quant/blocks.h). n multiple of 32 / 256.
    void (*quantize_q8_0)(const float* x, void* y, std::int64_t n);
    void (*quantize_q8_K)(const float* x, void* y, std::int64_t n);

    float (*dot_f32)(const float* a, const float* b, std::int64_t n);
    // out[j] = dot(w, x[j]) for j < 4: one weight row against four activation rows (the row is
    // loaded once; used by prompt processing on dequantized rows).
    void (*dot_f32_x4)(const float* w, const float* const x[4], float out[4], std::int64_t n);
    void (*f16_to_f32)(const fp16_t* x, float* y, std::int64_t n);
    void (*f32_to_f16)(const float* x, fp16_t* y, std::int64_t n);
    // out[i] = silu(g[i]) * u[i]
    void (*swiglu)(const float* g, const float* u, float* out, std::int64_t n);

    // Attention of `group` query heads that share one KV head, for one query row:
    //   q [group][head_dim], keys/values: row p at k + p * k_stride bytes (type cache_type:
    //   F32, F16 or Q8_0), p < n_pos. scratch holds group * n_pos + 8 * head_dim floats.
    //   out [group][head_dim] = softmax(scale * q k^T) v, in f32.
    void (*attend)(const float* q, int group, int head_dim, const void* k, std::size_t k_stride, const void* v,
                   std::size_t v_stride, DType cache_type, int n_pos, float scale, float* scratch, float* out);

    // One attention row in place: x[i] = softmax(scale * x[i]) over i < n_valid, and 0 for
    // n_valid <= i < n (the causally masked positions of a prompt tile).
    void (*softmax_row)(float* x, int n_valid, int n, float scale);
};

const KernelSet& scalar_kernels();
const KernelSet* avx2_kernels();    // nullptr when not built for this architecture
const KernelSet* avx512_kernels();  // AVX-512 F/BW/VL + VNNI; nullptr when not built

// The fastest table this CPU can run.
const KernelSet& best_kernels();
// Every table this CPU can run, scalar first (tests compare each against the reference).
std::vector<const KernelSet*> usable_kernel_sets();
// Looks a usable table up by name ("scalar", "avx2", "avx512"); nullptr when not usable here.
const KernelSet* find_kernel_set(const char* name);

}  // namespace ponder::cpu
