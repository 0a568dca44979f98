#version 450
// top_k.comp: the k best of a list of (value, id) candidates, best first: a larger value first,
// equal values by the lower id (the host sampler's order, so the device and the host select
// exactly the same entries). Two passes, both this file:
//   TOPK_PARTIAL: the candidates are a logits row (id = index). Workgroup g takes the CHUNK
//     entries from g * CHUNK, caches them in shared memory and writes its k best to the scratch
//     lists at g * k (a chunk with fewer than k entries pads with (-inf, id 0x7fffffff), which
//     every real entry, -inf included, beats).
//   TOPK_MERGE: one workgroup over the n_groups * k partial candidates writes the final k.
// Each of the k rounds takes the best candidate strictly after the previous round's pick in that
// order: every invocation scans its share, then a shared-memory tree reduction (any subgroup size)
// finds the workgroup's best. Values are copied, never computed: bit-identical to the input.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer InV { float in_v[]; };
layout(binding = 1) readonly buffer InI { int in_i[]; };   // TOPK_MERGE only (a dummy otherwise)
layout(binding = 2) writeonly buffer OutV { float out_v[]; };
layout(binding = 3) writeonly buffer OutI { int out_i[]; };
layout(push_constant) uniform Params {
    uint in_base;    // floats: the first candidate value
    uint in_i_base;  // ints: the first candidate id (TOPK_MERGE)
    uint n;          // candidates in all
    uint k;
    uint out_base;   // floats / ints: where this workgroup's k results go (+ group * k when partial)
    uint out_i_base;
} p;

const uint WG = 64, CHUNK = 2048;
const int NONE = 0x7fffffff;

// a before b in the selection order.
bool before(float av, int ai, float bv, int bi) { return av > bv || (av == bv && ai < bi); }

#if defined(TOPK_PARTIAL)
shared float chunk_v[CHUNK];
#endif
shared float red_v[WG];
shared int red_i[WG];

void main() {
    const uint tid = gl_LocalInvocationID.x;
#if defined(TOPK_PARTIAL)
    const uint g = flat_group(), first = g * CHUNK;
    if (first >= p.n) return;  // surplus of a spread grid (common.glsl)
    const uint count = min(CHUNK, p.n - first);
    for (uint e = tid; e < count; e += WG) chunk_v[e] = in_v[p.in_base + first + e];
    barrier();
    const uint out_v0 = p.out_base + g * p.k, out_i0 = p.out_i_base + g * p.k;
#else
    const uint first = 0, count = p.n;
    const uint out_v0 = p.out_base, out_i0 = p.out_i_base;
#endif
    // The previous pick; +inf with id -1 comes before everything, so round 0 may take anything.
    float last_v = 1.0 / 0.0;
    int last_i = -1;
    for (uint round = 0; round < p.k; ++round) {
        float best_v = -1.0 / 0.0;
        int best_i = NONE;
        for (uint e = tid; e < count; e += WG) {
#if defined(TOPK_PARTIAL)
            const float v = chunk_v[e];
            const int id = int(first + e);
#else
            const float v = in_v[p.in_base + e];
            const int id = in_i[p.in_i_base + e];
#endif
            if (before(last_v, last_i, v, id) && before(v, id, best_v, best_i)) {
                best_v = v;
                best_i = id;
            }
        }
        red_v[tid] = best_v;
        red_i[tid] = best_i;
        barrier();
        for (uint s = WG / 2; s > 0; s >>= 1) {
            if (tid < s && before(red_v[tid + s], red_i[tid + s], red_v[tid], red_i[tid])) {
                red_v[tid] = red_v[tid + s];
                red_i[tid] = red_i[tid + s];
            }
            barrier();
        }
        last_v = red_v[0];
        last_i = red_i[0];
        if (tid == 0) {
            out_v[out_v0 + round] = last_v;
            out_i[out_i0 + round] = last_i;
        }
        barrier();  // red_* are rewritten by the next round
    }
}
