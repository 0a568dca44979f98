#version 450
// matmul_tiled.comp: the prompt-processing matrix-matrix product out[t][row0 + r] = W[r] . x[t]
// (several tokens), W in the type of the W_<TYPE> define. One 64-invocation workgroup computes a
// tile of 64 weight rows x 16 tokens. The shared dimension is walked one 32-value unit at a
// time: each invocation dequantizes one row's unit (unit_values() of weights.glsl, so every
// format that file decodes plugs in) into shared memory, the workgroup loads the 16 tokens'
// matching 32 activations beside it, and every invocation then accumulates a 4-row x 4-token
// block from shared memory. So a weight unit is dequantized once per 16 tokens, and an activation
// is read from device memory once per 64 rows (matmul.comp reads x once per row).
// Shared memory: (64 x 33 + 16 x 33) floats = 10.3 KiB, under the 16 KiB every Vulkan device
// offers; the backend still checks maxComputeSharedMemorySize before choosing this kernel. No
// subgroup operations: any subgroup size works.
//
// The 16-bit float build (-DF16_TILES, for devices with shaderFloat16) keeps both tiles as pairs
// of halves (f16vec2: half the shared memory, 5.4 KiB, and half the shared loads per product)
// and multiplies in f16, two products per dot(), each pair's sum added to f32 accumulators, so
// the rounding is that of the inputs (2^-11 relative: finer than the 8-bit activations the
// integer kernels use) and no long sum runs in f16. Activations are clamped to f16's range
// (65504) rather than turned into infinities; post-norm activations and weights are far inside it.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(local_size_x = 64) in;
layout(binding = 0) readonly buffer W { uint ww[]; };  // weights as words (weights.glsl)
layout(binding = 1) readonly buffer X { float xs[]; };
layout(binding = 2) writeonly buffer O { float os[]; };
// The same fields as matmul.comp's, filled by the same code in vulkan_ops.cpp.
layout(push_constant) uniform Params {
    uint w_base;    // byte of chunk row 0 in the binding
    uint w_stride;  // bytes per row
    uint rows;      // rows in this chunk
    uint row0;      // output column of chunk row 0
    uint cols;      // quantized types: a multiple of their block; F32/F16: any
    uint tokens;
    uint x_base, x_stride;  // floats
    uint o_base, o_stride;  // floats
} p;

#include "weights.glsl"

const uint BM = 64, BN = 16, BK = 32;
#ifdef F16_TILES
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
// A tile line holds BK values as BK / 2 pairs, plus one pair of padding (as below).
const uint PAIRS = BK / 2, LINE = PAIRS + 1;
shared f16vec2 w_sh[BM * LINE];
shared f16vec2 x_sh[BN * LINE];
f16vec2 to_half2(float a, float b) {
    const float lim = 65504.0;
    return f16vec2(clamp(vec2(a, b), vec2(-lim), vec2(lim)));
}
#else
// One float of padding per line: the 4 rows an invocation reads sit in different banks.
const uint LINE = BK + 1;
shared float w_sh[BM * LINE];
shared float x_sh[BN * LINE];
#endif

void main() {
    const uint tid = gl_LocalInvocationID.x;
    const uint r_tile = gl_WorkGroupID.x * BM, t_tile = gl_WorkGroupID.y * BN;
    const uint units = (p.cols + BK - 1) / BK;
    // This invocation's output block: rows r_tile + tr + 16 i, tokens t_tile + tc + 4 j (i, j < 4).
    const uint tr = tid % 16, tc = tid / 16;
    float acc[4][4];
    [[unroll]] for (uint i = 0; i < 4; ++i)
        [[unroll]] for (uint j = 0; j < 4; ++j) acc[i][j] = 0.0;

    const uint my_row = r_tile + tid;  // the weight row this invocation dequantizes
    for (uint u = 0; u < units; ++u) {
        // Weights: one unit of one row per invocation; rows past the chunk are zeros.
        float v[32];
        if (my_row < p.rows) {
            unit_values(p.w_base + my_row * p.w_stride, u, v);
        } else {
            [[unroll]] for (uint l = 0; l < 32; ++l) v[l] = 0.0;
        }
#ifdef F16_TILES
        [[unroll]] for (uint l = 0; l < PAIRS; ++l) w_sh[tid * LINE + l] = to_half2(v[2 * l], v[2 * l + 1]);
        // Activations: 16 tokens x the unit's 16 column pairs, 4 per invocation (a pair never
        // crosses a run: W_RUN is even); zeros past the last token or column, as below.
        [[unroll]] for (uint k = 0; k < (BN * PAIRS) / 64; ++k) {
            const uint e = tid + k * 64, t = e / PAIRS, c = 2 * (e % PAIRS), col = unit_col(u, c / W_RUN) + c % W_RUN;
            const uint xr = p.x_base + (t_tile + t) * p.x_stride + col;
            const bool tok = t_tile + t < p.tokens;
            x_sh[t * LINE + c / 2] = to_half2(tok && col < p.cols ? xs[xr] : 0.0, tok && col + 1 < p.cols ? xs[xr + 1] : 0.0);
        }
#else
        [[unroll]] for (uint l = 0; l < 32; ++l) w_sh[tid * LINE + l] = v[l];
        // Activations: 16 tokens x the unit's 32 columns (v[c] is column unit_col(u, c / W_RUN)
        // + c % W_RUN: a unit need not be 32 consecutive columns), 8 per invocation; past the
        // last token or column (a float row ending inside the unit) zeros, so they add nothing.
        [[unroll]] for (uint k = 0; k < (BN * BK) / 64; ++k) {
            const uint e = tid + k * 64, t = e / BK, c = e % BK, col = unit_col(u, c / W_RUN) + c % W_RUN;
            x_sh[t * LINE + c] = (t_tile + t < p.tokens && col < p.cols) ? xs[p.x_base + (t_tile + t) * p.x_stride + col] : 0.0;
        }
#endif
        barrier();
#ifdef F16_TILES
        for (uint c = 0; c < PAIRS; ++c) {
            f16vec2 a[4], b[4];
            [[unroll]] for (uint i = 0; i < 4; ++i) a[i] = w_sh[(tr + 16 * i) * LINE + c];
            [[unroll]] for (uint j = 0; j < 4; ++j) b[j] = x_sh[(tc + 4 * j) * LINE + c];
            [[unroll]] for (uint i = 0; i < 4; ++i)
                [[unroll]] for (uint j = 0; j < 4; ++j) acc[i][j] += float(dot(a[i], b[j]));
        }
#else
        for (uint c = 0; c < BK; ++c) {
            float a[4], b[4];
            [[unroll]] for (uint i = 0; i < 4; ++i) a[i] = w_sh[(tr + 16 * i) * LINE + c];
            [[unroll]] for (uint j = 0; j < 4; ++j) b[j] = x_sh[(tc + 4 * j) * LINE + c];
            [[unroll]] for (uint i = 0; i < 4; ++i)
                [[unroll]] for (uint j = 0; j < 4; ++j) acc[i][j] += a[i] * b[j];
        }
#endif
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
