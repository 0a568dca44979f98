// weight_formats.h: the weight formats every backend runs (one list: the conformance tests in
// tests/backend hold each backend to all of them), and the activation rounding their integer
// kernels pair them with.
#pragma once

#include "quant/types.h"

namespace ponder {

// A format a model's weight tensors may have that every backend multiplies and looks rows up in.
inline bool is_weight_format(DType t) {
    switch (t) {
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

// Whether integer kernels dot this quantized format against activations rounded to Q8_K (one
// scale per 256 values: the K-quants and IQ4_XS, whose super-blocks are 256 wide, as the CPU's
// x86 kernels and llama.cpp do) rather than to Q8_0 (one per 32). The Vulkan backend rounds its
// activations the same way, so the two agree bit for bit on the integer sums.
inline bool takes_q8k_activations(DType t) {
    return t == DType::Q2_K || t == DType::Q3_K || t == DType::Q4_K || t == DType::Q5_K || t == DType::Q6_K ||
           t == DType::IQ4_XS;
}

}  // namespace ponder
