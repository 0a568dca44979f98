// cpu_backend.h: the CPU implementation of Backend (threads + runtime-dispatched SIMD kernels).
#pragma once

#include "backend/backend.h"
#include "backend/cpu/kernels.h"
#include "backend/cpu/thread_pool.h"

#include <unordered_map>
#include <vector>

namespace ponder::cpu {

// Executes every op eagerly on the calling thread plus its pool, so finish() only has to
// report; weights mapped with map_weights() are used in place (zero copy), except the types whose
// kernel table has an interleaved layout: those are repacked once at map time (packed.h), and the
// copy takes the place of the file's pages in resident memory.
class CpuBackend final : public Backend {
public:
    // kernels: nullptr = best for this CPU (tests pass each usable table in turn).
    explicit CpuBackend(const BackendOptions& options = {}, const KernelSet* kernels = nullptr);
    ~CpuBackend() override;

    BackendKind kind() const override { return BackendKind::Cpu; }
    std::string_view name() const override { return "cpu"; }
    std::string device_name() const override;
    bool supports(BackendOp op, DType type) const override;
    BandwidthProbe measure_read_bandwidth() override;
    const KernelSet& kernels() const { return *m_kernels; }
    int threads() const { return m_pool.size(); }

    Tensor alloc(DType type, std::int64_t rows, std::int64_t cols) override;
    void release(const Tensor& t) override;
    Tensor map_weights(const void* data, DType type, std::int64_t rows, std::int64_t cols) override;
    void upload(const Tensor& dst, const void* src, std::size_t bytes) override;
    void download(const Tensor& src, void* dst, std::size_t bytes) override;

    void get_rows(const Tensor& table, const Tensor& ids, const Tensor& out) override;
    void rms_norm(const Tensor& x, const Tensor& weight, float eps, const Tensor& out) override;
    void matmul(const Tensor& w, const Tensor& x, const Tensor& out) override;
    void add(const Tensor& a, const Tensor& b, const Tensor& out) override;
    void rope(const Tensor& x, const StepPositions& pos, const RopeParams& p) override;
    void store_kv(const Tensor& src, const Tensor& cache, const StepPositions& pos) override;
    void attention(const Tensor& q, const Tensor& k_cache, const Tensor& v_cache, const StepPositions& pos,
                   const AttentionParams& p, const Tensor& out) override;
    void swiglu(const Tensor& gate, const Tensor& up, const Tensor& out) override;
    void scale(const Tensor& x, float s, const Tensor& out) override;
    void copy(const Tensor& src, const Tensor& dst) override;
    void top_k(const Tensor& logits, const Tensor& ids, const Tensor& values) override;
    void moe_route(const Tensor& logits, const Tensor& bias, const MoeRouting& p, const Tensor& ids,
                   const Tensor& weights) override;
    void matmul_id(const Tensor& w, int n_experts, const Tensor& x, const Tensor& ids, const Tensor& out) override;
    void moe_combine(const Tensor& y, const Tensor& weights, const Tensor& out) override;
    void finish() override {}

private:
    float* thread_scratch(int thread, std::size_t floats);
    // pos.pos[0] for an op over `rows` rows, after checking the step tensors (I32, consecutive,
    // kv_len = last position + 1). The values are read now: the CPU executes in call order.
    static int first_position(const StepPositions& pos, std::int64_t rows, const char* op);
    void matmul_fused(const Tensor& w, const Tensor& x, const Tensor& out);
    void matmul_dequant(const Tensor& w, const Tensor& x, const Tensor& out);
    // attention() for many query rows over f32 keys/values (row strides in floats).
    void attention_prompt(const Tensor& q, const float* k, std::size_t k_stride, const float* v, std::size_t v_stride,
                          int first_pos, const AttentionParams& p, float scale, const Tensor& out);
    // Runs fn over [0, n) in chunks on the pool, or inline when the work is small.
    void parallel_rows(std::int64_t n, std::int64_t work_per_row,
                       const std::function<void(std::int64_t begin, std::int64_t end, int thread)>& fn);

    const KernelSet* m_kernels;
    ThreadPool m_pool;
    std::unordered_map<void*, std::size_t> m_allocations;
    // Interleaved copies of mapped weights (packed.h), keyed by the mapped address. The Tensor
    // keeps pointing at the file's layout (get_rows, row views); matmul of a whole weight
    // tensor uses the copy for its first rows / kPackRows * kPackRows rows.
    struct Packed {
        std::uint8_t* data;
        std::int64_t rows;        // packed rows (multiple of kPackRows)
        std::size_t group_bytes;  // bytes per group of kPackRows rows
    };
    std::unordered_map<const void*, Packed> m_packed;
    bool m_repack = true;
    const Packed* packed_for(const Tensor& w) const;
    static void* alloc_large(std::size_t bytes);  // 64-byte aligned (2 MiB pages when large); std::free
    std::vector<std::vector<float>> m_scratch;    // per thread
    std::vector<std::uint8_t> m_act;              // quantized activations of the current matmul
    std::vector<float> m_kv_f32;                  // f32 copy of the cache rows a prompt step attends to
    std::vector<float> m_vt;                      // those values transposed, per KV head
    std::vector<float> m_moe_out;                 // matmul_id results in expert order

public:
    // PONDER_CPU_PROFILE=1: per-op CPU time of the calling thread, printed to stderr when the
    // backend is destroyed (CPU time, so it stays meaningful on a busy machine with 1 thread).
    struct Profile {
        double seconds[16] = {};
        std::int64_t calls[16] = {};
    };

private:
    std::unique_ptr<Profile> m_profile;
    friend class OpTimer;
};

}  // namespace ponder::cpu
