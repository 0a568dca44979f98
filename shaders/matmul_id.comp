#version 450
// matmul_id.comp: out[i] = W_ids[i] . x[i / per_x] where W stacks n_experts matrices of R rows
// (expert e = weight rows [e * R, (e + 1) * R)), W in the type of the W_<TYPE> define. The grid
// is (row blocks of one expert, experts): the workgroup of expert e first collects, window by
// window, the output rows whose id is e (a shared list; the rows are grouped by expert on the
// device, since the ids are results of an earlier op), then each of its subgroups computes one
// weight row against those rows as matmul.comp does: the row's 32-value units (weights.glsl, in
// runs of W_RUN columns) dequantized once per 8 rows of the list, dotted, summed with
// subgroupAdd. An expert nobody chose finds an empty list and reads none of its weights; a
// chosen one is read once for all the rows that chose it.
// Weights larger than one storage binding are dispatched chunk by chunk (the host binds rows
// [chunk_row0, chunk_row0 + chunk_rows)); rows outside the bound chunk are skipped here.
// An id outside [0, n_experts) is reported in the status buffer (the host throws in finish()).
// Built with X_INT8, x is quantize_x8.comp's rows of 8-bit values and each unit is decoded to
// bytes once per pass (weights_int8.glsl) and dotted as matvec_int8.comp does
// (unit_dot_int8.glsl); x_base and x_stride are then unused.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer W { uint ww[]; };  // weights as words (weights.glsl)
#ifdef X_INT8
#extension GL_EXT_spirv_intrinsics : require
layout(binding = 1) readonly buffer X { uint xq[]; };  // quantize_x8.comp's rows from word 0
#else
layout(binding = 1) readonly buffer X { float xs[]; };
#endif
layout(binding = 2) writeonly buffer O { float os[]; };
layout(binding = 3) readonly buffer I { int ids[]; };
layout(binding = 4) coherent buffer S { uint status[]; };  // [0] 1 = a bad id, [1] the id, [2] n_experts
layout(push_constant) uniform Params {
    uint w_base, w_stride;          // byte of chunk row 0 in the binding; bytes per row
    uint chunk_row0, chunk_rows;    // weight rows of the bound chunk
    uint R;                         // rows per expert
    uint cols;                      // quantized types: a multiple of their block; F32/F16: any
    uint n_ids, per_x;              // output rows; output rows per x row
    uint x_base, x_stride;          // floats
    uint o_base, o_stride;          // floats
    uint ids_base;                  // ints
    uint expert0, n_experts;        // expert of grid row y = 0; experts in all
} p;

#include "weights.glsl"
#ifdef X_INT8
#include "weights_int8.glsl"
#include "unit_dot_int8.glsl"
#else
#include "unit_dot.glsl"
#endif

// Rows of the list per pass over the weight row: 8, or 1 in the one-token variant (-DTOK_ONE,
// for generation, where an expert is chosen at most once; more rows are still right, in passes).
#ifdef TOK_ONE
const uint WG = 64, WIN = 256, TOK = 1;
#else
const uint WG = 64, WIN = 256, TOK = 8;
#endif
shared uint list[WIN];
shared uint count;

void main() {
    const uint tid = gl_LocalInvocationID.x, lane = gl_SubgroupInvocationID;
    const uint e = p.expert0 + gl_WorkGroupID.y;
    const uint r = gl_WorkGroupID.x * gl_NumSubgroups + gl_SubgroupID;  // row within the expert
    const uint g = e * p.R + r;                                         // weight row
    // The same for every lane of a subgroup, so subgroupAdd below runs in uniform control flow.
    const bool in_chunk = r < p.R && g >= p.chunk_row0 && g < p.chunk_row0 + p.chunk_rows;
    const uint row = p.w_base + (g - p.chunk_row0) * p.w_stride, units = (p.cols + 31) / 32;
    const bool reporter = gl_WorkGroupID.x == 0 && gl_WorkGroupID.y == 0;
    for (uint w0 = 0; w0 < p.n_ids; w0 += WIN) {
        if (tid == 0) count = 0;
        barrier();
        for (uint i = tid; i < WIN && w0 + i < p.n_ids; i += WG) {
            const int id = ids[p.ids_base + w0 + i];
            if (id == int(e)) list[atomicAdd(count, 1u)] = w0 + i;
            if (reporter && (id < 0 || id >= int(p.n_experts)) && atomicCompSwap(status[0], 0u, 1u) == 0u) {
                status[1] = uint(id);
                status[2] = p.n_experts;
            }
        }
        barrier();
        const uint n_here = count;
        if (in_chunk) {
            for (uint t0 = 0; t0 < n_here; t0 += TOK) {
                const uint nt = min(TOK, n_here - t0);
                float acc[TOK];
                uint xb0[TOK];
                [[unroll]] for (uint k = 0; k < TOK; ++k) {
                    acc[k] = 0.0;
#ifdef X_INT8
                    xb0[k] = k < nt ? 9 * units * (list[t0 + k] / p.per_x) : 0u;  // quantized cols: units = blocks
#else
                    xb0[k] = k < nt ? p.x_base + (list[t0 + k] / p.per_x) * p.x_stride : 0u;
#endif
                }
                for (uint u = lane; u < units; u += gl_SubgroupSize) {
#ifdef X_INT8
                    uint q[8];
                    float d[W_RUNS], m[W_RUNS];
                    unit_ints(row, u, q, d, m);
                    [[unroll]] for (uint k = 0; k < TOK; ++k) {
                        if (k >= nt) break;
                        acc[k] += ints_dot_int8(u, q, d, m, xb0[k], units);
                    }
#else
                    float v[32];
                    unit_values(row, u, v);
                    uint col[32 / W_RUN];  // the columns of v's runs (weights.glsl)
                    [[unroll]] for (uint c = 0; c < 32 / W_RUN; ++c) col[c] = unit_col(u, c);
                    const uint n = min(32, p.cols - u * 32);  // < 32 only at the end of a float row
                    [[unroll]] for (uint k = 0; k < TOK; ++k) {
                        if (k >= nt) break;
                        acc[k] += unit_dot(v, col, n, xb0[k]);
                    }
#endif
                }
                [[unroll]] for (uint k = 0; k < TOK; ++k) {
                    if (k >= nt) break;
                    const float s = subgroupAdd(acc[k]);
                    if (lane == 0) os[p.o_base + list[t0 + k] * p.o_stride + r] = s;
                }
            }
        }
        barrier();
    }
}
