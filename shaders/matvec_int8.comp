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

// OpSDot (4450) on two words of four signed bytes (PackedVectorFormat4x8Bit = 0): capabilities
// DotProduct (6019) and DotProductInput4x8BitPacked (6018). glslang 11 has no GLSL built-in for
// it (GL_EXT_integer_dot_product came later), so it is declared as the SPIR-V instruction.
spirv_instruction(extensions = ["SPV_KHR_integer_dot_product"], capabilities = [6019, 6018], id = 4450)
int sdot_packed(uint a, uint b, spirv_literal int packed_vector_format);
int dot4(uint a, uint b) { return sdot_packed(a, b, 0); }

void main() {
    const uint r = flat_group() * gl_NumSubgroups + gl_SubgroupID, lane = gl_SubgroupInvocationID;
    if (r >= p.rows) return;  // the whole subgroup leaves together
    const uint row = p.w_base + r * p.w_stride, units = p.cols / 32, scales = 8 * (p.cols / 32);
    float acc = 0.0;
    for (uint u = lane; u < units; u += gl_SubgroupSize) {
        uint q[8];
        float d[W_RUNS], m[W_RUNS];
        unit_ints(row, u, q, d, m);
        [[unroll]] for (uint g = 0; g < W_RUNS; ++g) {
            const uint c = unit_col(u, g);  // a run never crosses a 32-value block of x
            int s = 0;
#ifdef W_INT_MIN
            int sx = 0;  // the run's activations summed, for its min
#endif
            [[unroll]] for (uint k = 0; k < W_RUN / 4; ++k) {
                const uint xw = xq[c / 4 + k];
                s += dot4(q[g * (W_RUN / 4) + k], xw);
#ifdef W_INT_MIN
                sx += dot4(0x01010101u, xw);
#endif
            }
            const float dx = uintBitsToFloat(xq[scales + c / 32]);
#ifdef W_INT_MIN
            acc += dx * (d[g] * float(s) - m[g] * float(sx));
#else
            acc += dx * d[g] * float(s);
#endif
        }
    }
    const float sum = subgroupAdd(acc);
    if (lane == 0) os[p.o_base + p.row0 + r] = sum;
}
