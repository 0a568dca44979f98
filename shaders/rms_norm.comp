#version 450
// rms_norm.comp: out[r] = x[r] / sqrt(mean(x[r]^2) + eps) * w, one workgroup per row. Each
// invocation writes only the elements it read, after the reduction, so out may equal x.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer X { float xs[]; };
layout(binding = 1) readonly buffer Wt { float ws[]; };
layout(binding = 2) buffer O { float os[]; };
layout(push_constant) uniform Params {
    uint x_base, x_stride, w_base, o_base, o_stride, cols;
    float eps;
    uint rows;  // workgroups past it leave (common.glsl)
} p;

shared float red[64];

void main() {
    const uint r = flat_group(), tid = gl_LocalInvocationID.x;
    if (r >= p.rows) return;  // the whole workgroup: before any barrier
    const uint xb = p.x_base + r * p.x_stride, ob = p.o_base + r * p.o_stride;
    float s = 0.0;
    for (uint i = tid; i < p.cols; i += 64) s += xs[xb + i] * xs[xb + i];
    red[tid] = s;
    barrier();
    for (uint k = 32; k > 0; k >>= 1) {
        if (tid < k) red[tid] += red[tid + k];
        barrier();
    }
    const float scale = 1.0 / sqrt(red[0] / float(p.cols) + p.eps);
    for (uint i = tid; i < p.cols; i += 64) os[ob + i] = xs[xb + i] * scale * ws[p.w_base + i];
}
