#version 450
// moe_route.comp: mixture-of-experts routing, one invocation per token (row of the router's
// logits), with exactly the CPU backend's semantics and f32 operation order (backend.h
// MoeRouting): probabilities p = softmax or sigmoid of the logits; selection scores s = p + bias;
// with groups, each group scored by the sum of its two best s and only the n_groups_used best
// groups (ties: lower group) compete; the n_used largest s win (ties: lower id); their weights
// are p, divided by their sum when normalising (sum clamped below at 6.1e-5), times scale.
// Routing is a few hundred values per token: a serial loop per token costs nothing next to the
// expert matmuls, and keeps the selection order obvious.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer L { float logits[]; };
layout(binding = 1) readonly buffer B { float bias[]; };
layout(binding = 2) writeonly buffer I { int ids[]; };
layout(binding = 3) writeonly buffer W { float ws[]; };
layout(push_constant) uniform Params {
    uint l_base, l_stride;      // floats
    uint b_base, has_bias;
    uint i_base, i_stride;      // ints
    uint w_base, w_stride;      // floats
    uint rows, n_experts, n_used, sigmoid_gating, n_groups, n_groups_used, normalize;
    float scale;
} p;

const uint MAX_EXPERTS = 256, MAX_GROUPS = 64, MAX_USED = 64;  // checked by the host
const float NEG_INF = -1.0 / 0.0;

void main() {
    const uint t = gl_GlobalInvocationID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x * 64;
    if (t >= p.rows) return;
    const uint n = p.n_experts, lb = p.l_base + t * p.l_stride;
    float prob[MAX_EXPERTS], score[MAX_EXPERTS];
    if (p.sigmoid_gating != 0u) {
        for (uint e = 0; e < n; ++e) prob[e] = 1.0 / (1.0 + exp(-logits[lb + e]));
    } else {
        float mx = logits[lb];
        for (uint e = 1; e < n; ++e) mx = max(mx, logits[lb + e]);
        float sum = 0.0;
        for (uint e = 0; e < n; ++e) {
            prob[e] = exp(logits[lb + e] - mx);
            sum += prob[e];
        }
        for (uint e = 0; e < n; ++e) prob[e] /= sum;
    }
    for (uint e = 0; e < n; ++e) score[e] = p.has_bias != 0u ? prob[e] + bias[p.b_base + e] : prob[e];

    if (p.n_groups > 1 && p.n_groups_used < p.n_groups) {
        const uint per_group = n / p.n_groups;
        float group_score[MAX_GROUPS];
        bool kept[MAX_GROUPS];
        for (uint g = 0; g < p.n_groups; ++g) {
            float best = NEG_INF, second = NEG_INF;
            for (uint i = 0; i < per_group; ++i) {
                const float s = score[g * per_group + i];
                if (s > best) {
                    second = best;
                    best = s;
                } else if (s > second) {
                    second = s;
                }
            }
            group_score[g] = per_group > 1 ? best + second : best;
            kept[g] = false;
        }
        // The n_groups_used best groups, as a stable sort by descending score would take them.
        for (uint r = 0; r < p.n_groups_used; ++r) {
            int pick = -1;
            for (uint g = 0; g < p.n_groups; ++g)
                if (!kept[g] && (pick < 0 || group_score[g] > group_score[uint(pick)])) pick = int(g);
            kept[uint(pick)] = true;
        }
        for (uint g = 0; g < p.n_groups; ++g)
            if (!kept[g])
                for (uint i = 0; i < per_group; ++i) score[g * per_group + i] = NEG_INF;
    }

    // The n_used best experts in order (ties: lower id), as the CPU's partial sort orders them.
    uint chosen[MAX_EXPERTS / 32];
    for (uint w = 0; w < MAX_EXPERTS / 32; ++w) chosen[w] = 0u;
    uint picks[MAX_USED];
    float sum = 0.0;
    for (uint j = 0; j < p.n_used; ++j) {
        int pick = -1;
        for (uint e = 0; e < n; ++e)
            if ((chosen[e / 32] & (1u << (e % 32))) == 0u && (pick < 0 || score[e] > score[uint(pick)])) pick = int(e);
        const uint e = uint(pick);
        chosen[e / 32] |= 1u << (e % 32);
        picks[j] = e;
        sum += prob[e];
    }
    const float norm = p.normalize != 0u ? 1.0 / max(sum, 6.103515625e-5) : 1.0;
    for (uint j = 0; j < p.n_used; ++j) {
        ids[p.i_base + t * p.i_stride + j] = int(picks[j]);
        ws[p.w_base + t * p.w_stride + j] = prob[picks[j]] * norm * p.scale;
    }
}
