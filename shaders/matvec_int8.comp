#version 450
// matvec_int8.comp: out[row0 + r] = W[r] . x for one token, with 8-bit integer dot products: the
// weights decoded to signed bytes (weights_int8.glsl), x as quantize_x8.comp left it (32-value
// blocks of signed bytes with an f32 scale). Four products and their sum per instruction
// (OpSDot, SPV_KHR_integer_dot_product), and a quarter of the activation loads of matmul.comp's
// f32 activations. The backend uses it for one token on every device with
// shaderIntegerDotProduct; the layout of work is matmul.comp's: one subgroup per weight row of
// the bound chunk, lanes over the row's units, subgroupAdd at the end.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#extension GL_EXT_spirv_intrinsics : require

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer W { uint ww[]; };  // weights as words (weights.glsl)
layout(binding = 1) readonly buffer X { uint xq[]; };  // quantize_x8.comp's words from 0
layout(binding = 2) writeonly buffer O { float os[]; };
layout(push_constant) uniform Params {
    uint w_base;    // byte of chunk row 0 in the binding
    uint w_stride;  // bytes per row
    uint rows;      // rows in this chunk
    uint row0;      // output column of chunk row 0
    uint cols;      // a multiple of the format's block
    uint o_base;    // float of the output row
} p;

#include "weights.glsl"
#include "weights_int8.glsl"
#include "unit_dot_int8.glsl"

void main() {
    const uint r = flat_group() * gl_NumSubgroups + gl_SubgroupID, lane = gl_SubgroupInvocationID;
    if (r >= p.rows) return;  // the whole subgroup leaves together
    const uint row = p.w_base + r * p.w_stride, units = p.cols / 32;  // units = x's blocks
    float acc = 0.0;
    for (uint u = lane; u < units; u += gl_SubgroupSize) acc += unit_dot_int8(row, u, 0, units);
    const float sum = subgroupAdd(acc);
    if (lane == 0) os[p.o_base + p.row0 + r] = sum;
}
