// unit_dot_int8.glsl: one unit of a weight row decoded to bytes (weights_int8.glsl) dotted with an
// activation row as quantize_x8.comp left it, whose words start at xq0: the values of 32-value
// block b at xq0 + 8 b, the scales from xq0 + 8 blocks, one per X_SCALE_BLOCK values. Included
// after weights_int8.glsl by a kernel that declares `uint xq[]` and enables
// GL_EXT_spirv_intrinsics.

// The activations' scale blocks (quantize_x8.comp): Q8_K's 256 values for the formats the CPU
// dots against Q8_K, Q8_0's 32 for the others.
#if defined(W_Q2_K) || defined(W_Q3_K) || defined(W_Q4_K) || defined(W_Q5_K) || defined(W_Q6_K) || defined(W_IQ4_XS)
#define X_SCALE_BLOCK 256
#else
#define X_SCALE_BLOCK 32
#endif

// OpSDot (4450) on two words of four signed bytes (PackedVectorFormat4x8Bit = 0): capabilities
// DotProduct (6019) and DotProductInput4x8BitPacked (6018). glslang 11 has no GLSL built-in for
// it (GL_EXT_integer_dot_product came later), so it is declared as the SPIR-V instruction.
spirv_instruction(extensions = ["SPV_KHR_integer_dot_product"], capabilities = [6019, 6018], id = 4450)
int sdot_packed(uint a, uint b, spirv_literal int packed_vector_format);
int dot4(uint a, uint b) { return sdot_packed(a, b, 0); }

// Unit u's bytes q, run scales d and mins m (unit_ints()) dotted with the activation row at xq0:
// a kernel that dots one unit with several rows decodes it once.
float ints_dot_int8(uint u, const uint q[8], const float d[W_RUNS], const float m[W_RUNS], uint xq0, uint blocks) {
    float acc = 0.0;
    [[unroll]] for (uint g = 0; g < W_RUNS; ++g) {
        const uint c = unit_col(u, g);  // a run never crosses a 32-value block of x
        int s = 0;
#ifdef W_INT_MIN
        int sx = 0;  // the run's activations summed, for its min
#endif
        [[unroll]] for (uint k = 0; k < W_RUN / 4; ++k) {
            const uint xw = xq[xq0 + c / 4 + k];
            s += dot4(q[g * (W_RUN / 4) + k], xw);
#ifdef W_INT_MIN
            sx += dot4(0x01010101u, xw);
#endif
        }
        const float dx = uintBitsToFloat(xq[xq0 + 8 * blocks + c / X_SCALE_BLOCK]);
#ifdef W_INT_MIN
        acc += dx * (d[g] * float(s) - m[g] * float(sx));
#else
        acc += dx * d[g] * float(s);
#endif
    }
    return acc;
}

float unit_dot_int8(uint row, uint u, uint xq0, uint blocks) {
    uint q[8];
    float d[W_RUNS], m[W_RUNS];
    unit_ints(row, u, q, d, m);
    return ints_dot_int8(u, q, d, m, xq0, blocks);
}
