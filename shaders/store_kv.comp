#version 450
// store_kv.comp: writes src [rows, cols] (F32) into cache rows pos[0] .. pos[0] + rows - 1,
// converting to the cache type of the KV_<TYPE> define. F32/F16: one invocation per element.
// Q8_0: one invocation per 32-value block (d = amax / 127, q = round(x / d), as quantize_row_q8_0).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer S { float src[]; };
layout(binding = 1) readonly buffer Pos { int pos[]; };
#if defined(KV_F32)
layout(binding = 2) writeonly buffer C { float cache[]; };
#elif defined(KV_F16)
layout(binding = 2) writeonly buffer C { uint16_t cache[]; };
#elif defined(KV_Q8_0)
layout(binding = 2) writeonly buffer C { uint8_t cache[]; };
#else
#error "no KV_ define"
#endif
layout(push_constant) uniform Params {
    uint src_base, src_stride;      // floats
    uint pos_base;
    uint c_base, c_stride;          // cache elements (F32/F16) or bytes (Q8_0)
    uint rows, cols;
} p;

void main() {
    const uint t = flat_row(), i = gl_GlobalInvocationID.x;
    if (t >= p.rows) return;
    const uint row = uint(pos[p.pos_base]) + t;
    const uint sb = p.src_base + t * p.src_stride;
#if defined(KV_Q8_0)
    if (i >= p.cols / 32) return;
    float amax = 0.0;
    for (uint l = 0; l < 32; ++l) amax = max(amax, abs(src[sb + 32 * i + l]));
    const float d = amax / 127.0, id = d != 0.0 ? 1.0 / d : 0.0;
    const uint b = p.c_base + row * p.c_stride + i * 34, dh = float_to_half_bits(d);
    cache[b] = uint8_t(dh & 0xFFu);
    cache[b + 1] = uint8_t(dh >> 8);
    for (uint l = 0; l < 32; ++l) cache[b + 2 + l] = uint8_t(uint(int(round(src[sb + 32 * i + l] * id))) & 0xFFu);
#else
    if (i >= p.cols) return;
    const float v = src[sb + i];
#if defined(KV_F32)
    cache[p.c_base + row * p.c_stride + i] = v;
#else
    cache[p.c_base + row * p.c_stride + i] = uint16_t(float_to_half_bits(v));
#endif
#endif
}
