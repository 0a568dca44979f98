// backend_test_util.h: shared fixtures for backend tests: random data, weights in any DType,
// NMSE, and a helper that runs a backend op on host data.
#pragma once

#include "backend/backend.h"
#include "backend/backend_registry.h"
#include "quant/blocks.h"
#include "quant/dequantize.h"
#include "quant/quantize.h"

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

namespace ponder::test {

inline std::vector<float> random_floats(std::size_t n, std::uint32_t seed, float sd = 1.0f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.0f, sd);
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
}

// rows x cols weights stored as `type`. Types with a quantizer quantize random normals; the
// others (Q2_K, Q3_K, IQ4_XS) get random bytes with small, finite scales, which is a valid block.
inline std::vector<std::uint8_t> random_weights(DType type, std::int64_t rows, std::int64_t cols, std::uint32_t seed) {
    const std::size_t row = row_bytes(type, cols);
    std::vector<std::uint8_t> out(row * static_cast<std::size_t>(rows));
    if (type_info(type).quantizable) {
        const std::vector<float> f = random_floats(static_cast<std::size_t>(rows * cols), seed, 0.5f);
        for (std::int64_t r = 0; r < rows; ++r) quantize_row(type, f.data() + r * cols, out.data() + r * row, cols);
        return out;
    }
    std::mt19937 rng(seed);
    for (auto& b : out) b = static_cast<std::uint8_t>(rng());
    std::uniform_real_distribution<float> scale(0.001f, 0.02f);
    const std::size_t bb = type_info(type).block_bytes;
    for (std::size_t off = 0; off < out.size(); off += bb) {
        std::uint8_t* b = out.data() + off;
        auto put = [&](std::size_t at, float v) {
            const fp16_t h = f32_to_fp16(v);
            std::memcpy(b + at, &h, 2);
        };
        if (type == DType::Q2_K)
            put(offsetof(block_q2_K, d), scale(rng)), put(offsetof(block_q2_K, dmin), scale(rng));
        else if (type == DType::Q3_K)
            put(offsetof(block_q3_K, d), scale(rng));
        else if (type == DType::IQ4_XS)
            put(offsetof(block_iq4_xs, d), scale(rng));
    }
    return out;
}

inline std::vector<float> dequantized(DType type, const std::vector<std::uint8_t>& data, std::int64_t rows,
                                      std::int64_t cols) {
    std::vector<float> f(static_cast<std::size_t>(rows * cols));
    const std::size_t row = row_bytes(type, cols);
    for (std::int64_t r = 0; r < rows; ++r) dequantize_row(type, data.data() + r * row, f.data() + r * cols, cols);
    return f;
}

// sum((a - ref)^2) / sum(ref^2)
inline double nmse(const std::vector<float>& a, const std::vector<float>& ref) {
    double num = 0, den = 0;
    for (std::size_t i = 0; i < ref.size(); ++i) {
        const double d = static_cast<double>(a[i]) - ref[i];
        num += d * d;
        den += static_cast<double>(ref[i]) * ref[i];
    }
    return den > 0 ? num / den : num;
}

inline Tensor upload_f32(Backend& b, const std::vector<float>& data, std::int64_t rows, std::int64_t cols) {
    Tensor t = b.alloc(DType::F32, rows, cols);
    b.upload(t, data.data(), data.size() * sizeof(float));
    return t;
}

inline std::vector<float> download_f32(Backend& b, const Tensor& t) {
    std::vector<float> v(static_cast<std::size_t>(t.rows * t.cols));
    b.download(t, v.data(), v.size() * sizeof(float));
    b.finish();
    return v;
}

// Token ids as the I32 [n, 1] device tensor get_rows() reads.
inline Tensor upload_ids(Backend& b, const std::vector<std::int32_t>& ids) {
    Tensor t = b.alloc(DType::I32, static_cast<std::int64_t>(ids.size()), 1);
    b.upload(t, ids.data(), ids.size() * sizeof(std::int32_t));
    return t;
}

// Step positions first_pos .. first_pos + rows - 1 as device tensors (rope, store_kv, attention).
inline StepPositions upload_positions(Backend& b, int first_pos, std::int64_t rows) {
    StepPositions p{b.alloc(DType::I32, rows, 1), b.alloc(DType::I32, 1, 1)};
    ponder::upload_positions(b, p, first_pos, rows);
    return p;
}

}  // namespace ponder::test
