// cpu_backend.cpp: CpuBackend memory, transfers and the element-wise ops (norm, add, swiglu, ...).
#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/op_timer.h"

#include "backend/cpu/cpu_info.h"
#include "backend/cpu/cpu_supports.h"
#include "backend/cpu/packed.h"
#include "backend/cpu/read_bandwidth.h"
#include "quant/dequantize.h"
#include "util/aligned_memory.h"
#include "util/error.h"

#include <cmath>
#if defined(__linux__)
#include <sys/mman.h>
#endif
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ponder::cpu {

namespace {

std::uint8_t* row_ptr(const Tensor& t, std::int64_t row) {
    return static_cast<std::uint8_t*>(t.buffer) + t.offset + static_cast<std::size_t>(row) * t.row_stride;
}
float* f32_row(const Tensor& t, std::int64_t row) { return reinterpret_cast<float*>(row_ptr(t, row)); }

void require(bool ok, const char* op, const char* what) {
    if (!ok) fail("cpu backend: %s: %s", op, what);
}

void require_f32(const Tensor& t, const char* op, const char* name) {
    if (t.empty() || t.type != DType::F32) fail("cpu backend: %s: %s must be an F32 tensor", op, name);
}

}  // namespace

CpuBackend::CpuBackend(const BackendOptions& options, const KernelSet* kernels)
    : m_kernels(kernels ? kernels : &best_kernels()),
      m_pool(default_thread_count(options.threads), options.background_threads) {
    m_scratch.resize(static_cast<std::size_t>(m_pool.size()));
    if (const char* p = std::getenv("PONDER_CPU_PROFILE"); p && *p && *p != '0')
        m_profile = std::make_unique<Profile>();
    const char* no_pack = std::getenv("PONDER_CPU_NO_PACK");  // for measuring what repacking gains
    m_repack = options.repack_weights && !(no_pack && *no_pack && *no_pack != '0');
}

CpuBackend::~CpuBackend() {
    if (m_profile) {
        double total = 0;
        for (double s : m_profile->seconds) total += s;
        std::fprintf(stderr, "cpu backend profile (CPU time of the calling thread):\n");
        for (int i = 0; i < kOpCount; ++i)
            if (m_profile->calls[i] > 0)
                std::fprintf(stderr, "  %-10s %8lld calls %9.1f ms %5.1f %%\n", kOpNames[i],
                             static_cast<long long>(m_profile->calls[i]), m_profile->seconds[i] * 1e3,
                             total > 0 ? 100.0 * m_profile->seconds[i] / total : 0.0);
    }
    for (auto& [ptr, size] : m_allocations) aligned_release(ptr);
    for (auto& [src, packed] : m_packed) aligned_release(packed.data);
}

std::string CpuBackend::device_name() const {
    return strprintf("%s (%d threads, %s)", cpu_info().name.c_str(), m_pool.size(), m_kernels->name);
}

bool CpuBackend::supports(BackendOp op, DType type) const { return cpu::cpu_supports(op, type); }

Backend::BandwidthProbe CpuBackend::measure_read_bandwidth() {
    BandwidthProbe p;
    p.gb_per_s = cpu::measure_read_bandwidth(m_pool.size());
    p.what = strprintf("%d thread%s of this machine", m_pool.size(), m_pool.size() == 1 ? "" : "s");
    return p;
}

int CpuBackend::first_position(const StepPositions& pos, std::int64_t rows, const char* op) {
    if (pos.pos.empty() || pos.pos.type != DType::I32 || pos.pos.cols != 1 || pos.pos.rows < rows || rows <= 0)
        fail("cpu backend: %s: positions must be an I32 [%lld, 1] tensor", op, static_cast<long long>(rows));
    if (pos.kv_len.empty() || pos.kv_len.type != DType::I32 || pos.kv_len.rows != 1 || pos.kv_len.cols != 1)
        fail("cpu backend: %s: kv_len must be an I32 [1, 1] tensor", op);
    auto at = [](const Tensor& t, std::int64_t r) {
        std::int32_t v;
        std::memcpy(&v,
                    static_cast<const std::uint8_t*>(t.buffer) + t.offset + static_cast<std::size_t>(r) * t.row_stride,
                    sizeof v);
        return v;
    };
    const std::int32_t first = at(pos.pos, 0);
    if (first < 0) fail("cpu backend: %s: negative position %d", op, first);
    for (std::int64_t t = 1; t < rows; ++t)
        if (at(pos.pos, t) != first + t)
            fail("cpu backend: %s: positions are not consecutive at row %lld", op, static_cast<long long>(t));
    return first;
}

float* CpuBackend::thread_scratch(int thread, std::size_t floats) {
    std::vector<float>& s = m_scratch[static_cast<std::size_t>(thread)];
    if (s.size() < floats) s.resize(floats);
    return s.data();
}

void CpuBackend::parallel_rows(std::int64_t n, std::int64_t work_per_row,
                               const std::function<void(std::int64_t, std::int64_t, int)>& fn) {
    // Below ~32k elements the wake-up of the workers costs more than the work.
    if (m_pool.size() == 1 || n < 2 || n * work_per_row < 32768) {
        fn(0, n, 0);
        return;
    }
    const std::int64_t chunks = std::min<std::int64_t>(n, 4 * m_pool.size());
    m_pool.for_each_task(chunks, [&](std::int64_t c, int thread) { fn(n * c / chunks, n * (c + 1) / chunks, thread); });
}

// ---- memory --------------------------------------------------------------------------------

Tensor CpuBackend::alloc(DType type, std::int64_t rows, std::int64_t cols) {
    if (rows < 0 || cols <= 0)
        fail("cpu backend: alloc: bad shape [%lld, %lld]", static_cast<long long>(rows), static_cast<long long>(cols));
    const std::uint64_t row = row_bytes(type, cols);
    if (rows > 0 && row > (std::uint64_t{1} << 46) / static_cast<std::uint64_t>(rows))
        fail("cpu backend: alloc: [%lld, %lld] %s is too large", static_cast<long long>(rows),
             static_cast<long long>(cols), std::string(to_string(type)).c_str());
    const std::size_t bytes = static_cast<std::size_t>(row * static_cast<std::uint64_t>(rows));
    void* p = alloc_large(std::max<std::size_t>(64, bytes));
    if (!p) fail("cpu backend: out of memory allocating %zu bytes", bytes);
    std::memset(p, 0, bytes);
    m_allocations.emplace(p, bytes);
    return Tensor{p, 0, type, rows, cols, static_cast<std::size_t>(row)};
}

void CpuBackend::release(const Tensor& t) {
    auto it = m_allocations.find(t.buffer);
    if (it == m_allocations.end()) return;  // mapped weights or already released
    aligned_release(it->first);
    m_allocations.erase(it);
}

Tensor CpuBackend::map_weights(const void* data, DType type, std::int64_t rows, std::int64_t cols) {
    if (!data || rows <= 0 || cols <= 0) fail("cpu backend: map_weights: empty tensor");
    if (!supports(BackendOp::MatMul, type))
        fail("cpu backend: weight type %s is not supported", std::string(to_string(type)).c_str());
    const Tensor t{const_cast<void*>(data), 0, type, rows, cols, static_cast<std::size_t>(row_bytes(type, cols))};
    const PackedKernel& pk = m_kernels->weights[static_cast<int>(type)].packed;
    const std::int64_t block_elems = type_info(type).block_elems;
    if (m_repack && pk.pack && rows >= kPackRows && cols % block_elems == 0 && m_packed.find(data) == m_packed.end()) {
        const std::int64_t groups = rows / kPackRows;
        const std::size_t group_bytes = pk.block_bytes * static_cast<std::size_t>(cols / block_elems);
        auto* dst = static_cast<std::uint8_t*>(alloc_large(group_bytes * static_cast<std::size_t>(groups)));
        if (!dst)
            fail("cpu backend: out of memory repacking a %s tensor (%zu bytes)", std::string(to_string(type)).c_str(),
                 group_bytes * static_cast<std::size_t>(groups));
        parallel_rows(groups, cols * kPackRows, [&](std::int64_t begin, std::int64_t end, int) {
            for (std::int64_t g = begin; g < end; ++g)
                pk.pack(row_ptr(t, g * kPackRows), t.row_stride, cols, dst + static_cast<std::size_t>(g) * group_bytes);
        });
        m_packed.emplace(data, Packed{dst, groups * kPackRows, group_bytes});
    }
    return t;
}

void* CpuBackend::alloc_large(std::size_t bytes) {
#if defined(__linux__)
    // Generation streams every weight (and the KV cache) once per token: with 4 KiB pages that is
    // a TLB miss every 4 KiB (262k per GB). Large buffers ask for 2 MiB pages (transparent huge
    // pages, granted where the system allows it; harmless where not). Measured on the 1.5B
    // Q4_K_M model, 2 threads, interleaved runs: generation 26.7 -> 30.3 t/s on average.
    constexpr std::size_t kHuge = std::size_t{2} << 20;
    if (bytes >= kHuge) {
        const std::size_t rounded = (bytes + kHuge - 1) / kHuge * kHuge;
        void* p = aligned_allocate(kHuge, rounded);
        if (p) madvise(p, rounded, MADV_HUGEPAGE);
        return p;
    }
#endif
    return aligned_allocate(64, bytes);
}

const CpuBackend::Packed* CpuBackend::packed_for(const Tensor& w) const {
    if (m_packed.empty() || w.offset != 0 || !w.dense()) return nullptr;
    const auto it = m_packed.find(w.buffer);
    return it == m_packed.end() ? nullptr : &it->second;
}

void CpuBackend::upload(const Tensor& dst, const void* src, std::size_t bytes) {
    const std::size_t row = dst.row_size();
    require(bytes == row * static_cast<std::size_t>(dst.rows), "upload", "byte count does not match the tensor");
    for (std::int64_t r = 0; r < dst.rows; ++r)
        std::memcpy(row_ptr(dst, r), static_cast<const std::uint8_t*>(src) + r * row, row);
}

void CpuBackend::download(const Tensor& src, void* dst, std::size_t bytes) {
    const std::size_t row = src.row_size();
    require(bytes == row * static_cast<std::size_t>(src.rows), "download", "byte count does not match the tensor");
    for (std::int64_t r = 0; r < src.rows; ++r)
        std::memcpy(static_cast<std::uint8_t*>(dst) + r * row, row_ptr(src, r), row);
}

// ---- element-wise ops ----------------------------------------------------------------------

void CpuBackend::get_rows(const Tensor& table, const Tensor& ids, const Tensor& out) {
    OpTimer timer(*this, kOpGetRows);
    require_f32(out, "get_rows", "out");
    require(!ids.empty() && ids.type == DType::I32 && ids.cols == 1, "get_rows", "ids must be an I32 [n, 1] tensor");
    require(out.rows == ids.rows && out.cols == table.cols, "get_rows", "shape mismatch");
    require(supports(BackendOp::GetRows, table.type), "get_rows", "unsupported table type");
    for (std::int64_t i = 0; i < ids.rows; ++i) {
        std::int32_t id;
        std::memcpy(&id, row_ptr(ids, i), sizeof id);
        if (id < 0 || id >= table.rows)
            fail("cpu backend: get_rows: token id %d outside [0, %lld)", id, static_cast<long long>(table.rows));
        const std::uint8_t* src = row_ptr(table, id);
        float* dst = f32_row(out, i);
        if (table.type == DType::F32)
            std::memcpy(dst, src, sizeof(float) * static_cast<std::size_t>(table.cols));
        else if (table.type == DType::F16)
            m_kernels->f16_to_f32(reinterpret_cast<const fp16_t*>(src), dst, table.cols);
        else
            dequantize_row(table.type, src, dst, table.cols);
    }
}

void CpuBackend::rms_norm(const Tensor& x, const Tensor& weight, float eps, const Tensor& out) {
    OpTimer timer(*this, kOpRmsNorm);
    require_f32(x, "rms_norm", "x");
    require_f32(weight, "rms_norm", "weight");
    require_f32(out, "rms_norm", "out");
    require(weight.cols == x.cols && out.rows == x.rows && out.cols == x.cols, "rms_norm", "shape mismatch");
    const std::int64_t n = x.cols;
    const float* w = f32_row(weight, 0);
    parallel_rows(x.rows, n, [&](std::int64_t begin, std::int64_t end, int) {
        for (std::int64_t r = begin; r < end; ++r) {
            const float* src = f32_row(x, r);
            float* dst = f32_row(out, r);
            double sum = 0;  // double, as llama.cpp does: rows of thousands of squares
            for (std::int64_t i = 0; i < n; ++i) sum += static_cast<double>(src[i]) * src[i];
            const float s = 1.0f / std::sqrt(static_cast<float>(sum / static_cast<double>(n)) + eps);
            for (std::int64_t i = 0; i < n; ++i) dst[i] = src[i] * s * w[i];
        }
    });
}

void CpuBackend::add(const Tensor& a, const Tensor& b, const Tensor& out) {
    OpTimer timer(*this, kOpAdd);
    require_f32(a, "add", "a");
    require_f32(b, "add", "b");
    require_f32(out, "add", "out");
    require(b.cols == a.cols && (b.rows == a.rows || b.rows == 1) && out.rows == a.rows && out.cols == a.cols, "add",
            "shape mismatch (b must match a or be one row)");
    parallel_rows(a.rows, a.cols, [&](std::int64_t begin, std::int64_t end, int) {
        for (std::int64_t r = begin; r < end; ++r) {
            const float* x = f32_row(a, r);
            const float* y = f32_row(b, b.rows == 1 ? 0 : r);
            float* o = f32_row(out, r);
            for (std::int64_t i = 0; i < a.cols; ++i) o[i] = x[i] + y[i];
        }
    });
}

void CpuBackend::swiglu(const Tensor& gate, const Tensor& up, const Tensor& out) {
    OpTimer timer(*this, kOpSwiglu);
    require_f32(gate, "swiglu", "gate");
    require_f32(up, "swiglu", "up");
    require_f32(out, "swiglu", "out");
    require(up.rows == gate.rows && up.cols == gate.cols && out.rows == gate.rows && out.cols == gate.cols, "swiglu",
            "shape mismatch");
    parallel_rows(gate.rows, gate.cols, [&](std::int64_t begin, std::int64_t end, int) {
        for (std::int64_t r = begin; r < end; ++r)
            m_kernels->swiglu(f32_row(gate, r), f32_row(up, r), f32_row(out, r), gate.cols);
    });
}

void CpuBackend::scale(const Tensor& x, float s, const Tensor& out) {
    require_f32(x, "scale", "x");
    require_f32(out, "scale", "out");
    require(out.rows == x.rows && out.cols == x.cols, "scale", "shape mismatch");
    for (std::int64_t r = 0; r < x.rows; ++r) {
        const float* src = f32_row(x, r);
        float* dst = f32_row(out, r);
        for (std::int64_t i = 0; i < x.cols; ++i) dst[i] = src[i] * s;
    }
}

void CpuBackend::top_k(const Tensor& logits, const Tensor& ids, const Tensor& values) {
    require(logits.type == DType::F32 && logits.rows == 1, "top_k", "logits must be an F32 [1, n] tensor");
    require(ids.type == DType::I32 && ids.rows == 1 && values.type == DType::F32 && values.rows == 1 &&
                values.cols == ids.cols,
            "top_k", "ids must be I32 [1, k] and values F32 [1, k]");
    select_top_k(f32_row(logits, 0), logits.cols, static_cast<int>(ids.cols),
                 reinterpret_cast<std::int32_t*>(row_ptr(ids, 0)), f32_row(values, 0));
}

void CpuBackend::copy(const Tensor& src, const Tensor& dst) {
    require(src.type == dst.type && src.rows == dst.rows && src.cols == dst.cols, "copy", "type or shape mismatch");
    const std::size_t row = src.row_size();
    for (std::int64_t r = 0; r < src.rows; ++r) std::memmove(row_ptr(dst, r), row_ptr(src, r), row);
}

}  // namespace ponder::cpu
