#version 450
// attention_split.comp: one decode step's attention (one query row) with the cached range split
// across workgroups and reduced (flash-decoding), so a long context keeps the device busy where
// attention.comp has only one workgroup per head. Same semantics as attention.comp for every
// KV_<TYPE>: causal GQA over cache rows [0, pos[0]], softmax(scale * q.k) in f32.
//   ATTN_PARTIAL: workgroup (h, s), h = group / n_splits, takes split s of the n_pos = pos[0] + 1
//     cached rows: splits of max(MIN_SPLIT, ceil(n_pos / n_splits)) rows, rounded up to 64, so a
//     short context uses few splits (the rest write an empty partial) and a long one all of them
//     (read from the device: the dispatch is the same at every step). Over its rows it runs
//     attention.comp's online softmax in tiles of 64 and writes its partial: the running max m,
//     the sum l of exp(s - m) and the unnormalised sum of exp(s - m) * v (head_dim floats).
//   ATTN_REDUCE: workgroup h combines head h's partials: M = max m_s,
//     out = sum_s exp(m_s - M) acc_s / sum_s exp(m_s - M) l_s.
// Partials: [n_heads][n_splits] records of (head_dim + 2) floats: acc..., m, l.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;

#if defined(ATTN_PARTIAL)
layout(binding = 0) readonly buffer Q { float qs[]; };
layout(binding = 1) readonly buffer Pos { int pos[]; };
layout(binding = 3) writeonly buffer Part { float part[]; };
layout(push_constant) uniform Params {
    uint q_base;                    // floats: the query row
    uint pos_base;
    uint k_base, v_base, kv_stride; // cache elements (F32/F16) or bytes (Q8_0)
    uint n_heads, n_kv_heads, head_dim;
    float scale;
    uint n_splits;
} p;
#include "kv_read.glsl"

// head_dim <= 64 * MAX_DIMS: 256 by default, 576 in the attention_split_wide_* variants
// (MAX_DIMS=9, MLA's latent rows) as in attention.comp.
#ifndef MAX_DIMS
#define MAX_DIMS 4
#endif
const uint WG = 64, MIN_SPLIT = 256;
shared float q_sh[WG * MAX_DIMS];
shared float w_sh[WG];

void main() {
    const uint g = flat_group(), tid = gl_LocalInvocationID.x;
    const uint h = g / p.n_splits, s = g % p.n_splits;
    const uint kvh = h / (p.n_heads / p.n_kv_heads), hd = p.head_dim;
    const uint n_pos = uint(pos[p.pos_base]) + 1;
    const uint per = (max(MIN_SPLIT, (n_pos + p.n_splits - 1) / p.n_splits) + WG - 1) / WG * WG;
    const uint begin = min(s * per, n_pos), end = min(begin + per, n_pos);
    const uint qb = p.q_base + h * hd;
    for (uint d = tid; d < hd; d += WG) q_sh[d] = qs[qb + d];
    barrier();

    float m = -1.0 / 0.0, l = 0.0;
    float acc[MAX_DIMS];
    [[unroll]] for (uint k = 0; k < MAX_DIMS; ++k) acc[k] = 0.0;
    for (uint p0 = begin; p0 < end; p0 += WG) {
        const uint row = p0 + tid;
        float sc = -1.0 / 0.0;
        if (row < end) {
            sc = 0.0;
            for (uint d = 0; d < hd; ++d) sc += q_sh[d] * k_elem(row, kvh * hd + d);
            sc *= p.scale;
        }
        w_sh[tid] = sc;
        barrier();
        float tile_max = -1.0 / 0.0;
        for (uint j = 0; j < WG; ++j) tile_max = max(tile_max, w_sh[j]);
        const float m_new = max(m, tile_max);
        const float corr = exp(m - m_new);  // m = -inf on the first tile: exp(-inf) = 0
        barrier();
        w_sh[tid] = row < end ? exp(sc - m_new) : 0.0;
        barrier();
        float tile_sum = 0.0;
        for (uint j = 0; j < WG; ++j) tile_sum += w_sh[j];
        l = l * corr + tile_sum;
        const uint n = min(WG, end - p0);
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
    // An empty split (past the context) leaves m = -inf, l = 0, acc = 0: it adds nothing.
    const uint rec = (h * p.n_splits + s) * (hd + 2);
    [[unroll]] for (uint k = 0; k < MAX_DIMS; ++k) {
        const uint d = tid + k * WG;
        if (d < hd) part[rec + d] = acc[k];
    }
    if (tid == 0) {
        part[rec + hd] = m;
        part[rec + hd + 1] = l;
    }
}

#elif defined(ATTN_REDUCE)
layout(binding = 0) readonly buffer Part { float part[]; };
layout(binding = 1) writeonly buffer O { float os[]; };
layout(push_constant) uniform Params {
    uint o_base;  // floats: the output row
    uint n_heads, head_dim, n_splits;
} p;

void main() {
    const uint h = flat_group(), tid = gl_LocalInvocationID.x, hd = p.head_dim, rs = hd + 2;
    const uint first = h * p.n_splits * rs;
    float big = -1.0 / 0.0;
    for (uint s = 0; s < p.n_splits; ++s) big = max(big, part[first + s * rs + hd]);
    float l = 0.0;
    for (uint s = 0; s < p.n_splits; ++s) l += exp(part[first + s * rs + hd] - big) * part[first + s * rs + hd + 1];
    for (uint d = tid; d < hd; d += 64) {
        float a = 0.0;
        for (uint s = 0; s < p.n_splits; ++s) a += exp(part[first + s * rs + hd] - big) * part[first + s * rs + d];
        os[p.o_base + h * hd + d] = a / l;
    }
}
#else
#error "ATTN_PARTIAL or ATTN_REDUCE"
#endif
