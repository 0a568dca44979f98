// x86/kernel_table.h: the x86 kernel table, built from the format families. Included once by each
// ISA's translation unit (kernels_x86_avx2.cpp, kernels_x86_avx512.cpp). A new weight format adds
// its kernels and an add_*_formats() call to its family's header (or a new header listed here).
#pragma once

#include "backend/cpu/x86/activations.h"
#include "backend/cpu/x86/float_formats.h"
#include "backend/cpu/x86/k_formats.h"
#include "backend/cpu/x86/q32_formats.h"
#include "backend/cpu/x86/vector_ops.h"

namespace ponder::cpu {
namespace {

KernelSet make_set() {
    KernelSet ks{};
#if defined(PONDER_ISA_AVX512)
    ks.name = "avx512";
#else
    ks.name = "avx2";
#endif
    add_float_formats(ks);
    add_q32_formats(ks);
    add_k_formats(ks);
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

#if defined(PONDER_ISA_AVX512)
const KernelSet* avx512_kernels() {
#else
const KernelSet* avx2_kernels() {
#endif
    static const KernelSet ks = make_set();
    return &ks;
}

}  // namespace ponder::cpu
