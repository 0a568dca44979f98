// test_types.cpp: the DType table, name parsing, checked row sizes and fp16/bf16 conversion.
#include "quant/blocks.h"
#include "quant/types.h"

#include <ponder/engine.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

namespace ponder {
namespace {

TEST(QuantTypes, GgmlIdsAndGeometry) {
    EXPECT_EQ(static_cast<std::uint32_t>(DType::Q4_K), 12u);
    EXPECT_EQ(static_cast<std::uint32_t>(DType::BF16), 30u);
    EXPECT_EQ(static_cast<std::uint32_t>(DType::IQ4_XS), 23u);
    EXPECT_EQ(type_info(DType::Q4_K).block_elems, 256);
    EXPECT_EQ(type_info(DType::Q4_K).block_bytes, 144u);
    EXPECT_EQ(type_info(DType::Q8_0).block_bytes, 34u);
    EXPECT_EQ(type_info(DType::IQ4_NL).block_elems, 32);
    EXPECT_EQ(type_info(DType::F16).block_bytes, 2u);
    EXPECT_EQ(find_type_info(4), nullptr);   // removed Q4_2
    EXPECT_EQ(find_type_info(31), nullptr);  // removed Q4_0_4_4
    EXPECT_EQ(find_type_info(1000), nullptr);
    EXPECT_THROW(type_info(static_cast<DType>(5)), Error);
}

TEST(QuantTypes, NameParsing) {
    EXPECT_EQ(parse_dtype("Q4_K"), DType::Q4_K);
    EXPECT_EQ(parse_dtype("q4_k"), DType::Q4_K);
    EXPECT_EQ(parse_dtype("bf16"), DType::BF16);
    EXPECT_EQ(parse_dtype("iq4_xs"), DType::IQ4_XS);
    EXPECT_FALSE(parse_dtype("Q4_K_M").has_value());  // a file type mix, not a tensor type
    EXPECT_FALSE(parse_dtype("").has_value());
    EXPECT_EQ(to_string(DType::Q6_K), "Q6_K");
    EXPECT_EQ(to_string(static_cast<DType>(77)), "?");
}

TEST(QuantTypes, RowBytes) {
    EXPECT_EQ(row_bytes(DType::Q4_K, 4096), 16u * 144u);
    EXPECT_EQ(row_bytes(DType::Q8_0, 896), 28u * 34u);
    EXPECT_EQ(row_bytes(DType::F32, 3), 12u);
    EXPECT_FALSE(checked_row_bytes(DType::Q4_K, 896).has_value());  // not a multiple of 256
    EXPECT_FALSE(checked_row_bytes(DType::Q8_0, -32).has_value());
    EXPECT_FALSE(checked_row_bytes(DType::F64, std::numeric_limits<std::int64_t>::max()).has_value());
    EXPECT_THROW(row_bytes(DType::Q4_K, 100), Error);
}

TEST(QuantHalf, KnownValues) {
    EXPECT_EQ(f32_to_fp16(1.0f), 0x3C00);
    EXPECT_EQ(f32_to_fp16(-2.0f), 0xC000);
    EXPECT_EQ(f32_to_fp16(65504.0f), 0x7BFF);
    EXPECT_EQ(f32_to_fp16(65519.0f), 0x7BFF);  // below the rounding midpoint to inf
    EXPECT_EQ(f32_to_fp16(65520.0f), 0x7C00);  // rounds to infinity
    EXPECT_EQ(f32_to_fp16(0.1f), 0x2E66);
    EXPECT_EQ(f32_to_fp16(5.9604644775390625e-8f), 0x0001);   // smallest subnormal
    EXPECT_EQ(f32_to_fp16(2.98023223876953125e-8f), 0x0000);  // exactly half of it: ties to even (0)
    EXPECT_EQ(f32_to_fp16(1.0f + 1.0f / 2048.0f), 0x3C00);    // tie between 0x3C00 and 0x3C01 -> even
    EXPECT_EQ(f32_to_fp16(1.0f + 3.0f / 2048.0f), 0x3C02);    // tie between 0x3C01 and 0x3C02 -> even
    EXPECT_EQ(fp16_to_f32(0x3555), 0.333251953125f);
    EXPECT_EQ(fp16_to_f32(0x0400), 6.103515625e-05f);
    EXPECT_TRUE(std::isinf(fp16_to_f32(0xFC00)) && fp16_to_f32(0xFC00) < 0);
    EXPECT_TRUE(std::isnan(fp16_to_f32(0x7E00)));
    EXPECT_TRUE(std::isnan(fp16_to_f32(f32_to_fp16(std::nanf("")))));
}

TEST(QuantHalf, EveryHalfRoundTrips) {
    for (std::uint32_t h = 0; h < 0x10000; ++h) {
        const float f = fp16_to_f32(static_cast<fp16_t>(h));
        if (std::isnan(f)) continue;
        ASSERT_EQ(f32_to_fp16(f), h) << "fp16 0x" << std::hex << h;
    }
}

TEST(QuantBFloat16, Conversions) {
    EXPECT_EQ(f32_to_bf16(1.0f), 0x3F80);
    EXPECT_EQ(bf16_to_f32(0xC0A0), -5.0f);
    EXPECT_EQ(f32_to_bf16(f32_from_bits(0x3F808000u)), 0x3F80);  // tie -> even
    EXPECT_EQ(f32_to_bf16(f32_from_bits(0x3F818000u)), 0x3F82);  // tie -> even (up)
    EXPECT_EQ(f32_to_bf16(f32_from_bits(0x3F808001u)), 0x3F81);  // above the tie
    EXPECT_TRUE(std::isnan(bf16_to_f32(f32_to_bf16(std::nanf("")))));
}

}  // namespace
}  // namespace ponder
