#version 450
// rope.comp: rotary position embedding in place on x [rows, n_heads * head_dim]; row t is at
// position pos[t] (read from the device, so the dispatch is the same at every step). One
// invocation per (row, head, pair i < n_rot / 2); the rotated dims of a head start at `offset`
// (deepseek2 rotates only its last qk_rope dims); pairs (i, i + n_rot/2) when neox, else
// (2i, 2i+1), counted from there.
// theta_i = pos * freq_scale * base^(-2i/n_rot) / factor_i, computed by repeated multiplication as
// the CPU backend and llama.cpp do, and reduced to [-pi, pi] in three fma steps before sin/cos
// (whose accuracy is only specified there). YaRN (ext_factor > 0) blends the interpolated angle
// (times freq_scale) with the extrapolated one (unscaled) by a ramp over the pair index, with the
// CPU backend's f32 operation order; cos and sin are scaled by mscale (YaRN's attention factor).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;
layout(binding = 0) buffer X { float xs[]; };
layout(binding = 1) readonly buffer Pos { int pos[]; };
layout(binding = 2) readonly buffer F { float ff[]; };
layout(push_constant) uniform Params {
    uint x_base, x_stride, pos_base, n_heads, head_dim, n_rot, neox, has_factors, ff_base;
    float theta_scale, freq_scale;
    uint offset;
    float ext_factor, yarn_low, yarn_high, mscale;
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
    float theta;
    if (p.ext_factor != 0.0) {
        float e = float(pos[p.pos_base + t]);
        for (uint k = 0; k < i; ++k) e *= p.theta_scale;
        if (p.has_factors != 0u) e /= ff[p.ff_base + i];
        const float interp = p.freq_scale * e;
        const float y = (float(i) - p.yarn_low) / max(0.001, p.yarn_high - p.yarn_low);
        const float ramp = (1.0 - min(1.0, max(0.0, y))) * p.ext_factor;
        theta = interp * (1.0 - ramp) + e * ramp;
    } else {
        theta = float(pos[p.pos_base + t]) * p.freq_scale;
        for (uint k = 0; k < i; ++k) theta *= p.theta_scale;
        if (p.has_factors != 0u) theta /= ff[p.ff_base + i];
    }
    const float a = reduce_angle(theta);
    const float c = cos(a) * p.mscale, s = sin(a) * p.mscale;
    const uint base = p.x_base + t * p.x_stride + h * p.head_dim + p.offset;
    const uint ia = base + (p.neox != 0u ? i : 2 * i), ib = base + (p.neox != 0u ? i + half_rot : 2 * i + 1);
    const float x0 = xs[ia], x1 = xs[ib];
    xs[ia] = x0 * c - x1 * s;
    xs[ib] = x0 * s + x1 * c;
}
