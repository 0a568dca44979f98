// unit_dot.glsl: one unit's 32 dequantized values (weights.glsl: v, in runs at columns col) dotted
// with the activations from xs[xb]. n < 32 only at the end of a float row (one run). Included
// after weights.glsl by a kernel that declares `float xs[]`.
float unit_dot(const float v[32], const uint col[32 / W_RUN], uint n, uint xb) {
    float s = 0.0;
    // Constant indices only (unrolled): v stays in registers.
#ifdef W_FLOAT
    if (n < 32) {
        [[unroll]] for (uint l = 0; l < 32; ++l)
            if (l < n) s += v[l] * xs[xb + col[0] + l];
        return s;
    }
#endif
    [[unroll]] for (uint g = 0; g < 32 / W_RUN; ++g)
        [[unroll]] for (uint i = 0; i < W_RUN; ++i) s += v[g * W_RUN + i] * xs[xb + col[g] + i];
    return s;
}
