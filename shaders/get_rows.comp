#version 450
// get_rows.comp: out[t] = dequantized table row ids[t], for the ids that fall in the bound chunk
// of table rows [row0, row0 + rows) (tables larger than one storage binding are looked up chunk by
// chunk). One workgroup per output row; ids are clamped to the table, never read outside it.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer W { uint ww[]; };  // weights as words (weights.glsl)
layout(binding = 1) readonly buffer I { int ids[]; };
layout(binding = 2) writeonly buffer O { float os[]; };
layout(push_constant) uniform Params {
    uint w_base, w_stride;  // bytes
    uint row0, rows;        // table rows in this chunk
    uint vocab;             // rows of the whole table (for clamping)
    uint cols;
    uint ids_base;          // ints
    uint o_base, o_stride;  // floats
    uint n_ids;             // output rows: workgroups past it leave (common.glsl)
} p;

#include "weights.glsl"

void main() {
    const uint t = flat_group(), tid = gl_LocalInvocationID.x;
    if (t >= p.n_ids) return;
    const uint id = uint(clamp(ids[p.ids_base + t], 0, int(p.vocab) - 1));
    if (id < p.row0 || id >= p.row0 + p.rows) return;
    const uint row = p.w_base + (id - p.row0) * p.w_stride;
    for (uint u = tid; u < (p.cols + 31) / 32; u += 64) {
        float v[32];
        unit_values(row, u, v);
        const uint ob = p.o_base + t * p.o_stride, n = min(32, p.cols - u * 32);  // n < 32: float rows, one run
        [[unroll]] for (uint g = 0; g < 32 / W_RUN; ++g) {
            const uint c = ob + unit_col(u, g);
            [[unroll]] for (uint i = 0; i < W_RUN; ++i)
                if (g * W_RUN + i < n) os[c + i] = v[g * W_RUN + i];
        }
    }
}
