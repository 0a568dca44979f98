#version 450
// attention.comp: causal grouped-query attention over a KV cache in the type of the KV_<TYPE>
// define. One workgroup per (query row t, head h): q row t attends to cache rows [0, pos[t]]
// (read from the device, so the dispatch is the same at every step). The cached range is walked in
// tiles of 64 positions with an online softmax: each invocation scores one position of the tile,
// then owns head_dim / 64 output dimensions and accumulates exp(s - max) * v over the tile.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer Q { float qs[]; };
layout(binding = 1) readonly buffer Pos { int pos[]; };
layout(binding = 3) writeonly buffer O { float os[]; };
#if defined(KV_F32)
layout(binding = 2) readonly buffer KV { float kv[]; };
float kv_at(uint e) { return kv[e]; }
#elif defined(KV_F16)
layout(binding = 2) readonly buffer KV { uint16_t kv[]; };
float kv_at(uint e) { return half_bits_to_float(uint(kv[e])); }
#elif defined(KV_Q8_0)
// Q8_0 rows are addressed in bytes; element e of a row at byte r is kv_at(r, e).
layout(binding = 2) readonly buffer KV { uint8_t kv[]; };
#else
#error "no KV_ define"
#endif
layout(push_constant) uniform Params {
    uint q_base, q_stride;          // floats
    uint pos_base;
    uint k_base, v_base, kv_stride; // cache elements (F32/F16) or bytes (Q8_0); K and V in one binding each
    uint o_base, o_stride;          // floats
    uint n_heads, n_kv_heads, head_dim;
    float scale;
    uint n_tokens;  // query rows: workgroups past n_tokens * n_heads leave (common.glsl)
} p;

// Bindings: 0 q, 1 positions, 2 K cache, 3 out, 4 V cache.
layout(binding = 4) readonly buffer VV {
#if defined(KV_F32)
    float vv[];
#elif defined(KV_F16)
    uint16_t vv[];
#else
    uint8_t vv[];
#endif
};

float k_elem(uint row, uint e) {
#if defined(KV_Q8_0)
    const uint b = p.k_base + row * p.kv_stride + (e / 32) * 34;
    return half_bits_to_float(uint(kv[b]) | (uint(kv[b + 1]) << 8)) * float(s8(uint(kv[b + 2 + e % 32])));
#else
    return kv_at(p.k_base + row * p.kv_stride + e);
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

// head_dim <= 64 * MAX_DIMS: 256 by default; the attention_wide_* variants are built with
// -DMAX_DIMS=9 for MLA's latent rows (DeepSeek: kv_lora 512 + rope 64 = 576).
#ifndef MAX_DIMS
#define MAX_DIMS 4
#endif
const uint WG = 64;
shared float q_sh[WG * MAX_DIMS];
shared float w_sh[WG];

void main() {
    const uint g = flat_group(), tid = gl_LocalInvocationID.x;
    if (g >= p.n_tokens * p.n_heads) return;  // the whole workgroup: before any barrier
    const uint t = g / p.n_heads, h = g % p.n_heads;
    const uint kvh = h / (p.n_heads / p.n_kv_heads), hd = p.head_dim;
    const uint n_pos = uint(pos[p.pos_base + t]) + 1;
    const uint qb = p.q_base + t * p.q_stride + h * hd;
    for (uint d = tid; d < hd; d += WG) q_sh[d] = qs[qb + d];
    barrier();

    float m = -1.0 / 0.0, l = 0.0;
    float acc[MAX_DIMS];
    [[unroll]] for (uint k = 0; k < MAX_DIMS; ++k) acc[k] = 0.0;
    for (uint p0 = 0; p0 < n_pos; p0 += WG) {
        const uint row = p0 + tid;
        float s = -1.0 / 0.0;
        if (row < n_pos) {
            s = 0.0;
            for (uint d = 0; d < hd; ++d) s += q_sh[d] * k_elem(row, kvh * hd + d);
            s *= p.scale;
        }
        w_sh[tid] = s;
        barrier();
        float tile_max = -1.0 / 0.0;
        for (uint j = 0; j < WG; ++j) tile_max = max(tile_max, w_sh[j]);
        const float m_new = max(m, tile_max);
        const float corr = exp(m - m_new);  // m = -inf on the first tile: exp(-inf) = 0
        barrier();
        w_sh[tid] = row < n_pos ? exp(s - m_new) : 0.0;
        barrier();
        float tile_sum = 0.0;
        for (uint j = 0; j < WG; ++j) tile_sum += w_sh[j];
        l = l * corr + tile_sum;
        const uint n = min(WG, n_pos - p0);
        [[unroll]] for (uint k = 0; k < MAX_DIMS; ++k) {
            const uint d = tid + k * WG;
            if (d < hd) {
                float a = acc[k] * corr;
                for (uint j = 0; j < n; ++j) a += w_sh[j] * v_elem(p0 + j, kvh * hd + d);
                acc[k] = a;
            }
        }
        m = m_new;
        barrier();
    }
    const uint ob = p.o_base + t * p.o_stride + h * hd;
    [[unroll]] for (uint k = 0; k < MAX_DIMS; ++k) {
        const uint d = tid + k * WG;
        if (d < hd) os[ob + d] = acc[k] / l;
    }
}
