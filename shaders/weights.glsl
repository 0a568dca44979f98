// weights.glsl: dequantization of one "unit" (32 consecutive elements of a row) of a weight
// tensor in the type chosen by a W_<TYPE> define, read from the byte buffer `wb` (declared by the
// including shader, whose push constants have `cols`). Layouts as engine/src/quant/blocks.h; values as engine/src/quant/dequantize.cpp.

float w_f16(uint b) { return half_bits_to_float(uint(wb[b]) | (uint(wb[b + 1]) << 8)); }
float w_f32(uint b) {
    return uintBitsToFloat(uint(wb[b]) | (uint(wb[b + 1]) << 8) | (uint(wb[b + 2]) << 16) | (uint(wb[b + 3]) << 24));
}

// v[l] = element 32 * u + l of the row whose first byte is `row`. Float rows may end inside a
// unit (p.cols not a multiple of 32): the values past the end are 0.
void unit_values(uint row, uint u, out float v[32]) {
#if defined(W_F32)
    const uint b = row + u * 128;
    [[unroll]] for (uint l = 0; l < 32; ++l) v[l] = u * 32 + l < p.cols ? w_f32(b + 4 * l) : 0.0;
#elif defined(W_F16)
    const uint b = row + u * 64;
    [[unroll]] for (uint l = 0; l < 32; ++l) v[l] = u * 32 + l < p.cols ? w_f16(b + 2 * l) : 0.0;
#elif defined(W_Q8_0)
    // block_q8_0: f16 d, int8 qs[32]
    const uint b = row + u * 34;
    const float d = w_f16(b);
    [[unroll]] for (uint l = 0; l < 32; ++l) v[l] = d * float(s8(uint(wb[b + 2 + l])));
#elif defined(W_Q4_K)
    // block_q4_K (256 values, 144 bytes): f16 d, f16 dmin, 12 bytes of 6-bit scales/mins, 128 bytes
    // of nibbles; unit j uses scale/min j and the low (j even) or high (j odd) nibbles of 32 bytes.
    const uint b = row + (u / 8) * 144, j = u % 8, s = b + 4;
    const float d = w_f16(b), dmin = w_f16(b + 2);
    uint sc, m;
    if (j < 4) {
        sc = uint(wb[s + j]) & 63u;
        m = uint(wb[s + j + 4]) & 63u;
    } else {
        sc = (uint(wb[s + j + 4]) & 0xFu) | ((uint(wb[s + j - 4]) >> 6) << 4);
        m = (uint(wb[s + j + 4]) >> 4) | ((uint(wb[s + j]) >> 6) << 4);
    }
    const float d1 = d * float(sc), m1 = dmin * float(m);
    const uint q = b + 16 + (j / 2) * 32, shift = (j % 2) * 4;
    [[unroll]] for (uint l = 0; l < 32; ++l) v[l] = d1 * float((uint(wb[q + l]) >> shift) & 0xFu) - m1;
#elif defined(W_Q6_K)
    // block_q6_K (256 values, 210 bytes): ql[128] low nibbles, qh[64] 2-bit highs, int8 scales[16],
    // f16 d. Unit j: half n = j / 4, quarter r = j % 4 of that half.
    const uint b = row + (u / 8) * 210, j = u % 8, n = j / 4, r = j % 4;
    const float d = w_f16(b + 208);
    const uint ql = b + n * 64 + (r & 1u) * 32, qh = b + 128 + n * 32, sc = b + 192 + n * 8 + r * 2;
    const uint lshift = r >= 2 ? 4 : 0, hshift = 2 * r;
    const float s0 = d * float(s8(uint(wb[sc]))), s1 = d * float(s8(uint(wb[sc + 1])));
    [[unroll]] for (uint l = 0; l < 32; ++l) {
        const int q = int(((uint(wb[ql + l]) >> lshift) & 0xFu) | (((uint(wb[qh + l]) >> hshift) & 3u) << 4)) - 32;
        v[l] = (l < 16 ? s0 : s1) * float(q);
    }
#else
#error "no W_<TYPE> define"
#endif
}
