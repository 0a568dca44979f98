#version 450
// matmul.comp: out[t][row0 + r] = W[r] . x[t] for every token t, W in the type of the W_<TYPE>
// define. One subgroup per weight row r of the bound chunk (the backend splits tensors larger
// than one storage binding into chunks of rows), so a 64-invocation workgroup covers 64 /
// subgroup-size rows (8 on lavapipe, 2 on NVIDIA, 1 on AMD) and needs no barrier. The subgroup's
// lanes share the row's 32-value units (weights.glsl: each quantized byte in one unit), each
// dequantized once in registers and dotted with up to 8 tokens at a time; subgroupAdd sums the
// lanes.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer W { uint ww[]; };  // weights as words (weights.glsl)
layout(binding = 1) readonly buffer X { float xs[]; };
layout(binding = 2) writeonly buffer O { float os[]; };
layout(push_constant) uniform Params {
    uint w_base;    // byte of chunk row 0 in the binding
    uint w_stride;  // bytes per row
    uint rows;      // rows in this chunk
    uint row0;      // output column of chunk row 0
    uint cols;      // quantized types: a multiple of their block; F32/F16: any
    uint tokens;
    uint x_base, x_stride;  // floats
    uint o_base, o_stride;  // floats
} p;

#include "weights.glsl"
#include "unit_dot.glsl"

// Tokens per pass over the row: 8, or 1 in the generation variant (-DTOK_ONE): one accumulator
// and no loop over tokens, so fewer registers and, on drivers that run every branch with lanes
// masked (lavapipe), no seven idle token slots per value.
#ifdef TOK_ONE
const uint TOK = 1;
#else
const uint TOK = 8;
#endif

void main() {
    const uint r = flat_group() * gl_NumSubgroups + gl_SubgroupID, lane = gl_SubgroupInvocationID;
    if (r >= p.rows) return;  // the whole subgroup leaves together
    const uint row = p.w_base + r * p.w_stride, units = (p.cols + 31) / 32;
    for (uint t0 = 0; t0 < p.tokens; t0 += TOK) {
        const uint nt = min(TOK, p.tokens - t0);
        float acc[TOK];
        [[unroll]] for (uint k = 0; k < TOK; ++k) acc[k] = 0.0;
        for (uint u = lane; u < units; u += gl_SubgroupSize) {
            float v[32];
            unit_values(row, u, v);
            uint col[32 / W_RUN];  // the columns of v's runs (weights.glsl)
            [[unroll]] for (uint g = 0; g < 32 / W_RUN; ++g) col[g] = unit_col(u, g);
            const uint n = min(32, p.cols - u * 32);  // < 32 only at the end of a float row
            [[unroll]] for (uint k = 0; k < TOK; ++k) {
                if (k >= nt) break;
                acc[k] += unit_dot(v, col, n, p.x_base + (t0 + k) * p.x_stride);
            }
        }
        [[unroll]] for (uint k = 0; k < TOK; ++k) {
            if (k >= nt) break;
            const float s = subgroupAdd(acc[k]);
            if (lane == 0) os[p.o_base + (t0 + k) * p.o_stride + p.row0 + r] = s;
        }
    }
}
