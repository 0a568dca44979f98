// kv_read.glsl: element reads from the K and V caches (bindings 2 and 4) in the type of the
// KV_<TYPE> define: F32, F16, or Q8_0 rows addressed in bytes (34-byte blocks of 32). The
// including shader's Params has k_base, v_base and kv_stride (cache elements, or bytes for Q8_0).
// The same element values as attention.comp's own copies of these reads.
#if defined(KV_F32)
layout(binding = 2) readonly buffer KV { float kv[]; };
layout(binding = 4) readonly buffer VV { float vv[]; };
#elif defined(KV_F16)
layout(binding = 2) readonly buffer KV { uint16_t kv[]; };
layout(binding = 4) readonly buffer VV { uint16_t vv[]; };
#elif defined(KV_Q8_0)
layout(binding = 2) readonly buffer KV { uint8_t kv[]; };
layout(binding = 4) readonly buffer VV { uint8_t vv[]; };
#else
#error "no KV_ define"
#endif

float k_elem(uint row, uint e) {
#if defined(KV_Q8_0)
    const uint b = p.k_base + row * p.kv_stride + (e / 32) * 34;
    return half_bits_to_float(uint(kv[b]) | (uint(kv[b + 1]) << 8)) * float(s8(uint(kv[b + 2 + e % 32])));
#elif defined(KV_F16)
    return half_bits_to_float(uint(kv[p.k_base + row * p.kv_stride + e]));
#else
    return kv[p.k_base + row * p.kv_stride + e];
#endif
}

float v_elem(uint row, uint e) {
#if defined(KV_Q8_0)
    const uint b = p.v_base + row * p.kv_stride + (e / 32) * 34;
    return half_bits_to_float(uint(vv[b]) | (uint(vv[b + 1]) << 8)) * float(s8(uint(vv[b + 2 + e % 32])));
#elif defined(KV_F16)
    return half_bits_to_float(uint(vv[p.v_base + row * p.kv_stride + e]));
#else
    return vv[p.v_base + row * p.kv_stride + e];
#endif
}
