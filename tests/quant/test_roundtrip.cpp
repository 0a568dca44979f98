// test_roundtrip.cpp: quantize -> dequantize on synthetic data stays within each format's error
// bound (and beats a bound that a scrambled bit layout or a wrong scale would break).
#include "quant/dequantize.h"
#include "quant/quantize.h"

#include <ponder/engine.h>

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace ponder {
namespace {

std::vector<float> normal_data(std::size_t n, unsigned seed, float sigma = 1.0f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.0f, sigma);
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
}

// rms(a - b) / rms(a)
double relative_rms(const std::vector<float>& a, const std::vector<float>& b) {
    double num = 0, den = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        num += (static_cast<double>(a[i]) - b[i]) * (static_cast<double>(a[i]) - b[i]);
        den += static_cast<double>(a[i]) * a[i];
    }
    return std::sqrt(num / den);
}

std::vector<float> roundtrip(DType type, const std::vector<float>& x) {
    const auto n = static_cast<std::int64_t>(x.size());
    std::vector<std::uint8_t> q(row_bytes(type, n));
    EXPECT_EQ(quantize_row(type, x.data(), q.data(), n), q.size());
    std::vector<float> y(x.size());
    dequantize_row(type, q.data(), y.data(), n);
    return y;
}

struct Bound {
    DType type;
    double max_rel_rms;
};

class QuantRoundTrip : public ::testing::TestWithParam<Bound> {};

TEST_P(QuantRoundTrip, NormalDataWithinBound) {
    const Bound b = GetParam();
    // 16 rows of 4096 values, two scales of data: the error is relative, so it should not care.
    for (float sigma : {0.02f, 3.0f}) {
        const auto x = normal_data(16 * 4096, 1234, sigma);
        const auto y = roundtrip(b.type, x);
        const double err = relative_rms(x, y);
        EXPECT_LT(err, b.max_rel_rms) << to_string(b.type) << " sigma " << sigma;
        RecordProperty(std::string(to_string(b.type)), std::to_string(err));
    }
}

// Bounds: measured relative rms error of our quantizers on N(0, sigma) data plus ~20 % margin
// (measured: F16 0.021 %, BF16 0.17 %, Q8_0 0.54 %, Q8_K 0.70 %, Q6_K 1.7 %, Q5_K 3.6 %,
// Q5_1 3.8 %, Q5_0 4.3 %, Q4_K 7.1 %, IQ4_NL 7.5 %, Q4_1 7.9 %, Q4_0 8.6 %). A misplaced bit,
// nibble or scale turns these into tens of percent.
INSTANTIATE_TEST_SUITE_P(Types, QuantRoundTrip,
                         ::testing::Values(Bound{DType::F16, 0.0003}, Bound{DType::BF16, 0.0021},
                                           Bound{DType::Q8_0, 0.0066}, Bound{DType::Q8_K, 0.0085},
                                           Bound{DType::Q6_K, 0.021}, Bound{DType::Q5_K, 0.043},
                                           Bound{DType::Q5_0, 0.052}, Bound{DType::Q5_1, 0.046},
                                           Bound{DType::Q4_K, 0.085}, Bound{DType::Q4_1, 0.095},
                                           Bound{DType::Q4_0, 0.104}, Bound{DType::IQ4_NL, 0.09}),
                         [](const auto& info) { return std::string(to_string(info.param.type)); });

TEST(QuantRoundTrip, F32IsExact) {
    const auto x = normal_data(256, 7);
    EXPECT_EQ(roundtrip(DType::F32, x), x);
}

TEST(QuantRoundTrip, ZerosStayZero) {
    const std::vector<float> x(512, 0.0f);
    for (DType t : {DType::Q8_0, DType::Q8_K, DType::Q4_0, DType::Q4_1, DType::Q5_0, DType::Q5_1, DType::Q4_K,
                    DType::Q5_K, DType::Q6_K, DType::IQ4_NL}) {
        const auto y = roundtrip(t, x);
        for (float v : y) ASSERT_EQ(v, 0.0f) << to_string(t);
    }
}

TEST(QuantRoundTrip, ConstantAndOutlierBlocks) {
    // One huge outlier per block must not destroy the other values' sign.
    std::vector<float> x(256, 0.5f);
    x[7] = 100.0f;
    for (DType t : {DType::Q8_0, DType::Q4_K, DType::Q5_K, DType::Q6_K}) {
        const auto y = roundtrip(t, x);
        EXPECT_NEAR(y[7], 100.0f, 2.0f) << to_string(t);
        for (std::size_t i = 0; i < y.size(); ++i)
            if (i != 7) {
                ASSERT_GE(y[i], -0.01f) << to_string(t) << " at " << i;
            }
    }
}

TEST(QuantQ8K, ScaleAndBlockSums) {
    const auto x = normal_data(512, 99);
    std::vector<block_q8_K> q(2);
    quantize_row_q8_K(x.data(), q.data(), 512);
    for (int b = 0; b < 2; ++b) {
        // The largest-magnitude value maps to exactly -127 * d (llama.cpp's rule, see quantize.cpp).
        float amax = 0, max = 0;
        for (int i = 0; i < 256; ++i)
            if (std::fabs(x[256 * b + i]) > amax) amax = std::fabs(x[256 * b + i]), max = x[256 * b + i];
        EXPECT_NEAR(q[b].d, max / -127.0f, 1e-7f);
        for (int j = 0; j < 16; ++j) {
            int sum = 0;
            for (int l = 0; l < 16; ++l) sum += q[b].qs[16 * j + l];
            EXPECT_EQ(q[b].bsums[j], sum);
        }
        const float iscale = -127.0f / max;
        for (int i = 0; i < 256; ++i) {
            EXPECT_NEAR(q[b].d * q[b].qs[i], x[256 * b + i], std::fabs(q[b].d) * 0.5f + 1e-6f);
            // Exactly the documented rule: min(127, round-half-even(iscale * x)).
            const float r = std::nearbyint(iscale * x[256 * b + i]);
            EXPECT_EQ(q[b].qs[i], static_cast<int>(std::min(127.0f, r)));
        }
    }
}

TEST(QuantQ80, RoundsToNearestWithinHalfStep) {
    const auto x = normal_data(1024, 5);
    std::vector<block_q8_0> q(32);
    quantize_row_q8_0(x.data(), q.data(), 1024);
    for (int b = 0; b < 32; ++b) {
        const float d = fp16_to_f32(q[b].d);
        float amax = 0;
        for (int i = 0; i < 32; ++i) amax = std::max(amax, std::fabs(x[32 * b + i]));
        EXPECT_NEAR(d, amax / 127.0f, amax / 127.0f * 1e-3f);
        for (int i = 0; i < 32; ++i) {
            EXPECT_NEAR(d * q[b].qs[i], x[32 * b + i], d * 0.51f + amax * 1e-3f);
            // Exactly the documented rule: round-half-even(x / (amax / 127)).
            EXPECT_EQ(q[b].qs[i], static_cast<int>(std::nearbyint(x[32 * b + i] * (1.0f / (amax / 127.0f)))));
        }
    }
}

TEST(QuantErrors, RejectsUnsupportedOrBadLength) {
    std::vector<float> x(256, 1.0f);
    std::vector<std::uint8_t> out(1024);
    EXPECT_THROW(quantize_row(DType::Q2_K, x.data(), out.data(), 256), Error);
    EXPECT_THROW(quantize_row(DType::Q4_K, x.data(), out.data(), 100), Error);
}

}  // namespace
}  // namespace ponder
