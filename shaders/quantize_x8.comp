#version 450
// quantize_x8.comp: one activation row to signed 8-bit integers in blocks of 32, for
// matvec_int8.comp: block b's values as 8 words of 4 bytes at q[8 b ..] (value 32 b + i in byte
// i % 4 of word 8 b + i / 4), its scale d = max |x| / 127 as float bits at q[8 blocks + b], and
// each value round(x / d). The CPU backend quantizes its activations the same way for its integer
// kernels (quant/quantize.cpp, Q8_0), but keeps d in f16; here it stays f32. One invocation per
// block: a 4096-wide row is 128 of them, a dispatch of two workgroups, next to the matmul's
// thousands.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer X { float xs[]; };
layout(binding = 1) writeonly buffer Q { uint q[]; };
layout(push_constant) uniform Params {
    uint x_base;  // float of the row's first value
    uint blocks;  // the row's length / 32
} p;

void main() {
    const uint b = flat_group() * 64 + gl_LocalInvocationID.x;
    if (b >= p.blocks) return;
    float v[32];
    float amax = 0.0;
    [[unroll]] for (uint l = 0; l < 32; ++l) {
        v[l] = xs[p.x_base + 32 * b + l];
        amax = max(amax, abs(v[l]));
    }
    const float d = amax / 127.0, id = d != 0.0 ? 1.0 / d : 0.0;
    [[unroll]] for (uint k = 0; k < 8; ++k) {
        uint w = 0;
        [[unroll]] for (uint i = 0; i < 4; ++i) w |= (uint(int(roundEven(v[4 * k + i] * id))) & 0xFFu) << (8 * i);
        q[8 * b + k] = w;
    }
    q[8 * p.blocks + b] = floatBitsToUint(d);
}
