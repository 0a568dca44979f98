// cpu_supports.h: what the CPU backend can run, as a plain function of (op, type), so the loader
// fuzzer can check a model's capability plan against it without creating a backend (threads,
// kernel tables). CpuBackend::supports() is this.
#pragma once

#include "backend/backend.h"

namespace ponder::cpu {

// Weight types (MatMul, MatMulId, GetRows): the float types, the 32-element formats, the
// K-quants and IQ4_NL / IQ4_XS; caches (StoreKv, Attention): F32, F16, Q8_0; Copy: F32, F16;
// every other op: F32.
bool cpu_supports(BackendOp op, DType type);

}  // namespace ponder::cpu
