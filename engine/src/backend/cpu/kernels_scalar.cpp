// kernels_scalar.cpp: the portable kernel table (any CPU), built from the format families in
// backend/cpu/scalar/ like the x86 table is from backend/cpu/x86/. Weight types without a fused
// kernel here go through matmul's dequantize-to-f32 path. Runtime selection of a table is in
// kernel_select.cpp.
#include "backend/cpu/kernels.h"

#include "backend/cpu/scalar/activations.h"
#include "backend/cpu/scalar/float_formats.h"
#include "backend/cpu/scalar/vector_ops.h"

namespace ponder::cpu {

namespace {

KernelSet make_scalar() {
    KernelSet ks{};
    ks.name = "scalar";
    add_float_formats(ks);
    ks.quantize_q8_0 = quantize_q8_0;
    ks.quantize_q8_K = quantize_q8_K;
    ks.dot_f32 = dot_f32;
    ks.dot_f32_x4 = dot_f32_x4;
    ks.f16_to_f32 = f16_to_f32;
    ks.f32_to_f16 = f32_to_f16;
    ks.swiglu = swiglu;
    ks.attend = attend;
    ks.softmax_row = softmax_row;
    return ks;
}

}  // namespace

const KernelSet& scalar_kernels() {
    static const KernelSet ks = make_scalar();
    return ks;
}

}  // namespace ponder::cpu
