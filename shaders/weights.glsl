// weights.glsl: dequantization of weight rows in the type chosen by a W_<TYPE> define (F32, F16,
// BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL, IQ4_XS), read from the
// buffer of 32-bit words `ww` (declared by the including shader as `uint ww[]`; its push
// constants `p` must have `cols`). Layouts as engine/src/quant/blocks.h; values as engine/src/quant/dequantize.cpp
// (the same float expressions, in the same order).
//
// The interface, the same for every format (a kernel includes this file and never names a format):
//
//   W_RUN                              a constant: 32, 16, 8 or 4
//   W_FLOAT                            defined for F32, F16, BF16 (rows of any length)
//   void unit_values(uint row, uint u, out float v[32])
//   uint unit_col(uint u, uint g)      g < 32 / W_RUN
//
// A row of `cols` elements is (cols + 31) / 32 "units" of 32 values each. unit_values() decodes
// unit u of the row whose first byte is `row` into registers; v[g * W_RUN + i] is the element at
// column unit_col(u, g) + i (i < W_RUN). Units partition the row. Their values are not always 32
// consecutive columns: a unit is whatever 32 values some bytes of the block decode to, so that a
// kernel spreading a row's units over invocations reads each quantized byte once (Q4_K's qs byte
// holds a value of two sub-blocks 32 apart; Q6_K's qh byte, four 32 apart; Q3_K's hmask byte,
// eight). Scales and block headers are small and may be read by the several units they serve.
// Float rows (F32/F16/BF16, W_RUN 32) may end inside their last unit: values past cols are 0.
// Quantized rows are whole blocks, so cols is a multiple of 32 (256 for K-quants and IQ4_XS).
//
// Reads are 32-bit loads. Rows start at any byte (Q8_0's 34-byte and Q3_K's 110-byte blocks leave
// them unaligned), so a value may straddle two words: the readers load the words that hold its
// bytes and funnel-shift them, a select rather than a branch, as lanes of a subgroup may differ
// in alignment. Whole words take 1.6 to 3.2 times fewer load instructions per unit than bytes did
// (a GPU's cost in generation is load issue as much as bytes), and the second word a funnel
// needs is in cache beside the first. No word past the value's last byte is touched, so a read
// never leaves the bound range. The arithmetic on the values is unchanged.

uint funnel(uint lo, uint hi, uint s) { return s == 0u ? lo : (lo >> s) | (hi << (32u - s)); }
uint w_u8(uint b) { return (ww[b >> 2] >> (8u * (b & 3u))) & 0xFFu; }
uint w_u16(uint b) { return funnel(ww[b >> 2], ww[(b + 1u) >> 2], 8u * (b & 3u)) & 0xFFFFu; }
uint w_u32(uint b) { return funnel(ww[b >> 2], ww[(b + 3u) >> 2], 8u * (b & 3u)); }
float w_f16(uint b) { return half_bits_to_float(w_u16(b)); }
float w_f32(uint b) { return uintBitsToFloat(w_u32(b)); }
// The 8 and 16 bytes from b, as words (byte k of them: byte_of(w, k)).
uvec2 w_bytes8(uint b) {
    const uint i = b >> 2, s = 8u * (b & 3u);
    const uint w0 = ww[i], w1 = ww[i + 1u], w2 = ww[(b + 7u) >> 2];
    return uvec2(funnel(w0, w1, s), funnel(w1, w2, s));
}
uvec4 w_bytes16(uint b) {
    const uint i = b >> 2, s = 8u * (b & 3u);
    const uint w0 = ww[i], w1 = ww[i + 1u], w2 = ww[i + 2u], w3 = ww[i + 3u], w4 = ww[(b + 15u) >> 2];
    return uvec4(funnel(w0, w1, s), funnel(w1, w2, s), funnel(w2, w3, s), funnel(w3, w4, s));
}
// Byte k of words read above; k may vary at run time (vector components, not an array, so the
// words stay in registers).
uint byte_of(uvec2 w, uint k) { return (w[k >> 2] >> (8u * (k & 3u))) & 0xFFu; }
uint byte_of(uvec4 w, uint k) { return (w[k >> 2] >> (8u * (k & 3u))) & 0xFFu; }
uint byte_of(uvec3 w, uint k) { return (w[k >> 2] >> (8u * (k & 3u))) & 0xFFu; }
uvec3 w_bytes12(uint b) { return uvec3(w_u32(b), w_u32(b + 4u), w_u32(b + 8u)); }

// kvalues_iq4nl (IQ4_NL, IQ4_XS) as signed bytes packed four to a word, picked by selects: a
// lookup without an indexed array (which a compiler may put in slow private memory).
float iq4nl_value(uint q) {
    const uint w = q < 8 ? (q < 4 ? 0xBFAD9881u : 0xF6EADDCFu) : (q < 12 ? 0x26190D01u : 0x71594535u);
    return float(s8((w >> (8 * (q & 3u))) & 0xFFu));
}

// Q4_K / Q5_K: the 6-bit scale and min of sub-block j (0..7) from the 12 scale bytes sb
// (get_scale_min_k4 in quant/dequantize.h).
void scale_min_k4(uvec3 sb, uint j, out uint sc, out uint m) {
    if (j < 4) {
        sc = byte_of(sb, j) & 63u;
        m = byte_of(sb, j + 4) & 63u;
    } else {
        sc = (byte_of(sb, j + 4) & 0xFu) | ((byte_of(sb, j - 4) >> 6) << 4);
        m = (byte_of(sb, j + 4) >> 4) | ((byte_of(sb, j) >> 6) << 4);
    }
}

#if defined(W_F32) || defined(W_F16) || defined(W_BF16) || defined(W_Q4_0) || defined(W_Q4_1) || defined(W_Q5_0) || \
    defined(W_Q5_1) || defined(W_Q8_0) || defined(W_IQ4_NL) || defined(W_IQ4_XS)
// Unit u is columns [32 u, 32 u + 32): one 32-element block or sub-block.
#define W_RUN 32
#if defined(W_F32) || defined(W_F16) || defined(W_BF16)
#define W_FLOAT  // rows of any length: the last unit may be cut short
#endif
uint unit_col(uint u, uint g) { return 32 * u; }
#elif defined(W_Q4_K)
// 16 qs bytes: low nibbles are 16 values of sub-block 2 j, high nibbles the same 16 of 2 j + 1.
#define W_RUN 16
uint unit_col(uint u, uint g) { return 256 * (u / 8) + 64 * ((u % 8) / 2) + 16 * (u % 2) + 32 * g; }
#elif defined(W_Q5_K)
// 4 qh bytes (one bit for each of the 8 sub-blocks) and the 4 qs bytes at that offset in each of
// the 4 sub-block pairs: columns l0 .. l0 + 3 of all 8 sub-blocks.
#define W_RUN 4
uint unit_col(uint u, uint g) { return 256 * (u / 8) + 32 * g + 4 * (u % 8); }
#elif defined(W_Q3_K)
// 4 hmask bytes (one bit for each of the 8 groups of 32) and the 4 qs bytes at that offset in
// each half: columns l0 .. l0 + 3 of all 8 groups of 32.
#define W_RUN 4
uint unit_col(uint u, uint g) { return 256 * (u / 8) + 32 * g + 4 * (u % 8); }
#elif defined(W_Q6_K)
// 8 qh bytes and the 8 + 8 ql bytes they complete: columns l0 .. l0 + 7 of the 4 groups of 32 in
// one half of the block.
#define W_RUN 8
uint unit_col(uint u, uint g) { return 256 * (u / 8) + 128 * ((u % 8) / 4) + 8 * (u % 4) + 32 * g; }
#elif defined(W_Q2_K)
// 8 qs bytes (four 2-bit values each): columns l0 .. l0 + 7 of the 4 groups of 32 in one half.
#define W_RUN 8
uint unit_col(uint u, uint g) { return 256 * (u / 8) + 128 * ((u % 8) / 4) + 8 * (u % 4) + 32 * g; }
#else
#error "no W_<TYPE> define"
#endif

void unit_values(uint row, uint u, out float v[32]) {
#if defined(W_F32)
    const uint b = row + u * 128;
    if (u * 32 + 32 <= p.cols) {  // a whole unit: 128 bytes as eight 16-byte reads
        [[unroll]] for (uint k = 0; k < 8; ++k) {
            const uvec4 w = w_bytes16(b + 16 * k);
            [[unroll]] for (uint i = 0; i < 4; ++i) v[4 * k + i] = uintBitsToFloat(w[i]);
        }
    } else {  // the end of a row: values past cols are 0 and their bytes are not read
        [[unroll]] for (uint l = 0; l < 32; ++l) v[l] = u * 32 + l < p.cols ? w_f32(b + 4 * l) : 0.0;
    }
#elif defined(W_F16) || defined(W_BF16)
    const uint b = row + u * 64;
    if (u * 32 + 32 <= p.cols) {  // a whole unit: 64 bytes as four 16-byte reads
        [[unroll]] for (uint k = 0; k < 4; ++k) {
            const uvec4 w = w_bytes16(b + 16 * k);
            [[unroll]] for (uint i = 0; i < 8; ++i) {
                const uint h = (w[i / 2] >> (16 * (i % 2))) & 0xFFFFu;
#if defined(W_F16)
                v[8 * k + i] = half_bits_to_float(h);
#else
                v[8 * k + i] = uintBitsToFloat(h << 16);
#endif
            }
        }
    } else {  // the end of a row: values past cols are 0 and their bytes are not read
        [[unroll]] for (uint l = 0; l < 32; ++l) {
#if defined(W_F16)
            v[l] = u * 32 + l < p.cols ? w_f16(b + 2 * l) : 0.0;
#else
            v[l] = u * 32 + l < p.cols ? uintBitsToFloat(w_u16(b + 2 * l) << 16) : 0.0;
#endif
        }
    }
#elif defined(W_Q4_0)
    // block_q4_0 (18 bytes): f16 d, qs[16]; value j low nibble of qs[j], j + 16 its high nibble.
    const uint b = row + u * 18;
    const float d = w_f16(b);
    const uvec4 qs = w_bytes16(b + 2);
    [[unroll]] for (uint j = 0; j < 16; ++j) {
        const uint q = byte_of(qs, j);
        v[j] = float(int(q & 0xFu) - 8) * d;
        v[j + 16] = float(int(q >> 4) - 8) * d;
    }
#elif defined(W_Q4_1)
    // block_q4_1 (20 bytes): f16 d, f16 m, qs[16].
    const uint b = row + u * 20;
    const uint dm = w_u32(b);
    const float d = half_bits_to_float(dm & 0xFFFFu), m = half_bits_to_float(dm >> 16);
    const uvec4 qs = w_bytes16(b + 4);
    [[unroll]] for (uint j = 0; j < 16; ++j) {
        const uint q = byte_of(qs, j);
        v[j] = float(q & 0xFu) * d + m;
        v[j + 16] = float(q >> 4) * d + m;
    }
#elif defined(W_Q5_0)
    // block_q5_0 (22 bytes): f16 d, qh (bit j = fifth bit of value j), qs[16].
    const uint b = row + u * 22;
    const float d = w_f16(b);
    const uint qh = w_u32(b + 2);
    const uvec4 qs = w_bytes16(b + 6);
    [[unroll]] for (uint j = 0; j < 16; ++j) {
        const uint q = byte_of(qs, j);
        v[j] = float(int((q & 0xFu) | (((qh >> j) << 4) & 0x10u)) - 16) * d;
        v[j + 16] = float(int((q >> 4) | ((qh >> (j + 12)) & 0x10u)) - 16) * d;
    }
#elif defined(W_Q5_1)
    // block_q5_1 (24 bytes): f16 d, f16 m, qh, qs[16].
    const uint b = row + u * 24;
    const uint dm = w_u32(b);
    const float d = half_bits_to_float(dm & 0xFFFFu), m = half_bits_to_float(dm >> 16);
    const uint qh = w_u32(b + 4);
    const uvec4 qs = w_bytes16(b + 8);
    [[unroll]] for (uint j = 0; j < 16; ++j) {
        const uint q = byte_of(qs, j);
        v[j] = float((q & 0xFu) | (((qh >> j) << 4) & 0x10u)) * d + m;
        v[j + 16] = float((q >> 4) | ((qh >> (j + 12)) & 0x10u)) * d + m;
    }
#elif defined(W_Q8_0)
    // block_q8_0 (34 bytes): f16 d, int8 qs[32].
    const uint b = row + u * 34;
    const float d = w_f16(b);
    [[unroll]] for (uint k = 0; k < 2; ++k) {
        const uvec4 qs = w_bytes16(b + 2 + 16 * k);
        [[unroll]] for (uint l = 0; l < 16; ++l) v[16 * k + l] = float(s8(byte_of(qs, l))) * d;
    }
#elif defined(W_IQ4_NL)
    // block_iq4_nl (18 bytes): f16 d, qs[16] indexing the codebook, nibble order as Q4_0.
    const uint b = row + u * 18;
    const float d = w_f16(b);
    const uvec4 qs = w_bytes16(b + 2);
    [[unroll]] for (uint j = 0; j < 16; ++j) {
        const uint q = byte_of(qs, j);
        v[j] = d * iq4nl_value(q & 0xFu);
        v[j + 16] = d * iq4nl_value(q >> 4);
    }
#elif defined(W_IQ4_XS)
    // block_iq4_xs (256 values, 136 bytes): f16 d, u16 scales_h, scales_l[4], qs[128]. Unit =
    // sub-block ib of 32: 6-bit scale (low 4 bits in scales_l, high 2 in scales_h), 16 qs bytes.
    const uint b = row + (u / 8) * 136, ib = u % 8;
    const uint head = w_u32(b), scales_l = w_u32(b + 4);
    const uint ls = ((scales_l >> (8 * (ib / 2) + 4 * (ib % 2))) & 0xFu) | (((head >> (16 + 2 * ib)) & 3u) << 4);
    const float dl = half_bits_to_float(head & 0xFFFFu) * float(int(ls) - 32);
    const uvec4 qs = w_bytes16(b + 8 + ib * 16);
    [[unroll]] for (uint j = 0; j < 16; ++j) {
        const uint q = byte_of(qs, j);
        v[j] = dl * iq4nl_value(q & 0xFu);
        v[j + 16] = dl * iq4nl_value(q >> 4);
    }
#elif defined(W_Q4_K)
    // block_q4_K (256 values, 144 bytes): f16 d, f16 dmin, scales[12] (6-bit scale/min for each
    // sub-block of 32), qs[128]: qs[32 j + l] holds value l of sub-block 2 j (low nibble) and of
    // 2 j + 1 (high). Unit: pair j = (u % 8) / 2, l = 16 (u % 2) .. + 15.
    const uint b = row + (u / 8) * 144, j = (u % 8) / 2;
    const uint dm = w_u32(b);
    const float d = half_bits_to_float(dm & 0xFFFFu), dmin = half_bits_to_float(dm >> 16);
    const uvec3 sb = w_bytes12(b + 4);
    uint sc, m;
    scale_min_k4(sb, 2 * j, sc, m);
    const float d1 = d * float(sc), m1 = dmin * float(m);
    scale_min_k4(sb, 2 * j + 1, sc, m);
    const float d2 = d * float(sc), m2 = dmin * float(m);
    const uvec4 qs = w_bytes16(b + 16 + 32 * j + 16 * (u % 2));
    [[unroll]] for (uint l = 0; l < 16; ++l) {
        const uint q = byte_of(qs, l);
        v[l] = d1 * float(q & 0xFu) - m1;
        v[l + 16] = d2 * float(q >> 4) - m2;
    }
#elif defined(W_Q5_K)
    // block_q5_K (256 values, 176 bytes): as Q4_K plus qh[32] before qs: bit g of qh[l] is the
    // fifth bit of value l of sub-block g. Unit: l = 4 (u % 8) .. + 3 of every sub-block g.
    const uint b = row + (u / 8) * 176, l0 = 4 * (u % 8);
    const uint dm = w_u32(b);
    const float d = half_bits_to_float(dm & 0xFFFFu), dmin = half_bits_to_float(dm >> 16);
    const uvec3 sb = w_bytes12(b + 4);
    const uint qh = w_u32(b + 16 + l0);  // byte i: qh[l0 + i]
    [[unroll]] for (uint j = 0; j < 4; ++j) {
        uint sc, m;
        scale_min_k4(sb, 2 * j, sc, m);
        const float d1 = d * float(sc), m1 = dmin * float(m);
        scale_min_k4(sb, 2 * j + 1, sc, m);
        const float d2 = d * float(sc), m2 = dmin * float(m);
        const uint qs = w_u32(b + 48 + 32 * j + l0);
        [[unroll]] for (uint i = 0; i < 4; ++i) {
            const uint q = (qs >> (8 * i)) & 0xFFu, h = qh >> (8 * i);
            v[8 * j + i] = d1 * float((q & 0xFu) + (((h >> (2 * j)) & 1u) << 4)) - m1;
            v[8 * j + 4 + i] = d2 * float((q >> 4) + (((h >> (2 * j + 1)) & 1u) << 4)) - m2;
        }
    }
#elif defined(W_Q6_K)
    // block_q6_K (256 values, 210 bytes): ql[128], qh[64], int8 scales[16], f16 d. In half n,
    // value l + 32 g (l < 32, g < 4) is nibble g / 2 of ql[64 n + l + 32 (g % 2)] with bits
    // 2 g, 2 g + 1 of qh[32 n + l] above it, scale scales[8 n + l / 16 + 2 g]. Unit: half
    // n = (u % 8) / 4, l = 8 (u % 4) .. + 7, every g.
    const uint b = row + (u / 8) * 210, n = (u % 8) / 4, l0 = 8 * (u % 4);
    const float d = w_f16(b + 208);
    const uint ql = b + 64 * n + l0, qh = b + 128 + 32 * n + l0, sc = b + 192 + 8 * n + l0 / 16;
    const uvec2 los = w_bytes8(ql), his = w_bytes8(ql + 32), hs = w_bytes8(qh);
    const uvec2 scs = w_bytes8(sc);  // scales at sc, sc + 2, sc + 4, sc + 6 (within the block)
    float s[4];
    [[unroll]] for (uint g = 0; g < 4; ++g) s[g] = d * float(s8(byte_of(scs, 2 * g)));
    [[unroll]] for (uint i = 0; i < 8; ++i) {
        const uint lo = byte_of(los, i), hi = byte_of(his, i), h = byte_of(hs, i);
        v[i] = s[0] * float(int((lo & 0xFu) | ((h & 3u) << 4)) - 32);
        v[8 + i] = s[1] * float(int((hi & 0xFu) | (((h >> 2) & 3u) << 4)) - 32);
        v[16 + i] = s[2] * float(int((lo >> 4) | (((h >> 4) & 3u) << 4)) - 32);
        v[24 + i] = s[3] * float(int((hi >> 4) | (((h >> 6) & 3u) << 4)) - 32);
    }
#elif defined(W_Q3_K)
    // block_q3_K (256 values, 110 bytes): hmask[32], qs[64], scales[12] (16 6-bit scales, offset
    // 32), f16 d. Group g of 32 (half g / 4, 2-bit shift g % 4): value l is bits of
    // qs[32 (g / 4) + l] minus 4 where bit g of hmask[l] is clear; scale 2 g + l / 16. Unit:
    // l = 4 (u % 8) .. + 3 of every group.
    const uint b = row + (u / 8) * 110, l0 = 4 * (u % 8);
    const float d = w_f16(b + 108);
    const uint hm = w_u32(b + l0), q0 = w_u32(b + 32 + l0), q1 = w_u32(b + 64 + l0);  // byte i: l0 + i
    const uvec3 sb = w_bytes12(b + 96);
    [[unroll]] for (uint g = 0; g < 8; ++g) {
        const uint j = 2 * g + l0 / 16;
        const uint low = j < 8 ? (byte_of(sb, j) & 0xFu) : (byte_of(sb, j - 8) >> 4);
        const uint high = (byte_of(sb, 8 + j % 4) >> (2 * (j / 4))) & 3u;
        const float dl = d * float(int(low | (high << 4)) - 32);
        const uint qw = g < 4 ? q0 : q1;
        [[unroll]] for (uint i = 0; i < 4; ++i) {
            const uint qb = (qw >> (8 * i)) & 0xFFu, hb = (hm >> (8 * i)) & 0xFFu;
            const int qv = int((qb >> (2 * (g % 4))) & 3u) - ((hb & (1u << g)) != 0 ? 0 : 4);
            v[4 * g + i] = dl * float(qv);
        }
    }
#elif defined(W_Q2_K)
    // block_q2_K (256 values, 84 bytes): scales[16] (low nibble scale, high nibble min), qs[64],
    // f16 d, f16 dmin. In half h, value l + 32 g is bits 2 g of qs[32 h + l], sub-block
    // 8 h + 2 g + l / 16. Unit: half h = (u % 8) / 4, l = 8 (u % 4) .. + 7, every g.
    const uint b = row + (u / 8) * 84, h = (u % 8) / 4, l0 = 8 * (u % 4);
    const uint dm = w_u32(b + 80);
    const float d = half_bits_to_float(dm & 0xFFFFu), dmin = half_bits_to_float(dm >> 16);
    const uvec4 scales = w_bytes16(b);
    const uvec2 qs = w_bytes8(b + 16 + 32 * h + l0);
    [[unroll]] for (uint g = 0; g < 4; ++g) {
        const uint sc = byte_of(scales, 8 * h + 2 * g + l0 / 16);
        const float dl = d * float(sc & 0xFu), ml = dmin * float(sc >> 4);
        [[unroll]] for (uint i = 0; i < 8; ++i) v[8 * g + i] = dl * float((byte_of(qs, i) >> (2 * g)) & 3u) - ml;
    }
#endif
}
