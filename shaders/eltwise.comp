#version 450
// eltwise.comp: element-wise ops on F32 [rows, cols] views, chosen by define: OP_ADD (b may be one
// row broadcast over a: b_stride 0), OP_SWIGLU (silu(a) * b), OP_SCALE (a * s), OP_COPY. One
// invocation per element; groups are (256 columns, 1 row). out may equal a or b.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 256) in;
layout(binding = 0) readonly buffer A { float as_[]; };
layout(binding = 1) readonly buffer B { float bs[]; };
layout(binding = 2) buffer O { float os[]; };
layout(push_constant) uniform Params {
    uint a_base, a_stride, b_base, b_stride, o_base, o_stride, rows, cols;
    float s;
} p;

void main() {
    const uint c = gl_GlobalInvocationID.x, r = flat_row();
    if (c >= p.cols || r >= p.rows) return;
    const float a = as_[p.a_base + r * p.a_stride + c];
#if defined(OP_ADD)
    const float v = a + bs[p.b_base + r * p.b_stride + c];
#elif defined(OP_SWIGLU)
    const float v = a / (1.0 + exp(-a)) * bs[p.b_base + r * p.b_stride + c];
#elif defined(OP_SCALE)
    const float v = a * p.s;
#elif defined(OP_COPY)
    const float v = a;
#else
#error "no OP_ define"
#endif
    os[p.o_base + r * p.o_stride + c] = v;
}
