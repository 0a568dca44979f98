#version 450
// attention_split.comp: one decode step's attention (one query row) with the cached range split
// across workgroups and reduced (flash-decoding), so a long context keeps the device busy where
// attention.comp has only one workgroup per head. Same semantics as attention.comp for every
// KV_<TYPE>: causal GQA over cache rows [0, pos[0]], softmax(scale * q.k) in f32.
//   ATTN_PARTIAL: workgroup (h, s), h = group / n_splits, takes split s of the n_pos = pos[0] + 1
//     cached rows: splits of max(MIN_SPLIT, ceil(n_pos / n_splits)) rows, rounded up to 64, so a
//     short context uses few splits (the rest write an empty partial) and a long one all of them
//     (read from the device: the dispatch is the same at every step). Over its rows it runs an
//     online softmax in chunks (below) and writes its partial: the running max m,
//     the sum l of exp(s - m) and the unnormalised sum of exp(s - m) * v (head_dim floats).
//   ATTN_REDUCE: workgroup h combines head h's partials: M = max m_s,
//     out = sum_s exp(m_s - M) acc_s / sum_s exp(m_s - M) l_s.
// Partials: [n_heads][n_splits] records of (head_dim + 2) floats: acc..., m, l.
#extension GL_GOOGLE_include_directive : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
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
// The split's rows are walked in chunks of up to CHUNK: every invocation scores CHUNK / WG rows
// into shared memory, the workgroup finds the chunk's max and sum with subgroup operations, and
// then the chunk's rows are shared out for the values. Four barriers per chunk, where a 64-row
// online-softmax tile needed four per tile and had every invocation rescan its 64 scores twice.
// Values: a row's head_dim / KV_VW vector reads are spread over L invocations (the power of two
// at or above that count, at most 64), so WG / L "slots" of invocations take every slots-th row
// of the chunk; the slots' sums are added at the end.
const uint WG = 64, MIN_SPLIT = 256, CHUNK = 512;
const uint MAX_GROUPS = (WG * MAX_DIMS / KV_VW + WG - 1) / WG;  // vector reads per invocation per row
const uint W_SH = CHUNK > WG * MAX_DIMS ? CHUNK : WG * MAX_DIMS;  // also holds slots * head_dim sums
shared float q_sh[WG * MAX_DIMS];
shared float w_sh[W_SH];
shared float red_sh[WG];  // one value per subgroup (at least 1 invocation each)

// The workgroup's max (or sum) of v: subgroup first, then the subgroups' results in shared memory.
// Ends with a barrier so red_sh can be reused at once.
float workgroup_max(float v) {
    const float sg = subgroupMax(v);
    if (subgroupElect()) red_sh[gl_SubgroupID] = sg;
    barrier();
    float r = -1.0 / 0.0;
    for (uint i = 0; i < gl_NumSubgroups; ++i) r = max(r, red_sh[i]);
    barrier();
    return r;
}
float workgroup_sum(float v) {
    const float sg = subgroupAdd(v);
    if (subgroupElect()) red_sh[gl_SubgroupID] = sg;
    barrier();
    float r = 0.0;
    for (uint i = 0; i < gl_NumSubgroups; ++i) r += red_sh[i];
    barrier();
    return r;
}

void main() {
    const uint g = flat_group(), tid = gl_LocalInvocationID.x;
    if (g >= p.n_heads * p.n_splits) return;  // surplus of a spread grid (common.glsl)
    const uint h = g / p.n_splits, s = g % p.n_splits;
    const uint kvh = h / (p.n_heads / p.n_kv_heads), hd = p.head_dim;
    const uint n_pos = uint(pos[p.pos_base]) + 1;
    const uint per = (max(MIN_SPLIT, (n_pos + p.n_splits - 1) / p.n_splits) + WG - 1) / WG * WG;
    const uint begin = min(s * per, n_pos), end = min(begin + per, n_pos);
    const uint qb = p.q_base + h * hd, kv0 = kvh * hd;
    const uint groups = hd / KV_VW;
    uint lanes = 1;
    while (lanes < groups && lanes < WG) lanes *= 2;
    const uint slots = WG / lanes, slot = tid / lanes, lane = tid % lanes;
    for (uint d = tid; d < hd; d += WG) q_sh[d] = qs[qb + d];
    barrier();

    float m = -1.0 / 0.0, l = 0.0;
    float acc[MAX_GROUPS][KV_VW];
    [[unroll]] for (uint i = 0; i < MAX_GROUPS; ++i)
        [[unroll]] for (uint c = 0; c < KV_VW; ++c) acc[i][c] = 0.0;
    for (uint c0 = begin; c0 < end; c0 += CHUNK) {
        const uint n = min(CHUNK, end - c0);
        float local_max = -1.0 / 0.0;
        for (uint j = tid; j < n; j += WG) {
            float sc = 0.0;
            for (uint e = 0; e < hd; e += KV_VW) {
                const float k[KV_VW] = k_vec(c0 + j, kv0 + e);
                [[unroll]] for (uint c = 0; c < KV_VW; ++c) sc += q_sh[e + c] * k[c];
            }
            sc *= p.scale;
            w_sh[j] = sc;
            local_max = max(local_max, sc);
        }
        const float m_new = max(m, workgroup_max(local_max));  // its barriers publish w_sh
        const float corr = exp(m - m_new);                    // m = -inf on the first chunk: exp(-inf) = 0
        float local_sum = 0.0;
        for (uint j = tid; j < n; j += WG) {
            const float w = exp(w_sh[j] - m_new);
            w_sh[j] = w;
            local_sum += w;
        }
        l = l * corr + workgroup_sum(local_sum);  // its barriers publish the weights
        [[unroll]] for (uint i = 0; i < MAX_GROUPS; ++i)
            [[unroll]] for (uint c = 0; c < KV_VW; ++c) acc[i][c] *= corr;
        for (uint j = slot; j < n; j += slots) {
            const float w = w_sh[j];
            [[unroll]] for (uint i = 0; i < MAX_GROUPS; ++i) {
                const uint grp = lane + i * lanes;
                if (grp < groups) {
                    const float v[KV_VW] = v_vec(c0 + j, kv0 + grp * KV_VW);
                    [[unroll]] for (uint c = 0; c < KV_VW; ++c) acc[i][c] += w * v[c];
                }
            }
        }
        m = m_new;
        barrier();  // the next chunk overwrites w_sh
    }
    // The slots' sums, added per dimension. An empty split (past the context) leaves m = -inf,
    // l = 0, acc = 0: it adds nothing.
    [[unroll]] for (uint i = 0; i < MAX_GROUPS; ++i) {
        const uint grp = lane + i * lanes;
        if (grp < groups)
            [[unroll]] for (uint c = 0; c < KV_VW; ++c) w_sh[slot * hd + grp * KV_VW + c] = acc[i][c];
    }
    barrier();
    const uint rec = (h * p.n_splits + s) * (hd + 2);
    for (uint d = tid; d < hd; d += WG) {
        float a = 0.0;
        for (uint t = 0; t < slots; ++t) a += w_sh[t * hd + d];
        part[rec + d] = a;
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
    if (h >= p.n_heads) return;
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
