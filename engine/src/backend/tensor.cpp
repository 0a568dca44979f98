// tensor.cpp: Tensor view arithmetic (row slices, reshapes) and the step-position helper shared
// by every backend.
#include "backend/backend.h"

#include "util/error.h"

#include <vector>

namespace ponder {

std::size_t Tensor::row_size() const { return static_cast<std::size_t>(row_bytes(type, cols)); }

Tensor Tensor::slice_rows(std::int64_t first, std::int64_t count) const {
    if (first < 0 || count < 0 || first > rows || count > rows - first)
        fail("tensor view: rows [%lld, %lld) out of range for a tensor of %lld rows", static_cast<long long>(first),
             static_cast<long long>(first + count), static_cast<long long>(rows));
    Tensor t = *this;
    t.offset += static_cast<std::size_t>(first) * row_stride;
    t.rows = count;
    return t;
}

Tensor Tensor::reshape(std::int64_t new_rows, std::int64_t new_cols) const {
    if (!dense() && rows > 1) fail("tensor view: cannot reshape a strided tensor");
    if (new_rows < 0 || new_cols <= 0 || new_rows * new_cols != rows * cols)
        fail("tensor view: cannot reshape [%lld, %lld] to [%lld, %lld]", static_cast<long long>(rows),
             static_cast<long long>(cols), static_cast<long long>(new_rows), static_cast<long long>(new_cols));
    Tensor t = *this;
    t.rows = new_rows;
    t.cols = new_cols;
    t.row_stride = static_cast<std::size_t>(row_bytes(type, new_cols));
    return t;
}

Tensor Tensor::slice_cols(std::int64_t first, std::int64_t count) const {
    if (first < 0 || count <= 0 || first > cols || count > cols - first)
        fail("tensor view: columns [%lld, %lld) out of range for a tensor of %lld columns",
             static_cast<long long>(first), static_cast<long long>(first + count), static_cast<long long>(cols));
    Tensor t = *this;
    t.offset += static_cast<std::size_t>(row_bytes(type, first));  // throws unless block-aligned
    (void)row_bytes(type, count);
    t.cols = count;
    return t;
}

std::string_view to_string(BackendOp op) {
    switch (op) {
    case BackendOp::GetRows: return "get_rows";
    case BackendOp::RmsNorm: return "rms_norm";
    case BackendOp::MatMul: return "matmul";
    case BackendOp::Add: return "add";
    case BackendOp::Rope: return "rope";
    case BackendOp::RopeScaled: return "rope_scaled";
    case BackendOp::StoreKv: return "store_kv";
    case BackendOp::Attention: return "attention";
    case BackendOp::Swiglu: return "swiglu";
    case BackendOp::Scale: return "scale";
    case BackendOp::Copy: return "copy";
    case BackendOp::MoeRoute: return "moe_route";
    case BackendOp::MatMulId: return "matmul_id";
    case BackendOp::MoeCombine: return "moe_combine";
    }
    return "?";
}

void upload_positions(Backend& backend, const StepPositions& pos, int first_pos, std::int64_t rows) {
    if (first_pos < 0 || rows <= 0 || rows > pos.pos.rows)
        fail("step positions: %lld rows from position %d do not fit a [%lld, 1] position tensor",
             static_cast<long long>(rows), first_pos, static_cast<long long>(pos.pos.rows));
    std::vector<std::int32_t> p(static_cast<std::size_t>(rows));
    for (std::int64_t t = 0; t < rows; ++t) p[static_cast<std::size_t>(t)] = first_pos + static_cast<std::int32_t>(t);
    const std::int32_t len = first_pos + static_cast<std::int32_t>(rows);
    backend.upload(pos.pos.slice_rows(0, rows), p.data(), p.size() * sizeof(std::int32_t));
    backend.upload(pos.kv_len, &len, sizeof len);
}

}  // namespace ponder
