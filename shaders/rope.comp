#version 450
// rope.comp: rotary position embedding in place on x [rows, n_heads * head_dim]; row t is at
// position pos[t] (read from the device, so the dispatch is the same at every step). One
// invocation per (row, head, pair i < n_rot / 2); pairs (i, i + n_rot/2) when neox, else (2i, 2i+1).
// theta_i = pos * freq_scale * base^(-2i/n_rot) / factor_i, computed by repeated multiplication as
// the CPU backend and llama.cpp do, and reduced to [-pi, pi] in three fma steps before sin/cos
// (whose accuracy is only specified there).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;
layout(binding = 0) buffer X { float xs[]; };
layout(binding = 1) readonly buffer Pos { int pos[]; };
layout(binding = 2) readonly buffer F { float ff[]; };
layout(push_constant) uniform Params {
    uint x_base, x_stride, pos_base, n_heads, head_dim, n_rot, neox, has_factors, ff_base;
    float theta_scale, freq_scale;
} p;

float reduce_angle(float a) {
    const float k = round(a * 0.15915494309189535);
    float r = fma(-k, 6.28125, a);                 // 2*pi split in three parts; k * 6.28125 is
    r = fma(-k, 0.0019353071693331003, r);        // exact for k < 2^15
    r = fma(-k, 1.0253131677018246e-11, r);
    return r;
}

void main() {
    const uint half_rot = p.n_rot / 2;
    const uint i = gl_GlobalInvocationID.x % half_rot, h = gl_GlobalInvocationID.x / half_rot;
    const uint t = gl_WorkGroupID.y;
    if (h >= p.n_heads) return;
    float theta = float(pos[p.pos_base + t]) * p.freq_scale;
    for (uint k = 0; k < i; ++k) theta *= p.theta_scale;
    if (p.has_factors != 0u) theta /= ff[p.ff_base + i];
    const float a = reduce_angle(theta);
    const float c = cos(a), s = sin(a);
    const uint base = p.x_base + t * p.x_stride + h * p.head_dim;
    const uint ia = base + (p.neox != 0u ? i : 2 * i), ib = base + (p.neox != 0u ? i + half_rot : 2 * i + 1);
    const float x0 = xs[ia], x1 = xs[ib];
    xs[ia] = x0 * c - x1 * s;
    xs[ib] = x0 * s + x1 * c;
}
