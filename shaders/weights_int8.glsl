// weights_int8.glsl: the quantized formats of weights.glsl decoded to 8-bit integers instead of
// floats, for matvec_int8.comp's integer dot products. Included after weights.glsl (its readers,
// W_RUN and unit_col(); the same units, the same order of values in a unit).
//
//   void unit_ints(uint row, uint u, out uint q[8], out float d[W_RUNS], out float m[W_RUNS])
//
// Value v[g * W_RUN + i] of unit_values() is d[g] * s - m[g], where s is signed byte (i % 4) of
// word q[(g * W_RUN + i) / 4]: run g of the unit has one scale and one min. Formats whose values
// are d * (n - offset) subtract the offset in the bytes (so s is signed and m is 0); only formats
// with a real min (Q4_1, Q5_1, Q2_K, Q4_K, Q5_K) define W_INT_MIN, and there the kernel also sums
// the activations. F32, F16 and BF16 have no integer form.

#define W_RUNS (32 / W_RUN)
#if defined(W_Q4_1) || defined(W_Q5_1) || defined(W_Q2_K) || defined(W_Q4_K) || defined(W_Q5_K)
#define W_INT_MIN
#endif

// Bytes of w below 0x80, each minus k (k <= 0x80), as signed bytes: no borrow crosses a byte.
uint sub_bytes(uint w, uint k) { return ((w | 0x80808080u) - k * 0x01010101u) ^ 0x80808080u; }
// The low 4 bits of x, one to bit 0 of each byte.
uint spread4(uint x) { return (x & 1u) | ((x & 2u) << 7) | ((x & 4u) << 14) | ((x & 8u) << 21); }
// The codebook entry of IQ4_NL / IQ4_XS index n as a byte (iq4nl_value() in weights.glsl).
uint iq4nl_byte(uint n) {
    const uint w = n < 8 ? (n < 4 ? 0xBFAD9881u : 0xF6EADDCFu) : (n < 12 ? 0x26190D01u : 0x71594535u);
    return (w >> (8 * (n & 3u))) & 0xFFu;
}
uint iq4nl_bytes(uint w) {  // the four nibbles at bits 0, 8, 16, 24 of w
    return iq4nl_byte(w & 0xFu) | (iq4nl_byte((w >> 8) & 0xFu) << 8) | (iq4nl_byte((w >> 16) & 0xFu) << 16) |
           (iq4nl_byte((w >> 24) & 0xFu) << 24);
}

void unit_ints(uint row, uint u, out uint q[8], out float d[W_RUNS], out float m[W_RUNS]) {
    [[unroll]] for (uint g = 0; g < W_RUNS; ++g) m[g] = 0.0;
#if defined(W_Q4_0) || defined(W_Q4_1) || defined(W_IQ4_NL)
    // Low nibbles of the 16 qs bytes are values 0..15, high nibbles 16..31.
#if defined(W_Q4_1)
    const uint b = row + u * 20, dm = w_u32(b);
    d[0] = half_bits_to_float(dm & 0xFFFFu);
    m[0] = -half_bits_to_float(dm >> 16);
    const uvec4 qs = w_bytes16(b + 4);
#else
    const uint b = row + u * 18;
    d[0] = w_f16(b);
    const uvec4 qs = w_bytes16(b + 2);
#endif
    [[unroll]] for (uint k = 0; k < 4; ++k) {
        const uint lo = qs[k] & 0x0F0F0F0Fu, hi = (qs[k] >> 4) & 0x0F0F0F0Fu;
#if defined(W_Q4_0)
        q[k] = sub_bytes(lo, 8);
        q[4 + k] = sub_bytes(hi, 8);
#elif defined(W_Q4_1)
        q[k] = lo;
        q[4 + k] = hi;
#else
        q[k] = iq4nl_bytes(lo);
        q[4 + k] = iq4nl_bytes(hi);
#endif
    }
#elif defined(W_Q5_0) || defined(W_Q5_1)
    // As Q4_0 / Q4_1 with bit j of qh as the fifth bit of value j.
#if defined(W_Q5_1)
    const uint b = row + u * 24, dm = w_u32(b);
    d[0] = half_bits_to_float(dm & 0xFFFFu);
    m[0] = -half_bits_to_float(dm >> 16);
    const uint qh = w_u32(b + 4);
    const uvec4 qs = w_bytes16(b + 8);
#else
    const uint b = row + u * 22;
    d[0] = w_f16(b);
    const uint qh = w_u32(b + 2);
    const uvec4 qs = w_bytes16(b + 6);
#endif
    [[unroll]] for (uint k = 0; k < 4; ++k) {
        const uint lo = (qs[k] & 0x0F0F0F0Fu) | (spread4(qh >> (4 * k)) << 4);
        const uint hi = ((qs[k] >> 4) & 0x0F0F0F0Fu) | (spread4(qh >> (16 + 4 * k)) << 4);
#if defined(W_Q5_0)
        q[k] = sub_bytes(lo, 16);
        q[4 + k] = sub_bytes(hi, 16);
#else
        q[k] = lo;
        q[4 + k] = hi;
#endif
    }
#elif defined(W_Q8_0)
    const uint b = row + u * 34;
    d[0] = w_f16(b);
    [[unroll]] for (uint k = 0; k < 2; ++k) {
        const uvec4 qs = w_bytes16(b + 2 + 16 * k);
        [[unroll]] for (uint i = 0; i < 4; ++i) q[4 * k + i] = qs[i];
    }
#elif defined(W_IQ4_XS)
    const uint b = row + (u / 8) * 136, ib = u % 8;
    const uint head = w_u32(b), scales_l = w_u32(b + 4);
    const uint ls = ((scales_l >> (8 * (ib / 2) + 4 * (ib % 2))) & 0xFu) | (((head >> (16 + 2 * ib)) & 3u) << 4);
    d[0] = half_bits_to_float(head & 0xFFFFu) * float(int(ls) - 32);
    const uvec4 qs = w_bytes16(b + 8 + ib * 16);
    [[unroll]] for (uint k = 0; k < 4; ++k) {
        q[k] = iq4nl_bytes(qs[k] & 0x0F0F0F0Fu);
        q[4 + k] = iq4nl_bytes((qs[k] >> 4) & 0x0F0F0F0Fu);
    }
#elif defined(W_Q4_K)
    // Run 0: low nibbles (sub-block 2 j), run 1: high nibbles (2 j + 1).
    const uint b = row + (u / 8) * 144, j = (u % 8) / 2;
    const uint dm = w_u32(b);
    const float dd = half_bits_to_float(dm & 0xFFFFu), dmin = half_bits_to_float(dm >> 16);
    const uvec3 sb = w_bytes12(b + 4);
    uint sc, mn;
    scale_min_k4(sb, 2 * j, sc, mn);
    d[0] = dd * float(sc);
    m[0] = dmin * float(mn);
    scale_min_k4(sb, 2 * j + 1, sc, mn);
    d[1] = dd * float(sc);
    m[1] = dmin * float(mn);
    const uvec4 qs = w_bytes16(b + 16 + 32 * j + 16 * (u % 2));
    [[unroll]] for (uint k = 0; k < 4; ++k) {
        q[k] = qs[k] & 0x0F0F0F0Fu;
        q[4 + k] = (qs[k] >> 4) & 0x0F0F0F0Fu;
    }
#elif defined(W_Q5_K)
    // Run 2 j: low nibbles of the 4 qs bytes of pair j, run 2 j + 1: high; fifth bits from qh.
    const uint b = row + (u / 8) * 176, l0 = 4 * (u % 8);
    const uint dm = w_u32(b);
    const float dd = half_bits_to_float(dm & 0xFFFFu), dmin = half_bits_to_float(dm >> 16);
    const uvec3 sb = w_bytes12(b + 4);
    const uint qh = w_u32(b + 16 + l0);
    [[unroll]] for (uint j = 0; j < 4; ++j) {
        uint sc, mn;
        scale_min_k4(sb, 2 * j, sc, mn);
        d[2 * j] = dd * float(sc);
        m[2 * j] = dmin * float(mn);
        scale_min_k4(sb, 2 * j + 1, sc, mn);
        d[2 * j + 1] = dd * float(sc);
        m[2 * j + 1] = dmin * float(mn);
        const uint qs = w_u32(b + 48 + 32 * j + l0);
        q[2 * j] = (qs & 0x0F0F0F0Fu) | (((qh >> (2 * j)) & 0x01010101u) << 4);
        q[2 * j + 1] = ((qs >> 4) & 0x0F0F0F0Fu) | (((qh >> (2 * j + 1)) & 0x01010101u) << 4);
    }
#elif defined(W_Q6_K)
    // Run g (of 4, 8 values each): nibble g / 2 of the ql bytes at + 32 (g % 2), two qh bits.
    const uint b = row + (u / 8) * 210, n = (u % 8) / 4, l0 = 8 * (u % 4);
    const float dd = w_f16(b + 208);
    const uint ql = b + 64 * n + l0, qh = b + 128 + 32 * n + l0, sc = b + 192 + 8 * n + l0 / 16;
    const uvec2 los = w_bytes8(ql), his = w_bytes8(ql + 32), hs = w_bytes8(qh);
    const uvec2 scs = w_bytes8(sc);
    [[unroll]] for (uint g = 0; g < 4; ++g) d[g] = dd * float(s8(byte_of(scs, 2 * g)));
    [[unroll]] for (uint k = 0; k < 2; ++k) {
        q[k] = sub_bytes((los[k] & 0x0F0F0F0Fu) | ((hs[k] & 0x03030303u) << 4), 32);
        q[2 + k] = sub_bytes((his[k] & 0x0F0F0F0Fu) | (((hs[k] >> 2) & 0x03030303u) << 4), 32);
        q[4 + k] = sub_bytes(((los[k] >> 4) & 0x0F0F0F0Fu) | (((hs[k] >> 4) & 0x03030303u) << 4), 32);
        q[6 + k] = sub_bytes(((his[k] >> 4) & 0x0F0F0F0Fu) | (((hs[k] >> 6) & 0x03030303u) << 4), 32);
    }
#elif defined(W_Q3_K)
    // Run g (of 8, 4 values each): 2 bits of the qs bytes and bit g of hmask (clear = minus 4).
    const uint b = row + (u / 8) * 110, l0 = 4 * (u % 8);
    const float dd = w_f16(b + 108);
    const uint hm = w_u32(b + l0), q0 = w_u32(b + 32 + l0), q1 = w_u32(b + 64 + l0);
    const uvec3 sb = w_bytes12(b + 96);
    [[unroll]] for (uint g = 0; g < 8; ++g) {
        const uint j = 2 * g + l0 / 16;
        const uint low = j < 8 ? (byte_of(sb, j) & 0xFu) : (byte_of(sb, j - 8) >> 4);
        const uint high = (byte_of(sb, 8 + j % 4) >> (2 * (j / 4))) & 3u;
        d[g] = dd * float(int(low | (high << 4)) - 32);
        const uint qw = g < 4 ? q0 : q1;
        q[g] = sub_bytes(((qw >> (2 * (g % 4))) & 0x03030303u) | (((hm >> g) & 0x01010101u) << 2), 4);
    }
#elif defined(W_Q2_K)
    // Run g (of 4, 8 values each): bits 2 g of the 8 qs bytes; scale and min per sub-block.
    const uint b = row + (u / 8) * 84, h = (u % 8) / 4, l0 = 8 * (u % 4);
    const uint dm = w_u32(b + 80);
    const float dd = half_bits_to_float(dm & 0xFFFFu), dmin = half_bits_to_float(dm >> 16);
    const uvec4 scales = w_bytes16(b);
    const uvec2 qs = w_bytes8(b + 16 + 32 * h + l0);
    [[unroll]] for (uint g = 0; g < 4; ++g) {
        const uint sc = byte_of(scales, 8 * h + 2 * g + l0 / 16);
        d[g] = dd * float(sc & 0xFu);
        m[g] = dmin * float(sc >> 4);
        [[unroll]] for (uint k = 0; k < 2; ++k) q[2 * g + k] = (qs[k] >> (2 * g)) & 0x03030303u;
    }
#else
#error "unit_ints: a float format has no integer form"
#endif
}
