// vulkan_ops.cpp: the ops of VulkanBackend: argument checks (the same as the CPU backend's),
// bindings, push constants (laid out as the shaders' Params blocks) and dispatch sizes.
#include "backend/vulkan/vulkan_backend.h"

#include "backend/vulkan/shaders.h"
#include "backend/weight_formats.h"

#include "util/error.h"

#include <bit>
#include <cmath>
#include <string>

namespace ponder::vk {

namespace {

std::uint32_t u32(std::int64_t v) { return static_cast<std::uint32_t>(v); }
std::uint32_t u32(std::size_t v) { return static_cast<std::uint32_t>(v); }
std::uint32_t f32_bits(float v) { return std::bit_cast<std::uint32_t>(v); }

void require(bool ok, const char* op, const char* what) {
    if (!ok) fail("vulkan backend: %s: %s", op, what);
}
void require_f32(const Tensor& t, const char* op, const char* name) {
    if (t.empty() || t.type != DType::F32) fail("vulkan backend: %s: %s must be an F32 tensor", op, name);
}

bool is_cache_type(DType t) { return t == DType::F32 || t == DType::F16 || t == DType::Q8_0; }

std::string suffix(DType t) {
    std::string s(to_string(t));
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Floats between rows of an F32 view.
std::uint32_t f32_stride(const Tensor& t) { return u32(t.row_stride / sizeof(float)); }

}  // namespace

bool VulkanBackend::supports(BackendOp op, DType type) const {
    switch (op) {
    case BackendOp::MatMul:
    case BackendOp::MatMulId:
    case BackendOp::GetRows: return is_weight_format(type);  // each has matmul_* and get_rows_* shaders
    case BackendOp::StoreKv:
    case BackendOp::Attention: return is_cache_type(type);
    case BackendOp::Copy: return type == DType::F32 || type == DType::F16;
    default: return type == DType::F32;
    }
}

// moe_route.comp: one invocation per token; its private arrays bound these.
constexpr int kRouteMaxExperts = 256, kRouteMaxGroups = 64, kRouteMaxUsed = 64;

void VulkanBackend::moe_route(const Tensor& logits, const Tensor& bias, const MoeRouting& p, const Tensor& ids,
                              const Tensor& weights) {
    require_f32(logits, "moe_route", "logits");
    require_f32(weights, "moe_route", "weights");
    const int n = p.n_experts, k = p.n_used;
    if (n <= 0 || k <= 0 || k > n) fail("vulkan backend: moe_route: %d of %d experts", k, n);
    if (p.n_groups <= 0 || n % p.n_groups != 0 || p.n_groups_used <= 0 || p.n_groups_used > p.n_groups ||
        k > p.n_groups_used * (n / p.n_groups))
        fail("vulkan backend: moe_route: %d groups (%d used) do not fit %d experts with %d chosen", p.n_groups,
             p.n_groups_used, n, k);
    if (n > kRouteMaxExperts || p.n_groups > kRouteMaxGroups || k > kRouteMaxUsed)
        fail("vulkan backend: moe_route: %d experts, %d groups, %d chosen exceed the shader's %d, %d, %d", n,
             p.n_groups, k, kRouteMaxExperts, kRouteMaxGroups, kRouteMaxUsed);
    if (logits.cols != n)
        fail("vulkan backend: moe_route: logits have %lld columns, expected %d", static_cast<long long>(logits.cols),
             n);
    if (!bias.empty() && (bias.type != DType::F32 || bias.cols != n || bias.rows != 1))
        fail("vulkan backend: moe_route: bias must be F32 [1, %d]", n);
    if (ids.type != DType::I32 || ids.rows != logits.rows || ids.cols != k || weights.rows != logits.rows ||
        weights.cols != k)
        fail("vulkan backend: moe_route: ids must be I32 and weights F32, both [%lld, %d]",
             static_cast<long long>(logits.rows), k);
    if (logits.rows == 0) return;
    std::uint32_t lb = 0, bb = 0, ib = 0, wb = 0;
    const Binding bl = bind_tensor(logits, 4, &lb, "moe_route"), bi = bind_tensor(ids, 4, &ib, "moe_route"),
                  bw = bind_tensor(weights, 4, &wb, "moe_route");
    // Without a bias the binding is a dummy (never read): the logits again.
    const Binding bbias = bias.empty() ? bl : bind_tensor(bias, 4, &bb, "moe_route");
    dispatch(pipeline_for("moe_route", 4), {bl, bbias, bi, bw},
             {lb, f32_stride(logits), bb, bias.empty() ? 0u : 1u, ib, u32(ids.row_stride / 4), wb, f32_stride(weights),
              u32(logits.rows), u32(static_cast<std::int64_t>(n)), u32(static_cast<std::int64_t>(k)),
              p.sigmoid ? 1u : 0u, u32(static_cast<std::int64_t>(p.n_groups)),
              u32(static_cast<std::int64_t>(p.n_groups_used)), p.normalize ? 1u : 0u, f32_bits(p.scale)},
             u32((logits.rows + 63) / 64));
}

void VulkanBackend::matmul_id(const Tensor& w, int n_experts, const Tensor& x, const Tensor& ids, const Tensor& out) {
    require_f32(x, "matmul_id", "x");
    require_f32(out, "matmul_id", "out");
    if (w.empty() || n_experts <= 0 || w.rows % n_experts != 0)
        fail("vulkan backend: matmul_id: %lld weight rows are not %d equal experts", static_cast<long long>(w.rows),
             n_experts);
    const std::int64_t R = w.rows / n_experts, n = w.cols;
    if (x.cols != n || out.cols != R || x.rows <= 0 || out.rows % x.rows != 0)
        fail("vulkan backend: matmul_id: W %d x [%lld, %lld] . x [%lld, %lld] -> out [%lld, %lld] does not fit",
             n_experts, static_cast<long long>(R), static_cast<long long>(n), static_cast<long long>(x.rows),
             static_cast<long long>(x.cols), static_cast<long long>(out.rows), static_cast<long long>(out.cols));
    if (ids.type != DType::I32 || !ids.dense() || ids.rows * ids.cols != out.rows)
        fail("vulkan backend: matmul_id: ids must be a dense I32 tensor of %lld values",
             static_cast<long long>(out.rows));
    if (!supports(BackendOp::MatMulId, w.type))
        fail("vulkan backend: matmul_id: weight type %s is not supported", std::string(to_string(w.type)).c_str());
    // matmul_id.comp: one subgroup per weight row, 64-invocation workgroups; grid (row blocks, experts).
    const std::int64_t rows_per_group = 64 / m_dev.subgroup_size, blocks = (R + rows_per_group - 1) / rows_per_group;
    if (blocks > 65535 || n_experts > 65535)
        fail("vulkan backend: matmul_id: %lld rows per expert and %d experts exceed the dispatch grid",
             static_cast<long long>(R), n_experts);
    // One token's ids (generation: each expert chosen at most once): the build of matmul_id.comp
    // for one row per pass.
    // With the integer dot product, either build on 8-bit activations (X_INT8: x quantized first).
    const bool one = ids.rows == 1, int8 = integer_dot_kernel(w, one ? "matmul_id_int8_one_" : "matmul_id_int8_");
    const char* kernel = int8  ? (one ? "matmul_id_int8_one_" : "matmul_id_int8_")
                         : one ? "matmul_id_one_"
                               : "matmul_id_";
    const int pipe = pipeline_for(kernel + suffix(w.type), 5);
    std::uint32_t x_base = 0, o_base = 0, i_base = 0;
    Binding bx = bind_tensor(x, 4, &x_base, "matmul_id");
    if (int8) bx = quantize_activations(x, bx, x_base, w.type);
    const Binding bo = bind_tensor(out, 4, &o_base, "matmul_id");
    const Binding bi = bind_tensor(ids, 4, &i_base, "matmul_id");
    const Binding bs = bind(m_status, 0, 16, 4, nullptr, "matmul_id");
    // Per chunk of weight rows, the experts that have rows in it.
    for_each_row_chunk(w, "matmul_id",
                       [&](const Binding& bw, std::uint32_t w_base, std::int64_t r0, std::int64_t rows) {
                           const std::int64_t e0 = r0 / R, e1 = (r0 + rows - 1) / R + 1;
                           dispatch(pipe, {bw, bx, bo, bi, bs},
                                    {w_base, u32(w.row_stride), u32(r0), u32(rows), u32(R), u32(n), u32(out.rows),
                                     u32(out.rows / x.rows), x_base, f32_stride(x), o_base, f32_stride(out), i_base,
                                     u32(e0), u32(static_cast<std::int64_t>(n_experts))},
                                    u32(blocks), u32(e1 - e0));
                       });
}

void VulkanBackend::moe_combine(const Tensor& y, const Tensor& weights, const Tensor& out) {
    require_f32(y, "moe_combine", "y");
    require_f32(weights, "moe_combine", "weights");
    require_f32(out, "moe_combine", "out");
    const std::int64_t k = weights.cols;
    if (weights.rows != out.rows || y.rows != out.rows * k || y.cols != out.cols)
        fail("vulkan backend: moe_combine: y [%lld, %lld], weights [%lld, %lld] and out [%lld, %lld] do not fit",
             static_cast<long long>(y.rows), static_cast<long long>(y.cols), static_cast<long long>(weights.rows),
             static_cast<long long>(k), static_cast<long long>(out.rows), static_cast<long long>(out.cols));
    if (out.rows == 0 || k == 0) return;
    std::uint32_t yb = 0, wb = 0, ob = 0;
    const Binding by = bind_tensor(y, 4, &yb, "moe_combine"), bw = bind_tensor(weights, 4, &wb, "moe_combine"),
                  bo = bind_tensor(out, 4, &ob, "moe_combine");
    dispatch(pipeline_for("moe_combine", 3), {by, bw, bo},
             {yb, f32_stride(y), wb, f32_stride(weights), ob, f32_stride(out), u32(out.rows), u32(out.cols), u32(k)},
             u32((out.cols + 255) / 256), u32(out.rows), Grid::RowsInY);
}

void VulkanBackend::get_rows(const Tensor& table, const Tensor& ids, const Tensor& out) {
    require_f32(out, "get_rows", "out");
    require(!ids.empty() && ids.type == DType::I32 && ids.cols == 1 && ids.dense(), "get_rows",
            "ids must be an I32 [n, 1] tensor");
    require(out.rows == ids.rows && out.cols == table.cols, "get_rows", "shape mismatch");
    require(supports(BackendOp::GetRows, table.type), "get_rows", "unsupported table type");
    if (ids.rows == 0) return;
    const int pipe = pipeline_for("get_rows_" + suffix(table.type), 3);
    std::uint32_t ids_base = 0, o_base = 0;
    const Binding bi = bind_tensor(ids, 4, &ids_base, "get_rows");
    const Binding bo = bind_tensor(out, 4, &o_base, "get_rows");
    // One dispatch per chunk of table rows, each writing the output rows whose ids fall in it.
    for_each_row_chunk(table, "get_rows",
                       [&](const Binding& bw, std::uint32_t w_base, std::int64_t r0, std::int64_t n) {
                           dispatch(pipe, {bw, bi, bo},
                                    {w_base, u32(table.row_stride), u32(r0), u32(n), u32(table.rows), u32(table.cols),
                                     ids_base, o_base, f32_stride(out), u32(ids.rows)},
                                    u32(ids.rows));
                       });
}

void VulkanBackend::for_each_row_chunk(
    const Tensor& w, const char* op,
    const std::function<void(const Binding&, std::uint32_t, std::int64_t, std::int64_t)>& each) const {
    const Buffer* wb = buffer_of(w, op);
    const std::int64_t chunk = std::max<std::int64_t>(
        1, static_cast<std::int64_t>((m_weight_binding_limit - m_dev.storage_offset_alignment) / w.row_stride));
    for (std::int64_t r0 = 0; r0 < w.rows; r0 += chunk) {
        const std::int64_t n = std::min(chunk, w.rows - r0);
        std::uint32_t w_base = 0;
        const Binding bw = bind(wb, w.offset + static_cast<std::size_t>(r0) * w.row_stride,
                                static_cast<std::size_t>(n - 1) * w.row_stride + w.row_size(), 1, &w_base, op);
        each(bw, w_base, r0, n);
    }
}

void VulkanBackend::matmul(const Tensor& w, const Tensor& x, const Tensor& out) {
    require(!w.empty() && !x.empty() && !out.empty(), "matmul", "empty tensor");
    require(x.type == DType::F32 && out.type == DType::F32, "matmul", "x and out must be F32");
    if (x.cols != w.cols || out.cols != w.rows || out.rows != x.rows)
        fail("vulkan backend: matmul: W [%lld, %lld] . x [%lld, %lld] -> out [%lld, %lld] does not fit",
             static_cast<long long>(w.rows), static_cast<long long>(w.cols), static_cast<long long>(x.rows),
             static_cast<long long>(x.cols), static_cast<long long>(out.rows), static_cast<long long>(out.cols));
    if (!supports(BackendOp::MatMul, w.type))
        fail("vulkan backend: matmul: weight type %s is not supported", std::string(to_string(w.type)).c_str());
    if (x.rows == 0) return;
    std::uint32_t x_base = 0, o_base = 0;
    const Binding bx = bind_tensor(x, 4, &x_base, "matmul");
    const Binding bo = bind_tensor(out, 4, &o_base, "matmul");
    if (x.rows == 1 && integer_dot_kernel(w, "matvec_int8_")) {
        // Generation with 8-bit integer dot products: x quantized once into the scratch row,
        // then matvec_int8.comp over every row chunk.
        const Binding bq = quantize_activations(x, bx, x_base, w.type);
        const int pipe = pipeline_for("matvec_int8_" + suffix(w.type), 3);
        const std::int64_t rows_per_group = 64 / m_dev.subgroup_size;
        for_each_row_chunk(w, "matmul", [&](const Binding& bw, std::uint32_t w_base, std::int64_t r0, std::int64_t n) {
            dispatch(pipe, {bw, bq, bo}, {w_base, u32(w.row_stride), u32(n), u32(r0), u32(w.cols), o_base},
                     u32((n + rows_per_group - 1) / rows_per_group));
        });
        return;
    }
    const bool tiled = x.rows > 1 && use_tiled_matmul(w);
    if (tiled && integer_dot_kernel(w, "matmul_tiled_int8_")) {
        // A prompt on 8-bit activations: its rows quantized once, then 64 x 16 tiles.
        const Binding bq = quantize_activations(x, bx, x_base, w.type);
        const int pipe = pipeline_for("matmul_tiled_int8_" + suffix(w.type), 3);
        const std::uint32_t token_groups = u32((x.rows + kTiledTokens - 1) / kTiledTokens);
        for_each_row_chunk(w, "matmul", [&](const Binding& bw, std::uint32_t w_base, std::int64_t r0, std::int64_t n) {
            dispatch(
                pipe, {bw, bq, bo},
                {w_base, u32(w.row_stride), u32(n), u32(r0), u32(w.cols), u32(x.rows), 0, 0, o_base, f32_stride(out)},
                u32((n + kTiledRows - 1) / kTiledRows), token_groups);
        });
        return;
    }
    // One token (generation): matmul.comp built for one, without its 8-token accumulators.
    // Every format with a tiled build has its F16_TILES build too (engine/src/backend/CMakeLists.txt).
    const bool f16 = tiled && m_float16_tiles;
    const char* kernel = f16 ? "matmul_tiled_f16_" : tiled ? "matmul_tiled_" : x.rows == 1 ? "matmul_one_" : "matmul_";
    const int pipe = pipeline_for(kernel + suffix(w.type), 3);
    // matmul.comp: one subgroup per row, 64-invocation workgroups. matmul_tiled.comp: 64 rows x
    // 16 tokens per workgroup, row tiles in x and token tiles in y.
    const std::int64_t rows_per_group = tiled ? kTiledRows : 64 / m_dev.subgroup_size;
    const std::uint32_t token_groups = tiled ? u32((x.rows + kTiledTokens - 1) / kTiledTokens) : 1;
    for_each_row_chunk(w, "matmul", [&](const Binding& bw, std::uint32_t w_base, std::int64_t r0, std::int64_t n) {
        dispatch(pipe, {bw, bx, bo},
                 {w_base, u32(w.row_stride), u32(n), u32(r0), u32(w.cols), u32(x.rows), x_base, f32_stride(x), o_base,
                  f32_stride(out)},
                 u32((n + rows_per_group - 1) / rows_per_group), token_groups);
    });
}

bool VulkanBackend::integer_dot_kernel(const Tensor& w, const char* kernel) const {
    // A quantized format (whose rows are whole 32-value blocks); float weights have no integer
    // form (and no such kernel).
    return m_integer_dot && w.cols % 32 == 0 && !shader_spirv(kernel + suffix(w.type)).empty();
}

VulkanBackend::Binding VulkanBackend::quantize_activations(const Tensor& x, const Binding& bx, std::uint32_t x_base,
                                                           DType weights) {
    // quantize_x8.comp: each row's 32-value blocks as 32 bytes, then its scales, rows one after
    // another from the start of the scratch buffer; Q8_K's 256-value scale blocks for the
    // formats the CPU's integer kernels dot against Q8_K, Q8_0's for the others.
    const bool q8k = takes_q8k_activations(weights);
    const std::int64_t blocks = x.cols / 32, groups = q8k ? blocks / 8 : blocks;
    const VkDeviceSize need = static_cast<VkDeviceSize>(blocks) * static_cast<VkDeviceSize>(x.rows) * 36;
    grow_scratch(m_xq_scratch, m_xq_scratch_bytes, need, 64 * 1024);
    const Binding bq = bind(m_xq_scratch, 0, static_cast<std::size_t>(need), 4, nullptr, "quantize_x8");
    dispatch(pipeline_for(q8k ? "quantize_x8_k" : "quantize_x8", 2), {bx, bq},
             {x_base, f32_stride(x), u32(blocks), u32(x.rows)}, u32((groups * x.rows + 63) / 64));
    return bq;
}

bool VulkanBackend::use_tiled_matmul(const Tensor& w) const {
    if (!m_tiled_matmul) return false;
    // A format whose tiled variant is not built (yet) uses matmul.comp for prompts too.
    if (shader_spirv("matmul_tiled_" + suffix(w.type)).empty()) return false;
    // Its tiles of activations and dequantized weights must fit the device's shared memory.
    if (m_dev.max_shared_memory < kTiledSharedBytes) return false;
    // Row tiles go in x without spilling into y (y counts token tiles): at most 65535 of them.
    const std::int64_t max_x = std::min<std::int64_t>(m_dev.max_workgroup_count[0], 65535);
    const std::int64_t chunk_rows =
        static_cast<std::int64_t>((m_dev.max_storage_buffer_range - m_dev.storage_offset_alignment) / w.row_stride);
    return (std::min(chunk_rows, w.rows) + kTiledRows - 1) / kTiledRows <= max_x;
}

void VulkanBackend::rms_norm(const Tensor& x, const Tensor& weight, float eps, const Tensor& out) {
    require_f32(x, "rms_norm", "x");
    require_f32(weight, "rms_norm", "weight");
    require_f32(out, "rms_norm", "out");
    require(weight.cols == x.cols && out.rows == x.rows && out.cols == x.cols, "rms_norm", "shape mismatch");
    if (x.rows == 0) return;
    std::uint32_t xb = 0, wb = 0, ob = 0;
    const Binding bx = bind_tensor(x, 4, &xb, "rms_norm"), bw = bind_tensor(weight, 4, &wb, "rms_norm"),
                  bo = bind_tensor(out, 4, &ob, "rms_norm");
    dispatch(pipeline_for("rms_norm", 3), {bx, bw, bo},
             {xb, f32_stride(x), wb, ob, f32_stride(out), u32(x.cols), f32_bits(eps), u32(x.rows)}, u32(x.rows));
}

void VulkanBackend::add(const Tensor& a, const Tensor& b, const Tensor& out) {
    require_f32(a, "add", "a");
    require_f32(b, "add", "b");
    require_f32(out, "add", "out");
    require(b.cols == a.cols && (b.rows == a.rows || b.rows == 1) && out.rows == a.rows && out.cols == a.cols, "add",
            "shape mismatch (b must match a or be one row)");
    if (a.rows == 0) return;
    std::uint32_t ab = 0, bb = 0, ob = 0;
    const Binding ba = bind_tensor(a, 4, &ab, "add"), bbind = bind_tensor(b, 4, &bb, "add"),
                  bo = bind_tensor(out, 4, &ob, "add");
    const std::uint32_t b_stride = b.rows == 1 ? 0 : f32_stride(b);
    dispatch(pipeline_for("add", 3), {ba, bbind, bo},
             {ab, f32_stride(a), bb, b_stride, ob, f32_stride(out), u32(a.rows), u32(a.cols), 0},
             u32((a.cols + 255) / 256), u32(a.rows), Grid::RowsInY);
}

void VulkanBackend::swiglu(const Tensor& gate, const Tensor& up, const Tensor& out) {
    require_f32(gate, "swiglu", "gate");
    require_f32(up, "swiglu", "up");
    require_f32(out, "swiglu", "out");
    require(up.rows == gate.rows && up.cols == gate.cols && out.rows == gate.rows && out.cols == gate.cols, "swiglu",
            "shape mismatch");
    if (gate.rows == 0) return;
    std::uint32_t gb = 0, ub = 0, ob = 0;
    const Binding bg = bind_tensor(gate, 4, &gb, "swiglu"), bu = bind_tensor(up, 4, &ub, "swiglu"),
                  bo = bind_tensor(out, 4, &ob, "swiglu");
    dispatch(pipeline_for("swiglu", 3), {bg, bu, bo},
             {gb, f32_stride(gate), ub, f32_stride(up), ob, f32_stride(out), u32(gate.rows), u32(gate.cols), 0},
             u32((gate.cols + 255) / 256), u32(gate.rows), Grid::RowsInY);
}

void VulkanBackend::scale(const Tensor& x, float s, const Tensor& out) {
    require_f32(x, "scale", "x");
    require_f32(out, "scale", "out");
    require(out.rows == x.rows && out.cols == x.cols, "scale", "shape mismatch");
    if (x.rows == 0) return;
    std::uint32_t xb = 0, ob = 0;
    const Binding bx = bind_tensor(x, 4, &xb, "scale"), bo = bind_tensor(out, 4, &ob, "scale");
    dispatch(pipeline_for("scale", 3), {bx, bx, bo},
             {xb, f32_stride(x), xb, f32_stride(x), ob, f32_stride(out), u32(x.rows), u32(x.cols), f32_bits(s)},
             u32((x.cols + 255) / 256), u32(x.rows), Grid::RowsInY);
}

void VulkanBackend::copy(const Tensor& src, const Tensor& dst) {
    require(src.type == dst.type && src.rows == dst.rows && src.cols == dst.cols, "copy", "type or shape mismatch");
    require(supports(BackendOp::Copy, src.type), "copy", "only F32 and F16 tensors can be copied");
    if (src.rows == 0) return;
    const std::size_t es = src.type == DType::F32 ? 4 : 2;
    std::uint32_t sb = 0, db = 0;
    const Binding bs = bind_tensor(src, es, &sb, "copy"), bd = bind_tensor(dst, es, &db, "copy");
    const std::uint32_t ss = u32(src.row_stride / es), ds = u32(dst.row_stride / es);
    if (src.type == DType::F32)
        dispatch(pipeline_for("copy_f32", 3), {bs, bs, bd}, {sb, ss, sb, ss, db, ds, u32(src.rows), u32(src.cols), 0},
                 u32((src.cols + 255) / 256), u32(src.rows), Grid::RowsInY);
    else
        dispatch(pipeline_for("copy_f16", 2), {bs, bd}, {sb, ss, db, ds, u32(src.rows), u32(src.cols)},
                 u32((src.cols + 255) / 256), u32(src.rows), Grid::RowsInY);
}

void VulkanBackend::top_k(const Tensor& logits, const Tensor& ids, const Tensor& values) {
    require(logits.type == DType::F32 && logits.rows == 1, "top_k", "logits must be an F32 [1, n] tensor");
    require(ids.type == DType::I32 && ids.rows == 1 && values.type == DType::F32 && values.rows == 1 &&
                values.cols == ids.cols,
            "top_k", "ids must be I32 [1, k] and values F32 [1, k]");
    const std::int64_t n = logits.cols, k = ids.cols;
    if (k < 1 || k > kMaxTopK || k > n)
        fail("vulkan backend: top_k: k = %lld must be in [1, min(%lld, %d)]", static_cast<long long>(k),
             static_cast<long long>(n), kMaxTopK);
    // top_k.comp: pass 1 leaves k candidates per chunk of 2048 logits in a scratch buffer of this
    // backend's (floats, then ids); pass 2 picks the final k from them.
    const std::int64_t groups = (n + 2047) / 2048, m = groups * k;
    const VkDeviceSize need = static_cast<VkDeviceSize>(m) * 8;
    grow_scratch(m_top_k_scratch, m_top_k_scratch_bytes, need, 64 * 1024);
    std::uint32_t lb = 0, ib = 0, vb = 0;
    const Binding bl = bind_tensor(logits, 4, &lb, "top_k"), bi = bind_tensor(ids, 4, &ib, "top_k"),
                  bv = bind_tensor(values, 4, &vb, "top_k");
    const Binding scratch = bind(m_top_k_scratch, 0, static_cast<std::size_t>(need), 4, nullptr, "top_k");
    const std::uint32_t ids_at = u32(m);  // the candidates' ids follow their values
    dispatch(pipeline_for("top_k_partial", 4), {bl, bl, scratch, scratch}, {lb, 0, u32(n), u32(k), 0, ids_at},
             u32(groups));
    dispatch(pipeline_for("top_k_merge", 4), {scratch, scratch, bv, bi}, {0, ids_at, u32(m), u32(k), vb, ib}, 1);
}

namespace {
void check_positions(const StepPositions& pos, std::int64_t rows, const char* op) {
    if (pos.pos.empty() || pos.pos.type != DType::I32 || pos.pos.cols != 1 || pos.pos.rows < rows || rows <= 0)
        fail("vulkan backend: %s: positions must be an I32 [%lld, 1] tensor", op, static_cast<long long>(rows));
    if (pos.kv_len.empty() || pos.kv_len.type != DType::I32 || pos.kv_len.rows != 1 || pos.kv_len.cols != 1)
        fail("vulkan backend: %s: kv_len must be an I32 [1, 1] tensor", op);
}
}  // namespace

void VulkanBackend::rope(const Tensor& x, const StepPositions& pos, const RopeParams& p) {
    require(x.type == DType::F32, "rope", "x must be F32");
    check_positions(pos, x.rows, "rope");
    const int n_rot = p.n_rot > 0 ? p.n_rot : p.head_dim - p.offset;
    if (p.n_heads <= 0 || p.head_dim <= 0 || x.cols != static_cast<std::int64_t>(p.n_heads) * p.head_dim)
        fail("vulkan backend: rope: x has %lld columns, expected n_heads %d x head_dim %d",
             static_cast<long long>(x.cols), p.n_heads, p.head_dim);
    if (p.offset < 0 || n_rot <= 0 || n_rot > p.head_dim - p.offset || n_rot % 2 != 0)
        fail("vulkan backend: rope: n_rot %d at offset %d must be even and fit in head_dim %d", n_rot, p.offset,
             p.head_dim);
    if (!(p.ext_factor >= 0.0f) || !std::isfinite(p.mscale)) fail("vulkan backend: rope: invalid YaRN parameters");
    const int half = n_rot / 2;
    if (!p.freq_factors.empty() &&
        (p.freq_factors.type != DType::F32 || p.freq_factors.rows * p.freq_factors.cols < half))
        fail("vulkan backend: rope: freq_factors must be F32 with n_rot / 2 = %d values", half);
    std::uint32_t xb = 0, pb = 0, fb = 0;
    const Binding bx = bind_tensor(x, 4, &xb, "rope"), bp = bind_tensor(pos.pos, 4, &pb, "rope");
    // Without factors the binding is a dummy (never read): the positions again.
    const Binding bf = p.freq_factors.empty() ? bp : bind_tensor(p.freq_factors, 4, &fb, "rope");
    // As the CPU backend: the per-pair factor by repeated multiplication, from the same f32 value.
    const float theta_scale = std::pow(p.freq_base, -2.0f / static_cast<float>(n_rot));
    const std::uint32_t pairs = u32(static_cast<std::int64_t>(p.n_heads) * half);
    dispatch(
        pipeline_for("rope", 3), {bx, bp, bf},
        {xb, f32_stride(x), pb, u32(static_cast<std::int64_t>(p.n_heads)), u32(static_cast<std::int64_t>(p.head_dim)),
         u32(static_cast<std::int64_t>(n_rot)), p.neox ? 1u : 0u, p.freq_factors.empty() ? 0u : 1u, fb,
         f32_bits(theta_scale), f32_bits(p.freq_scale), u32(static_cast<std::int64_t>(p.offset)),
         f32_bits(p.ext_factor), f32_bits(p.yarn_low), f32_bits(p.yarn_high), f32_bits(p.mscale)},
        (pairs + 63) / 64, u32(x.rows));
}

void VulkanBackend::store_kv(const Tensor& src, const Tensor& cache, const StepPositions& pos) {
    require(src.type == DType::F32, "store_kv", "src must be F32");
    if (!is_cache_type(cache.type))
        fail("vulkan backend: store_kv: cache type %s is not F32, F16 or Q8_0",
             std::string(to_string(cache.type)).c_str());
    if (src.cols != cache.cols)
        fail("vulkan backend: store_kv: src has %lld columns, cache %lld", static_cast<long long>(src.cols),
             static_cast<long long>(cache.cols));
    check_positions(pos, src.rows, "store_kv");
    // The positions are on the device: the host checks only that the rows fit the cache at all.
    if (src.rows > cache.rows)
        fail("vulkan backend: store_kv: %lld rows do not fit the cache's %lld rows", static_cast<long long>(src.rows),
             static_cast<long long>(cache.rows));
    if (cache.type == DType::Q8_0 && src.cols % 32 != 0)
        fail("vulkan backend: store_kv: a Q8_0 cache needs cols %% 32 == 0");
    const std::size_t es = cache.type == DType::F32 ? 4 : cache.type == DType::F16 ? 2 : 1;
    std::uint32_t sb = 0, pb = 0, cb = 0;
    const Binding bs = bind_tensor(src, 4, &sb, "store_kv"), bp = bind_tensor(pos.pos, 4, &pb, "store_kv"),
                  bc = bind_tensor(cache, es, &cb, "store_kv");
    const std::uint32_t units = cache.type == DType::Q8_0 ? u32(src.cols / 32) : u32(src.cols);
    dispatch(pipeline_for("store_kv_" + suffix(cache.type), 3), {bs, bp, bc},
             {sb, f32_stride(src), pb, cb, u32(cache.row_stride / es), u32(src.rows), u32(src.cols)}, (units + 63) / 64,
             u32(src.rows), Grid::RowsInY);
}

void VulkanBackend::attention(const Tensor& q, const Tensor& k_cache, const Tensor& v_cache, const StepPositions& pos,
                              const AttentionParams& p, const Tensor& out) {
    require(q.type == DType::F32 && out.type == DType::F32, "attention", "q and out must be F32");
    if (p.n_heads <= 0 || p.n_kv_heads <= 0 || p.head_dim <= 0 || p.n_heads % p.n_kv_heads != 0)
        fail("vulkan backend: attention: bad head counts (%d query heads, %d kv heads)", p.n_heads, p.n_kv_heads);
    // attention.comp holds head_dim / 64 dims per invocation: up to 256, or 576 in the wide variant (MLA).
    if (p.head_dim > 576) fail("vulkan backend: attention: head_dim %d is above the shader's 576", p.head_dim);
    const std::int64_t q_cols = static_cast<std::int64_t>(p.n_heads) * p.head_dim;
    const std::int64_t kv_cols = static_cast<std::int64_t>(p.n_kv_heads) * p.head_dim;
    if (q.cols != q_cols || out.cols != q_cols || out.rows != q.rows)
        fail("vulkan backend: attention: q/out must be [T, %lld]", static_cast<long long>(q_cols));
    for (const Tensor* c : {&k_cache, &v_cache}) {
        if (!is_cache_type(c->type))
            fail("vulkan backend: attention: cache type %s is not F32, F16 or Q8_0",
                 std::string(to_string(c->type)).c_str());
        if (c->cols != kv_cols)
            fail("vulkan backend: attention: cache has %lld columns, expected %lld", static_cast<long long>(c->cols),
                 static_cast<long long>(kv_cols));
        if (c->type == DType::Q8_0 && p.head_dim % 32 != 0)
            fail("vulkan backend: attention: a Q8_0 cache needs head_dim %% 32 == 0 (got %d)", p.head_dim);
    }
    if (k_cache.type != v_cache.type) fail("vulkan backend: attention: K and V caches must have the same type");
    if (k_cache.row_stride != v_cache.row_stride)
        fail("vulkan backend: attention: K and V caches must have the same layout");
    check_positions(pos, q.rows, "attention");
    if (q.rows > k_cache.rows)
        fail("vulkan backend: attention: %lld query rows exceed the cache", static_cast<long long>(q.rows));
    const std::size_t es = k_cache.type == DType::F32 ? 4 : k_cache.type == DType::F16 ? 2 : 1;
    std::uint32_t qb = 0, pb = 0, kb = 0, vb = 0, ob = 0;
    const Binding bq = bind_tensor(q, 4, &qb, "attention"), bp = bind_tensor(pos.pos, 4, &pb, "attention"),
                  bk = bind_tensor(k_cache, es, &kb, "attention"), bo = bind_tensor(out, 4, &ob, "attention"),
                  bv = bind_tensor(v_cache, es, &vb, "attention");
    const float scale = p.scale != 0.0f ? p.scale : 1.0f / std::sqrt(static_cast<float>(p.head_dim));
    // Above 256 dims (MLA's latent rows, up to 576) both kernels use their MAX_DIMS=9 build.
    const char* wide = p.head_dim > 256 ? "wide_" : "";
    // attention_split.comp reads F32 and F16 rows 16 bytes at a time (kv_read.glsl): it needs the
    // bases, the stride and head_dim in whole 16-byte units, which every model's cache has; any
    // other layout takes attention.comp, which reads element by element.
    const std::int64_t vec = k_cache.type == DType::F32 ? 4 : k_cache.type == DType::F16 ? 8 : 1;
    const bool vec_aligned =
        kb % vec == 0 && vb % vec == 0 && (k_cache.row_stride / es) % vec == 0 && p.head_dim % vec == 0;
    if (q.rows == 1 && m_split_attention && k_cache.rows > kSplitAttentionRows && q.dense() && out.dense() &&
        vec_aligned) {
        // A decode step over a long cache: attention_split.comp spreads each head's cached rows
        // over n_splits workgroups (how many of them get rows is decided on the device from the
        // step's position, so the call is the same at every step), then reduces.
        const std::int64_t n_splits = std::min<std::int64_t>(kMaxAttentionSplits, (k_cache.rows + 255) / 256);
        const VkDeviceSize need = static_cast<VkDeviceSize>(p.n_heads) * static_cast<VkDeviceSize>(n_splits) *
                                  (static_cast<VkDeviceSize>(p.head_dim) + 2) * 4;
        grow_scratch(m_attention_scratch, m_attention_scratch_bytes, need, 256 * 1024);
        const Binding part = bind(m_attention_scratch, 0, static_cast<std::size_t>(need), 4, nullptr, "attention");
        dispatch(pipeline_for(std::string("attention_split_") + wide + suffix(k_cache.type), 5), {bq, bp, bk, part, bv},
                 {qb, pb, kb, vb, u32(k_cache.row_stride / es), u32(static_cast<std::int64_t>(p.n_heads)),
                  u32(static_cast<std::int64_t>(p.n_kv_heads)), u32(static_cast<std::int64_t>(p.head_dim)),
                  f32_bits(scale), u32(n_splits)},
                 u32(p.n_heads * n_splits));
        dispatch(
            pipeline_for("attention_reduce", 2), {part, bo},
            {ob, u32(static_cast<std::int64_t>(p.n_heads)), u32(static_cast<std::int64_t>(p.head_dim)), u32(n_splits)},
            u32(static_cast<std::int64_t>(p.n_heads)));
        return;
    }
    dispatch(pipeline_for(std::string("attention_") + wide + suffix(k_cache.type), 5), {bq, bp, bk, bo, bv},
             {qb, f32_stride(q), pb, kb, vb, u32(k_cache.row_stride / es), ob, f32_stride(out),
              u32(static_cast<std::int64_t>(p.n_heads)), u32(static_cast<std::int64_t>(p.n_kv_heads)),
              u32(static_cast<std::int64_t>(p.head_dim)), f32_bits(scale), u32(q.rows)},
             u32(q.rows * p.n_heads));
}

}  // namespace ponder::vk
