// dequantize.cpp: scalar reference dequantizers for every supported ggml weight format.
#include "quant/dequantize.h"

#include "util/error.h"

#include <cstring>

namespace ponder {

void dequantize_row_q4_0(const block_q4_0* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK4_0; ++i, y += QK4_0) {
        const float d = fp16_to_f32(x[i].d);
        for (int j = 0; j < QK4_0 / 2; ++j) {
            y[j] = static_cast<float>((x[i].qs[j] & 0x0F) - 8) * d;
            y[j + QK4_0 / 2] = static_cast<float>((x[i].qs[j] >> 4) - 8) * d;
        }
    }
}

void dequantize_row_q4_1(const block_q4_1* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK4_1; ++i, y += QK4_1) {
        const float d = fp16_to_f32(x[i].d);
        const float m = fp16_to_f32(x[i].m);
        for (int j = 0; j < QK4_1 / 2; ++j) {
            y[j] = static_cast<float>(x[i].qs[j] & 0x0F) * d + m;
            y[j + QK4_1 / 2] = static_cast<float>(x[i].qs[j] >> 4) * d + m;
        }
    }
}

void dequantize_row_q5_0(const block_q5_0* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK5_0; ++i, y += QK5_0) {
        const float d = fp16_to_f32(x[i].d);
        std::uint32_t qh;
        std::memcpy(&qh, x[i].qh, sizeof qh);
        for (int j = 0; j < QK5_0 / 2; ++j) {
            const int hi0 = static_cast<int>((qh >> j) << 4) & 0x10;
            const int hi1 = static_cast<int>(qh >> (j + 12)) & 0x10;
            y[j] = static_cast<float>(((x[i].qs[j] & 0x0F) | hi0) - 16) * d;
            y[j + QK5_0 / 2] = static_cast<float>(((x[i].qs[j] >> 4) | hi1) - 16) * d;
        }
    }
}

void dequantize_row_q5_1(const block_q5_1* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK5_1; ++i, y += QK5_1) {
        const float d = fp16_to_f32(x[i].d);
        const float m = fp16_to_f32(x[i].m);
        std::uint32_t qh;
        std::memcpy(&qh, x[i].qh, sizeof qh);
        for (int j = 0; j < QK5_1 / 2; ++j) {
            const int hi0 = static_cast<int>((qh >> j) << 4) & 0x10;
            const int hi1 = static_cast<int>(qh >> (j + 12)) & 0x10;
            y[j] = static_cast<float>((x[i].qs[j] & 0x0F) | hi0) * d + m;
            y[j + QK5_1 / 2] = static_cast<float>((x[i].qs[j] >> 4) | hi1) * d + m;
        }
    }
}

void dequantize_row_q8_0(const block_q8_0* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK8_0; ++i, y += QK8_0) {
        const float d = fp16_to_f32(x[i].d);
        for (int j = 0; j < QK8_0; ++j) y[j] = static_cast<float>(x[i].qs[j]) * d;
    }
}

void dequantize_row_q8_1(const block_q8_1* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK8_1; ++i, y += QK8_1) {
        const float d = fp16_to_f32(x[i].d);
        for (int j = 0; j < QK8_1; ++j) y[j] = static_cast<float>(x[i].qs[j]) * d;
    }
}

void dequantize_row_q2_K(const block_q2_K* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK_K; ++i) {
        const float d = fp16_to_f32(x[i].d);
        const float dmin = fp16_to_f32(x[i].dmin);
        const std::uint8_t* q = x[i].qs;
        int is = 0;
        // Two halves of 128 values; each 32-byte slice of qs holds 4 groups of 32 (2 bits each).
        for (int half = 0; half < QK_K / 128; ++half, q += 32) {
            for (int shift = 0; shift < 8; shift += 2) {
                for (int k = 0; k < 2; ++k) {
                    const std::uint8_t sc = x[i].scales[is++];
                    const float dl = d * static_cast<float>(sc & 0xF);
                    const float ml = dmin * static_cast<float>(sc >> 4);
                    for (int l = 0; l < 16; ++l) *y++ = dl * static_cast<float>((q[l + 16 * k] >> shift) & 3) - ml;
                }
            }
        }
    }
}

void dequantize_row_q3_K(const block_q3_K* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK_K; ++i) {
        const float d_all = fp16_to_f32(x[i].d);
        // Unpack 16 6-bit scales: low 4 bits from bytes 0..7, high 2 bits from bytes 8..11.
        std::int8_t scales[16];
        const std::uint8_t* s = x[i].scales;
        for (int j = 0; j < 16; ++j) {
            const int low = j < 8 ? (s[j] & 0xF) : (s[j - 8] >> 4);
            const int high = (s[8 + (j % 4)] >> (2 * (j / 4))) & 3;
            scales[j] = static_cast<std::int8_t>((low | (high << 4)) - 32);
        }
        const std::uint8_t* q = x[i].qs;
        const std::uint8_t* hm = x[i].hmask;
        std::uint8_t m = 1;
        int is = 0;
        for (int half = 0; half < QK_K / 128; ++half, q += 32) {
            for (int shift = 0; shift < 8; shift += 2, m = static_cast<std::uint8_t>(m << 1)) {
                for (int k = 0; k < 2; ++k) {
                    const float dl = d_all * static_cast<float>(scales[is++]);
                    for (int l = 0; l < 16; ++l) {
                        const int idx = l + 16 * k;
                        const int v = ((q[idx] >> shift) & 3) - ((hm[idx] & m) ? 0 : 4);
                        *y++ = dl * static_cast<float>(v);
                    }
                }
            }
        }
    }
}

void dequantize_row_q4_K(const block_q4_K* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK_K; ++i) {
        const float d = fp16_to_f32(x[i].d);
        const float dmin = fp16_to_f32(x[i].dmin);
        const std::uint8_t* q = x[i].qs;
        for (int j = 0; j < QK_K / 64; ++j, q += 32) {
            std::uint8_t sc, m;
            get_scale_min_k4(2 * j, x[i].scales, sc, m);
            const float d1 = d * sc, m1 = dmin * m;
            get_scale_min_k4(2 * j + 1, x[i].scales, sc, m);
            const float d2 = d * sc, m2 = dmin * m;
            for (int l = 0; l < 32; ++l) *y++ = d1 * static_cast<float>(q[l] & 0xF) - m1;
            for (int l = 0; l < 32; ++l) *y++ = d2 * static_cast<float>(q[l] >> 4) - m2;
        }
    }
}

void dequantize_row_q5_K(const block_q5_K* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK_K; ++i) {
        const float d = fp16_to_f32(x[i].d);
        const float dmin = fp16_to_f32(x[i].dmin);
        const std::uint8_t* ql = x[i].qs;
        const std::uint8_t* qh = x[i].qh;
        std::uint8_t u1 = 1, u2 = 2;
        for (int j = 0; j < QK_K / 64; ++j, ql += 32) {
            std::uint8_t sc, m;
            get_scale_min_k4(2 * j, x[i].scales, sc, m);
            const float d1 = d * sc, m1 = dmin * m;
            get_scale_min_k4(2 * j + 1, x[i].scales, sc, m);
            const float d2 = d * sc, m2 = dmin * m;
            for (int l = 0; l < 32; ++l) *y++ = d1 * static_cast<float>((ql[l] & 0xF) + ((qh[l] & u1) ? 16 : 0)) - m1;
            for (int l = 0; l < 32; ++l) *y++ = d2 * static_cast<float>((ql[l] >> 4) + ((qh[l] & u2) ? 16 : 0)) - m2;
            u1 = static_cast<std::uint8_t>(u1 << 2);
            u2 = static_cast<std::uint8_t>(u2 << 2);
        }
    }
}

void dequantize_row_q6_K(const block_q6_K* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK_K; ++i) {
        const float d = fp16_to_f32(x[i].d);
        const std::uint8_t* ql = x[i].ql;
        const std::uint8_t* qh = x[i].qh;
        const std::int8_t* sc = x[i].scales;
        // Two halves of 128: 64 bytes of ql (low nibbles, high nibbles), 32 bytes of qh (4 x 2 bits).
        for (int half = 0; half < QK_K / 128; ++half, y += 128, ql += 64, qh += 32, sc += 8) {
            for (int l = 0; l < 32; ++l) {
                const int is = l / 16;
                const int q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                const int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                y[l + 0] = d * static_cast<float>(sc[is + 0]) * static_cast<float>(q1);
                y[l + 32] = d * static_cast<float>(sc[is + 2]) * static_cast<float>(q2);
                y[l + 64] = d * static_cast<float>(sc[is + 4]) * static_cast<float>(q3);
                y[l + 96] = d * static_cast<float>(sc[is + 6]) * static_cast<float>(q4);
            }
        }
    }
}

void dequantize_row_q8_K(const block_q8_K* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK_K; ++i, y += QK_K) {
        for (int j = 0; j < QK_K; ++j) y[j] = x[i].d * static_cast<float>(x[i].qs[j]);
    }
}

void dequantize_row_iq4_nl(const block_iq4_nl* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK4_NL; ++i, y += QK4_NL) {
        const float d = fp16_to_f32(x[i].d);
        for (int j = 0; j < QK4_NL / 2; ++j) {
            y[j] = d * static_cast<float>(kvalues_iq4nl[x[i].qs[j] & 0xF]);
            y[j + QK4_NL / 2] = d * static_cast<float>(kvalues_iq4nl[x[i].qs[j] >> 4]);
        }
    }
}

void dequantize_row_iq4_xs(const block_iq4_xs* x, float* y, std::int64_t n) {
    for (std::int64_t i = 0; i < n / QK_K; ++i) {
        const float d = fp16_to_f32(x[i].d);
        const std::uint8_t* qs = x[i].qs;
        for (int ib = 0; ib < QK_K / 32; ++ib, y += 32, qs += 16) {
            const int ls = ((x[i].scales_l[ib / 2] >> (4 * (ib % 2))) & 0xF) | (((x[i].scales_h >> (2 * ib)) & 3) << 4);
            const float dl = d * static_cast<float>(ls - 32);
            for (int j = 0; j < 16; ++j) {
                y[j] = dl * static_cast<float>(kvalues_iq4nl[qs[j] & 0xF]);
                y[j + 16] = dl * static_cast<float>(kvalues_iq4nl[qs[j] >> 4]);
            }
        }
    }
}

void dequantize_row(DType type, const void* src, float* dst, std::int64_t n) {
    const TypeInfo& info = type_info(type);
    if (!info.dequantizable) fail("cannot dequantize tensor type %s", std::string(info.name).c_str());
    if (n < 0 || n % info.block_elems != 0)
        fail("%s: %lld elements is not a whole number of %lld-element blocks", std::string(info.name).c_str(),
             static_cast<long long>(n), static_cast<long long>(info.block_elems));
    switch (type) {
    case DType::F32: std::memcpy(dst, src, static_cast<std::size_t>(n) * sizeof(float)); return;
    case DType::F16: {
        const auto* s = static_cast<const std::uint8_t*>(src);
        for (std::int64_t i = 0; i < n; ++i) {
            fp16_t h;
            std::memcpy(&h, s + 2 * i, 2);
            dst[i] = fp16_to_f32(h);
        }
        return;
    }
    case DType::BF16: {
        const auto* s = static_cast<const std::uint8_t*>(src);
        for (std::int64_t i = 0; i < n; ++i) {
            bf16_t h;
            std::memcpy(&h, s + 2 * i, 2);
            dst[i] = bf16_to_f32(h);
        }
        return;
    }
    case DType::Q4_0: return dequantize_row_q4_0(static_cast<const block_q4_0*>(src), dst, n);
    case DType::Q4_1: return dequantize_row_q4_1(static_cast<const block_q4_1*>(src), dst, n);
    case DType::Q5_0: return dequantize_row_q5_0(static_cast<const block_q5_0*>(src), dst, n);
    case DType::Q5_1: return dequantize_row_q5_1(static_cast<const block_q5_1*>(src), dst, n);
    case DType::Q8_0: return dequantize_row_q8_0(static_cast<const block_q8_0*>(src), dst, n);
    case DType::Q8_1: return dequantize_row_q8_1(static_cast<const block_q8_1*>(src), dst, n);
    case DType::Q2_K: return dequantize_row_q2_K(static_cast<const block_q2_K*>(src), dst, n);
    case DType::Q3_K: return dequantize_row_q3_K(static_cast<const block_q3_K*>(src), dst, n);
    case DType::Q4_K: return dequantize_row_q4_K(static_cast<const block_q4_K*>(src), dst, n);
    case DType::Q5_K: return dequantize_row_q5_K(static_cast<const block_q5_K*>(src), dst, n);
    case DType::Q6_K: return dequantize_row_q6_K(static_cast<const block_q6_K*>(src), dst, n);
    case DType::Q8_K: return dequantize_row_q8_K(static_cast<const block_q8_K*>(src), dst, n);
    case DType::IQ4_NL: return dequantize_row_iq4_nl(static_cast<const block_iq4_nl*>(src), dst, n);
    case DType::IQ4_XS: return dequantize_row_iq4_xs(static_cast<const block_iq4_xs*>(src), dst, n);
    default: break;
    }
    fail("cannot dequantize tensor type %s", std::string(info.name).c_str());
}

}  // namespace ponder
