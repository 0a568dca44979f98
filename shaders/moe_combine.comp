#version 450
// moe_combine.comp: out[t] = sum_j weights[t, j] * y[t * k + j], the weighted sum of a token's k
// chosen experts' outputs (y [T * k, cols], weights [T, k], out [T, cols]). One invocation per
// output element, summing j = 0..k-1 in order as the CPU backend does; groups are (256 columns,
// 1 token).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 256) in;
layout(binding = 0) readonly buffer Y { float ys[]; };
layout(binding = 1) readonly buffer W { float ws[]; };
layout(binding = 2) writeonly buffer O { float os[]; };
layout(push_constant) uniform Params {
    uint y_base, y_stride, w_base, w_stride, o_base, o_stride, rows, cols, k;  // floats
} p;

void main() {
    const uint c = gl_GlobalInvocationID.x, t = flat_row();
    if (c >= p.cols || t >= p.rows) return;
    const uint wb = p.w_base + t * p.w_stride, yb = p.y_base + t * p.k * p.y_stride + c;
    float acc = ws[wb] * ys[yb];
    for (uint j = 1; j < p.k; ++j) acc += ws[wb + j] * ys[yb + j * p.y_stride];
    os[p.o_base + t * p.o_stride + c] = acc;
}
