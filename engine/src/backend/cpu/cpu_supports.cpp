// cpu_supports.cpp: the CPU backend's (op, type) table (see cpu_supports.h).
#include "backend/cpu/cpu_supports.h"

namespace ponder::cpu {

namespace {

bool is_weight_type(DType type) {
    switch (type) {
    case DType::F32:
    case DType::F16:
    case DType::BF16:
    case DType::Q4_0:
    case DType::Q4_1:
    case DType::Q5_0:
    case DType::Q5_1:
    case DType::Q8_0:
    case DType::Q2_K:
    case DType::Q3_K:
    case DType::Q4_K:
    case DType::Q5_K:
    case DType::Q6_K:
    case DType::IQ4_NL:
    case DType::IQ4_XS: return true;
    default: return false;
    }
}

}  // namespace

bool cpu_supports(BackendOp op, DType type) {
    switch (op) {
    case BackendOp::MatMul:
    case BackendOp::MatMulId:
    case BackendOp::GetRows: return is_weight_type(type);
    case BackendOp::StoreKv:
    case BackendOp::Attention: return type == DType::F32 || type == DType::F16 || type == DType::Q8_0;
    case BackendOp::Copy: return type == DType::F32 || type == DType::F16;
    default: return type == DType::F32;
    }
}

}  // namespace ponder::cpu
