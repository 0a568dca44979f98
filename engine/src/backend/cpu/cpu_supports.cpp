// cpu_supports.cpp: the CPU backend's (op, type) table (see cpu_supports.h).
#include "backend/cpu/cpu_supports.h"

#include "backend/weight_formats.h"

namespace ponder::cpu {

bool cpu_supports(BackendOp op, DType type) {
    switch (op) {
    case BackendOp::MatMul:
    case BackendOp::MatMulId:
    case BackendOp::GetRows: return is_weight_format(type);
    case BackendOp::StoreKv:
    case BackendOp::Attention: return type == DType::F32 || type == DType::F16 || type == DType::Q8_0;
    case BackendOp::Copy: return type == DType::F32 || type == DType::F16;
    default: return type == DType::F32;
    }
}

}  // namespace ponder::cpu
