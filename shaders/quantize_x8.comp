#version 450
// quantize_x8.comp: activation rows to signed 8-bit integers in blocks of 32, for
// matvec_int8.comp and matmul_id.comp's X_INT8 build: row i takes 9 blocks words from
// q[9 blocks i]: block b's values as 8 words of 4 bytes at + 8 b (value 32 b + j in byte j % 4
// of word 8 b + j / 4), its scale d = max |x| / 127 as float bits at + 8 blocks + b, and each
// value round(x / d). The CPU backend quantizes its activations the same way for its integer
// kernels (quant/quantize.cpp, Q8_0), but keeps d in f16; here it stays f32. One invocation per
// block: a 4096-wide row is 128 of them, a dispatch of two workgroups, next to the matmul's
// thousands.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer X { float xs[]; };
layout(binding = 1) writeonly buffer Q { uint q[]; };
layout(push_constant) uniform Params {
    uint x_base, x_stride;  // floats
    uint blocks;            // a row's length / 32
    uint rows;
} p;

void main() {
    const uint i = flat_group() * 64 + gl_LocalInvocationID.x;
    if (i >= p.blocks * p.rows) return;
    const uint r = i / p.blocks, b = i % p.blocks, x0 = p.x_base + r * p.x_stride + 32 * b, q0 = 9 * p.blocks * r;
    float v[32];
    float amax = 0.0;
    [[unroll]] for (uint l = 0; l < 32; ++l) {
        v[l] = xs[x0 + l];
        amax = max(amax, abs(v[l]));
    }
    const float d = amax / 127.0, id = d != 0.0 ? 1.0 / d : 0.0;
    [[unroll]] for (uint k = 0; k < 8; ++k) {
        uint w = 0;
        [[unroll]] for (uint j = 0; j < 4; ++j) w |= (uint(int(roundEven(v[4 * k + j] * id))) & 0xFFu) << (8 * j);
        q[q0 + 8 * b + k] = w;
    }
    q[q0 + 8 * p.blocks + b] = floatBitsToUint(d);
}
