#version 450
// matmul_tiled_int8.comp: matmul_tiled.comp's prompt product on 8-bit activations, for devices
// with the integer dot product: out[t][row0 + r] = W[r] . x[t], x as quantize_x8.comp left its
// rows (the bytes and scales the CPU's integer kernels use) and W decoded to bytes by
// unit_ints() (weights_int8.glsl). The same tiling: a 64-invocation workgroup computes 64 weight
// rows x 16 tokens, walking the shared dimension one 32-value unit at a time; each invocation
// decodes one row's unit into shared memory (8 words of bytes, and a scale and min per run),
// the workgroup loads the 16 tokens' matching 8 words and run scales beside it, and every
// invocation accumulates a 4-row x 4-token block: per pair and run, W_RUN / 4 OpSDot products
// summed in integers, then one float multiply-add. Shared memory: about 8 KiB, under
// matmul_tiled.comp's 10.3 KiB that the backend checks. No subgroup operations.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#extension GL_EXT_spirv_intrinsics : require

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer W { uint ww[]; };  // weights as words (weights.glsl)
layout(binding = 1) readonly buffer X { uint xq[]; };  // quantize_x8.comp's rows from word 0
layout(binding = 2) writeonly buffer O { float os[]; };
// matmul.comp's fields; x_base and x_stride are unused (the rows are quantize_x8.comp's).
layout(push_constant) uniform Params {
    uint w_base;    // byte of chunk row 0 in the binding
    uint w_stride;  // bytes per row
    uint rows;      // rows in this chunk
    uint row0;      // output column of chunk row 0
    uint cols;      // a multiple of the format's block
    uint tokens;
    uint x_base, x_stride;
    uint o_base, o_stride;  // floats
} p;

#include "weights.glsl"
#include "weights_int8.glsl"
#include "unit_dot_int8.glsl"

const uint BM = 64, BN = 16, WPR = W_RUN / 4;  // words per run
// One word of padding per line: the 4 rows an invocation reads sit in different banks.
const uint LINE = 9;
shared uint wq_sh[BM * LINE];
shared float wd_sh[BM * W_RUNS];
shared float wm_sh[BM * W_RUNS];
shared uint xq_sh[BN * LINE];
shared float xd_sh[BN * W_RUNS];
#ifdef W_INT_MIN
shared int xs_sh[BN * W_RUNS];  // each run's activations summed, for the mins
#endif

void main() {
    const uint tid = gl_LocalInvocationID.x;
    const uint r_tile = gl_WorkGroupID.x * BM, t_tile = gl_WorkGroupID.y * BN;
    const uint units = p.cols / 32;  // = x's 32-value blocks
    // This invocation's output block: rows r_tile + tr + 16 i, tokens t_tile + tc + 4 j (i, j < 4).
    const uint tr = tid % 16, tc = tid / 16;
    float acc[4][4];
    [[unroll]] for (uint i = 0; i < 4; ++i)
        [[unroll]] for (uint j = 0; j < 4; ++j) acc[i][j] = 0.0;

    const uint my_row = r_tile + tid;  // the weight row this invocation decodes
    for (uint u = 0; u < units; ++u) {
        // Weights: one unit of one row per invocation; rows past the chunk are zeros.
        uint q[8];
        float d[W_RUNS], m[W_RUNS];
        if (my_row < p.rows) {
            unit_ints(p.w_base + my_row * p.w_stride, u, q, d, m);
        } else {
            [[unroll]] for (uint k = 0; k < 8; ++k) q[k] = 0;
            [[unroll]] for (uint g = 0; g < W_RUNS; ++g) d[g] = m[g] = 0.0;
        }
        [[unroll]] for (uint k = 0; k < 8; ++k) wq_sh[tid * LINE + k] = q[k];
        [[unroll]] for (uint g = 0; g < W_RUNS; ++g) {
            wd_sh[tid * W_RUNS + g] = d[g];
            wm_sh[tid * W_RUNS + g] = m[g];
        }
        // Activations: 16 tokens x the unit's 8 words (run g's words from column unit_col(u, g)),
        // two per invocation, and each token's run scales; past the last token, zeros.
        [[unroll]] for (uint k = 0; k < 2; ++k) {
            const uint e = tid + 64 * k, t = e / 8, w = e % 8, g = w / WPR;
            const uint row = 9 * units * (t_tile + t);
            xq_sh[t * LINE + w] = t_tile + t < p.tokens ? xq[row + unit_col(u, g) / 4 + w % WPR] : 0u;
        }
        for (uint e = tid; e < BN * W_RUNS; e += 64) {  // up to 128 (8 runs of 4)
            const uint t = e / W_RUNS, g = e % W_RUNS, row = 9 * units * (t_tile + t);
            xd_sh[e] = t_tile + t < p.tokens ? uintBitsToFloat(xq[row + 8 * units + unit_col(u, g) / X_SCALE_BLOCK]) : 0.0;
        }
        barrier();
#ifdef W_INT_MIN
        for (uint e = tid; e < BN * W_RUNS; e += 64) {
            const uint t = e / W_RUNS, g = e % W_RUNS;
            int sx = 0;
            [[unroll]] for (uint k = 0; k < WPR; ++k) sx += dot4(0x01010101u, xq_sh[t * LINE + g * WPR + k]);
            xs_sh[e] = sx;
        }
        barrier();
#endif
        [[unroll]] for (uint i = 0; i < 4; ++i) {
            const uint rl = tr + 16 * i;
            uint a[8];
            [[unroll]] for (uint k = 0; k < 8; ++k) a[k] = wq_sh[rl * LINE + k];
            [[unroll]] for (uint j = 0; j < 4; ++j) {
                const uint tl = tc + 4 * j;
                [[unroll]] for (uint g = 0; g < W_RUNS; ++g) {
                    int s = 0;
                    [[unroll]] for (uint k = 0; k < WPR; ++k) s += dot4(a[g * WPR + k], xq_sh[tl * LINE + g * WPR + k]);
#ifdef W_INT_MIN
                    acc[i][j] += xd_sh[tl * W_RUNS + g] *
                                 (wd_sh[rl * W_RUNS + g] * float(s) - wm_sh[rl * W_RUNS + g] * float(xs_sh[tl * W_RUNS + g]));
#else
                    acc[i][j] += xd_sh[tl * W_RUNS + g] * wd_sh[rl * W_RUNS + g] * float(s);
#endif
                }
            }
        }
        barrier();  // the tiles are overwritten by the next unit
    }
    [[unroll]] for (uint i = 0; i < 4; ++i) {
        const uint r = r_tile + tr + 16 * i;
        if (r >= p.rows) continue;
        [[unroll]] for (uint j = 0; j < 4; ++j) {
            const uint t = t_tile + tc + 4 * j;
            if (t < p.tokens) os[p.o_base + t * p.o_stride + p.row0 + r] = acc[i][j];
        }
    }
}
