// kv_read.glsl: reads from the K and V caches (bindings 2 and 4) in the type of the KV_<TYPE>
// define. The including shader's Params has k_base, v_base and kv_stride (cache elements, or
// bytes for Q8_0). k_vec(row, e) / v_vec(row, e) return KV_VW consecutive elements from e on:
// F32 and F16 rows are read 16 bytes at a time (4 floats, 8 halves), which the host allows only
// when bases, stride and head_dim are multiples of KV_VW; Q8_0's 34-byte blocks leave its
// elements unaligned, so it reads one element (scale and quant bytes) at a time.
#if defined(KV_F32)
#define KV_VW 4
layout(binding = 2) readonly buffer KV { uvec4 kv[]; };
layout(binding = 4) readonly buffer VV { uvec4 vv[]; };
float[4] kv_unpack(uvec4 w) {
    const vec4 f = uintBitsToFloat(w);
    return float[4](f.x, f.y, f.z, f.w);
}
#elif defined(KV_F16)
#define KV_VW 8
layout(binding = 2) readonly buffer KV { uvec4 kv[]; };
layout(binding = 4) readonly buffer VV { uvec4 vv[]; };
float[8] kv_unpack(uvec4 w) {
    const vec2 a = unpackHalf2x16(w.x), b = unpackHalf2x16(w.y), c = unpackHalf2x16(w.z), d = unpackHalf2x16(w.w);
    return float[8](a.x, a.y, b.x, b.y, c.x, c.y, d.x, d.y);
}
#elif defined(KV_Q8_0)
#define KV_VW 1
layout(binding = 2) readonly buffer KV { uint8_t kv[]; };
layout(binding = 4) readonly buffer VV { uint8_t vv[]; };
#else
#error "no KV_ define"
#endif

#if defined(KV_Q8_0)
float[1] k_vec(uint row, uint e) {
    const uint b = p.k_base + row * p.kv_stride + (e / 32) * 34;
    const float scale = half_bits_to_float(uint(kv[b]) | (uint(kv[b + 1]) << 8));
    return float[1](scale * float(s8(uint(kv[b + 2 + e % 32]))));
}
float[1] v_vec(uint row, uint e) {
    const uint b = p.v_base + row * p.kv_stride + (e / 32) * 34;
    const float scale = half_bits_to_float(uint(vv[b]) | (uint(vv[b + 1]) << 8));
    return float[1](scale * float(s8(uint(vv[b + 2 + e % 32]))));
}
#else
float[KV_VW] k_vec(uint row, uint e) { return kv_unpack(kv[(p.k_base + row * p.kv_stride + e) / KV_VW]); }
float[KV_VW] v_vec(uint row, uint e) { return kv_unpack(vv[(p.v_base + row * p.kv_stride + e) / KV_VW]); }
#endif
