// backend.h: the device boundary: tensors, device memory and the ops a llama/qwen2/qwen3/deepseek2
// step needs.
//
// The transformer is written once against `Backend`; CPU, Vulkan and CUDA implement it.
// Build: engine/src/backend/CMakeLists.txt defines the STATIC library `ponder_backend`
// (links ponder_quant, ponder_util, Threads); ponder_engine links it.
//
// Execution model: every op is QUEUED in call order. Results are visible to the host only after
// finish(). The CPU backend happens to execute eagerly, but callers must not rely on that: a GPU
// backend records the ops into one command buffer / graph and submits it in finish(). So:
//   - never read a download() destination before finish();
//   - host memory passed to upload() is copied at call time (may be reused at once);
//   - tensors are views; an op may read and write views of the same allocation as long as the
//     written rows don't overlap the rows read (except the documented in-place ops).
//
// Replay: no op takes a per-step value (token ids, positions, attended length) as a host
// argument. Those live in small I32 device tensors that the caller fills with upload() once per
// step and that the ops read when they execute. So a decode step of a given shape (same tensors,
// same row counts) is the same call sequence every time, and a GPU backend may record the ops
// between two finish() calls once and replay the recording whenever that sequence repeats. An
// op's host arguments (shapes, RopeParams, eps, scale) must therefore be the same each step.
//
// Capabilities: supports(op, type) says which ops a device can run on which weight / KV-cache
// types. The loader asks before it uploads anything and refuses a model whose tensors the device
// cannot take, naming them; an op called with a type it does not support throws ponder::Error.
//
// Layout: every tensor is a row-major matrix [rows, cols]. Activations are F32 with rows = tokens.
// Weights are [rows = output features, cols = input features] in any DType (GGUF ne[0] = cols).
#pragma once

#include "quant/types.h"

#include <ponder/engine.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace ponder {

// A typed view of backend memory. Cheap to copy; does not own anything. `buffer` is the
// backend's handle for one allocation (on the CPU: the host address of its first byte).
struct Tensor {
    void* buffer = nullptr;
    std::size_t offset = 0;  // bytes from the start of the allocation to row 0
    DType type = DType::F32;
    std::int64_t rows = 0;
    std::int64_t cols = 0;
    std::size_t row_stride = 0;  // bytes between consecutive rows (row_bytes(type, cols) when dense)

    bool empty() const { return buffer == nullptr; }
    std::size_t row_size() const;  // row_bytes(type, cols)
    bool dense() const { return row_stride == row_size(); }

    // Rows [first, first + count) of this tensor (same type, cols and stride). Throws on range errors.
    Tensor slice_rows(std::int64_t first, std::int64_t count) const;
    // The same bytes seen as [rows, cols] (dense tensors only; element count must match),
    // e.g. q as [tokens * heads, head_dim] for per-head RMSNorm. Throws otherwise.
    Tensor reshape(std::int64_t rows, std::int64_t cols) const;
    // Columns [first, first + count) of every row (same rows and stride; a strided view), e.g. the
    // non-rotated part of each head of q seen as [tokens * heads, head_dim]. Column bounds must
    // fall on block boundaries of the type. Throws on range errors.
    Tensor slice_cols(std::int64_t first, std::int64_t count) const;
};

// RoPE for `rope()`. Rotates dims [offset, offset + n_rot) of each head, the rest untouched:
// pair (i, i + n_rot/2) when neox, else (2i, 2i + 1), counted from `offset`.
// theta_i = pos * freq_scale * freq_base^(-2i / n_rot) / freq_factors[i].
// YaRN (ext_factor > 0): with e_i = pos * freq_base^(-2i / n_rot) / freq_factors[i] (unscaled) and
// ramp_i = ext_factor * (1 - clamp((i - yarn_low) / max(0.001, yarn_high - yarn_low), 0, 1)),
// theta_i = freq_scale * e_i * (1 - ramp_i) + e_i * ramp_i. cos and sin are multiplied by mscale.
struct RopeParams {
    int n_heads = 0;
    int head_dim = 0;
    int n_rot = 0;   // rotated dims per head (<= head_dim - offset, even); 0 = head_dim
    int offset = 0;  // first rotated dim of each head (deepseek2: the rope part is last)
    float freq_base = 10000.0f;
    float freq_scale = 1.0f;                  // linear position scaling (1 = none)
    bool neox = false;                        // qwen2/qwen3: true; llama, deepseek2: false
    Tensor freq_factors;                      // optional F32 [1, n_rot / 2] (Llama 3.1 `rope_freqs`)
    float ext_factor = 0.0f;                  // YaRN extrapolation mix (0 = off)
    float yarn_low = 0.0f, yarn_high = 0.0f;  // YaRN correction dims (pair indices)
    float mscale = 1.0f;                      // magnitude of cos/sin (YaRN attention factor)
};

// Expert selection for a mixture-of-experts layer (`moe_route()`), as DeepSeek V2/V3 route:
// probabilities p = softmax(logits) or sigmoid(logits); selection scores s = p + bias (bias
// optional); with groups, the experts form n_groups equal consecutive groups, each scored by the
// sum of its two best s, and only the n_groups_used best groups compete; the n_used experts with
// the largest s win (ties: lower id). Their weights are p (unbiased), divided by their sum when
// normalize (sum clamped below at 6.1e-5), times scale.
struct MoeRouting {
    int n_experts = 0;
    int n_used = 0;
    bool sigmoid = false;
    int n_groups = 1;
    int n_groups_used = 1;
    bool normalize = false;
    float scale = 1.0f;
};

// Shape of causal grouped-query attention over a KV cache.
struct AttentionParams {
    int n_heads = 0;     // query heads
    int n_kv_heads = 0;  // n_heads % n_kv_heads == 0; query head h uses kv head h / (n_heads / n_kv_heads)
    int head_dim = 0;
    float scale = 0.0f;  // 0 = 1 / sqrt(head_dim)
};

// The positions of one step's rows in the sequence, as device tensors the ops read at execution
// (uploaded once per step; see "Replay" above). Rows are consecutive: row t is at position
// pos[0] + t, which is also the KV cache row it writes and the last cache row it attends to.
struct StepPositions {
    Tensor pos;     // I32 [T, 1]: pos[t] = pos[0] + t
    Tensor kv_len;  // I32 [1, 1]: cache rows the step attends to, pos[T - 1] + 1
    // The first T rows of both (the engine allocates them for its largest batch).
    StepPositions first(std::int64_t rows) const { return {pos.slice_rows(0, rows), kv_len}; }
};

// The ops of Backend, for capability queries. RopeScaled is rope() with YaRN (ext_factor, mscale)
// or a non-zero offset: a backend may run plain RoPE and not those.
enum class BackendOp {
    GetRows,
    RmsNorm,
    MatMul,
    Add,
    Rope,
    RopeScaled,
    StoreKv,
    Attention,
    Swiglu,
    Scale,
    Copy,
    MoeRoute,
    MatMulId,
    MoeCombine
};
std::string_view to_string(BackendOp op);  // "get_rows", "matmul", ...

struct BackendOptions {
    int threads = 0;  // CPU worker threads; 0 = one per physical core
    // CPU: copy weights into a row-interleaved layout at load where the kernels have one (about
    // 2x faster matmuls; the copy replaces the file's pages in resident memory). Off: use the
    // mapped file as is (tests compare the two; PONDER_CPU_NO_PACK=1 also turns it off).
    bool repack_weights = true;
    bool background_threads = false;  // CPU: workers at a lower OS priority (LoadOptions::background_threads)
};

// The most candidates top_k() selects in one call (the sampler's top-k is 40 by default; greedy is 1).
inline constexpr int kMaxTopK = 256;

// Everything a device must do to run llama/qwen2/qwen3/deepseek2 inference. Not thread-safe: one thread at
// a time (sessions sharing a model serialise their calls; the CPU backend has its own workers).
class Backend {
public:
    virtual ~Backend() = default;

    virtual BackendKind kind() const = 0;
    virtual std::string_view name() const = 0;    // "cpu", "vulkan", "cuda"
    virtual std::string device_name() const = 0;  // e.g. "AMD EPYC (2 threads, AVX-512)"
    // Can this device run `op` on `type`? type is the weight type for MatMul and GetRows (the
    // table), the cache type for StoreKv and Attention (K and V have the same type), and the
    // element type of the tensors for the others (F32 for every op but Copy, which also takes
    // F16). Asked by the loader before any weight is uploaded (model/capabilities.h).
    virtual bool supports(BackendOp op, DType type) const = 0;

    // What the device can stream from its memory right now, for benchmarks that report an
    // effective bandwidth as a share of it: a short probe (tens of ms). 0 when the backend has
    // no probe. `what` says what was measured, e.g. "2 threads of this machine".
    struct BandwidthProbe {
        double gb_per_s = 0;
        std::string what;
    };
    virtual BandwidthProbe measure_read_bandwidth() { return {}; }

    // ---- memory -----------------------------------------------------------------------------
    // A new dense [rows, cols] tensor in device memory, contents unspecified (zeroed on the CPU).
    // Owned by the backend until release() or the backend's destruction.
    virtual Tensor alloc(DType type, std::int64_t rows, std::int64_t cols) = 0;
    virtual void release(const Tensor& t) = 0;  // t must be what alloc() returned

    // Read-only weights from host memory that outlives the backend (the memory-mapped GGUF).
    // CPU: adopts the pointer, no copy (resident memory stays ~ file size). GPU: copies to the
    // device. `data` holds rows * row_bytes(type, cols) bytes; rows are dense.
    virtual Tensor map_weights(const void* data, DType type, std::int64_t rows, std::int64_t cols) = 0;

    // Queued copies between host and a (dense or strided) tensor; bytes = rows * row_size().
    // upload() copies src at call time; download() fills dst by the time finish() returns.
    virtual void upload(const Tensor& dst, const void* src, std::size_t bytes) = 0;
    virtual void download(const Tensor& src, void* dst, std::size_t bytes) = 0;

    // ---- ops (all queued; activations F32 unless stated) --------------------------------------
    // out[t] = dequantized table row ids[t]. table: any supported DType [vocab, dim]; ids: I32
    // [n, 1] device tensor; out [n, dim]. The caller checks ids against the vocabulary before it
    // uploads them; a backend never reads outside the table (the CPU throws ponder::Error, a GPU
    // clamps).
    virtual void get_rows(const Tensor& table, const Tensor& ids, const Tensor& out) = 0;

    // out[r] = x[r] / sqrt(mean(x[r]^2) + eps) * weight. weight: F32 [1, cols]. out may equal x.
    virtual void rms_norm(const Tensor& x, const Tensor& weight, float eps, const Tensor& out) = 0;

    // out[t] = W . x[t]  (out [T, W.rows], x [T, W.cols], W any supported DType). out must not
    // alias x. Many tokens (prompt) and one token (generation) both go through here.
    virtual void matmul(const Tensor& w, const Tensor& x, const Tensor& out) = 0;

    // out = a + b, with b either the same shape or a single row broadcast over a's rows (bias).
    // out may equal a.
    virtual void add(const Tensor& a, const Tensor& b, const Tensor& out) = 0;

    // In place on x [T, n_heads * head_dim]; row t has position pos.pos[t] (pos: T rows).
    virtual void rope(const Tensor& x, const StepPositions& pos, const RopeParams& p) = 0;

    // Writes src [T, n_kv_heads * head_dim] (F32) into cache rows pos.pos[0] .. pos.pos[0] + T - 1,
    // converting to the cache's type (F16, Q8_0 or F32; Q8_0 needs cols % 32 == 0).
    virtual void store_kv(const Tensor& src, const Tensor& cache, const StepPositions& pos) = 0;

    // Causal GQA: q [T, n_heads * head_dim], row t at position pos.pos[t], attends to cache rows
    // [0, pos.pos[t]] of k_cache / v_cache ([ctx, n_kv_heads * head_dim], F16/Q8_0/F32, already
    // holding this step's keys/values); pos.kv_len rows in all. The caches are passed whole (all
    // ctx rows), so the call is the same whatever the length. softmax(scale * q.k) in f32; out
    // [T, n_heads * head_dim]. v_cache may be k_cache itself (values = keys): MLA's absorbed
    // attention attends over the latent rows [latent | rope part] and uses the first kv_lora
    // columns of each output head.
    virtual void attention(const Tensor& q, const Tensor& k_cache, const Tensor& v_cache, const StepPositions& pos,
                           const AttentionParams& p, const Tensor& out) = 0;

    // out = silu(gate) * up, element-wise (all [T, n_ff]). out may equal gate or up.
    virtual void swiglu(const Tensor& gate, const Tensor& up, const Tensor& out) = 0;

    // out = x * s (e.g. embedding scaling); out may equal x.
    virtual void scale(const Tensor& x, float s, const Tensor& out) = 0;

    // Copies src into dst (same type and shape, F32/F16 only); e.g. to gather the last row.
    virtual void copy(const Tensor& src, const Tensor& dst) = 0;

    // ---- selection (generation) ---------------------------------------------------------------
    // The k = ids.cols best entries of logits (F32 [1, n]; 1 <= k <= min(n, kMaxTopK)), best first:
    // the larger value first, equal values by the lower index, the sampler's order, so every
    // backend selects exactly what host-side selection would. ids: I32 [1, k]; values: F32 [1, k]
    // (the logits themselves, bit for bit). Generation downloads these instead of the whole row
    // when the sampler needs no more than the k best (greedy: k = 1). Logits must not be NaN.
    virtual void top_k(const Tensor& logits, const Tensor& ids, const Tensor& values) = 0;

    // ---- mixture of experts (deepseek2) ---------------------------------------------------------
    // Routing: logits [T, n_experts] (router output, F32), bias empty or F32 [1, n_experts].
    // Writes ids (I32 [T, n_used], the chosen experts) and weights (F32 [T, n_used]); see MoeRouting.
    virtual void moe_route(const Tensor& logits, const Tensor& bias, const MoeRouting& p, const Tensor& ids,
                           const Tensor& weights) = 0;

    // Per-row choice of matrix: w stacks n_experts matrices of R = w.rows / n_experts rows each
    // (expert e = rows [e * R, (e + 1) * R), any weight type). ids: I32, dense, out.rows values.
    // out[i] = W_ids[i] . x[i / (out.rows / x.rows)]: x.rows must divide out.rows, so x may hold
    // one row per token for k experts each (out [T * k, R]) or one row per output row.
    // Only the chosen experts' weights are read, each once for all the rows that chose it.
    // An id outside [0, n_experts) throws (at the latest in finish()). out must not alias x.
    virtual void matmul_id(const Tensor& w, int n_experts, const Tensor& x, const Tensor& ids, const Tensor& out) = 0;

    // out[t] = sum_j weights[t, j] * y[t * k + j] with k = weights.cols (y [T * k, n], out [T, n]).
    virtual void moe_combine(const Tensor& y, const Tensor& weights, const Tensor& out) = 0;

    // Submits everything queued and waits for it. Errors of queued work surface here.
    virtual void finish() = 0;

    // Drops everything queued and not yet submitted, after an op failed part-way through a
    // step: those commands must not run with a later step, nor their readbacks write into host
    // memory that may be gone by then. Never throws. (The CPU backend runs each op at once:
    // nothing is queued.)
    virtual void discard() noexcept {}
};

// Fills the step tensors for `rows` consecutive positions from first_pos (queued uploads; the
// host values are copied at call time).
void upload_positions(Backend& backend, const StepPositions& pos, int first_pos, std::int64_t rows);

// The k best of values[0, n) in top_k()'s order, written to ids and out (k each): the host-side
// selection every backend's top_k() must match (the CPU backend runs it).
void select_top_k(const float* values, std::int64_t n, int k, std::int32_t* ids, float* out);

// Creates the backend `choose_backend(kind, device_index)` names (Auto resolves as documented
// there). Throws ponder::Error when that backend isn't in this build or the device is unusable.
std::unique_ptr<Backend> create_backend(BackendKind kind, int device_index = 0, const BackendOptions& options = {});

}  // namespace ponder
