#version 450
// quantize_x8.comp: activation rows to signed 8-bit integers, for matvec_int8.comp and
// matmul_id.comp's X_INT8 build, exactly as the CPU backend quantizes them for its integer
// kernels (quant/quantize.cpp), so the two backends' integer dots see the same bytes:
// - by default as Q8_0, for the formats with 32-value blocks: per 32 values d = max |x| / 127,
//   q = round(x / d) (halves to even), the scale kept as the f16 the CPU stores;
// - with -DX_Q8K as Q8_K, for the K-quants and IQ4_XS: per 256 values, the value of largest
//   magnitude (the first such) maps to -127, q = min(127, round(x * -127 / max)), d = max / -127.
// Row i takes 9 blocks words from q[9 blocks i] (blocks: its 32-value blocks): block b's values
// as 8 words of 4 bytes at + 8 b (value 32 b + j in byte j % 4 of word 8 b + j / 4), and the
// scales as float bits from + 8 blocks: one per 32 values, or with X_Q8K one per 256. One
// invocation per scale block: a 4096-wide row is 128 (or 16) of them, next to the matmul's
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

#ifdef X_Q8K
const uint N = 256;
#else
const uint N = 32;
#endif

void main() {
    const uint groups = p.blocks / (N / 32), i = flat_group() * 64 + gl_LocalInvocationID.x;
    if (i >= groups * p.rows) return;
    const uint r = i / groups, g = i % groups, x0 = p.x_base + r * p.x_stride + N * g, q0 = 9 * p.blocks * r;
    float amax = 0.0;
    for (uint l = 0; l < N; ++l) amax = max(amax, abs(xs[x0 + l]));
#ifdef X_Q8K
    float mx = amax;  // signed: the first value of that magnitude
    for (uint l = 0; l < N; ++l) {
        const float v = xs[x0 + l];
        if (v == -amax) {
            mx = -amax;
            break;
        }
        if (v == amax) break;
    }
    const float id = amax != 0.0 ? -127.0 / mx : 0.0, d = amax != 0.0 ? 1.0 / id : 0.0;
#else
    const float d32 = amax / 127.0, id = d32 != 0.0 ? 1.0 / d32 : 0.0;
    const float d = half_bits_to_float(float_to_half_bits(d32));
#endif
    for (uint k = 0; k < N / 4; ++k) {
        uint w = 0;
        [[unroll]] for (uint j = 0; j < 4; ++j) {
            const int v = clamp(int(roundEven(xs[x0 + 4 * k + j] * id)), -128, 127);
            w |= (uint(v) & 0xFFu) << (8 * j);
        }
        q[q0 + (N / 4) * g + k] = w;
    }
    q[q0 + 8 * p.blocks + g] = floatBitsToUint(d);
}
