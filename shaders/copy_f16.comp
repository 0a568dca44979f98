#version 450
// copy_f16.comp: copies an F16 [rows, cols] view into another (16-bit words, no conversion).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 256) in;
layout(binding = 0) readonly buffer A { uint16_t as_[]; };
layout(binding = 1) writeonly buffer O { uint16_t os[]; };
layout(push_constant) uniform Params {
    uint a_base, a_stride, o_base, o_stride, rows, cols;
} p;

void main() {
    const uint c = gl_GlobalInvocationID.x, r = flat_row();
    if (c >= p.cols || r >= p.rows) return;
    os[p.o_base + r * p.o_stride + c] = as_[p.a_base + r * p.a_stride + c];
}
