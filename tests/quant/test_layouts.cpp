// test_layouts.cpp: hand-built blocks decode to values worked out by hand from the published
// ggml block formats (bit positions, nibble order, scale packing), independent of our quantizers.
#include "quant/blocks.h"
#include "quant/dequantize.h"

#include <ponder/engine.h>

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace ponder {
namespace {

template <class Block>
std::vector<float> decode(DType type, const Block& b) {
    std::vector<float> out(static_cast<std::size_t>(type_info(type).block_elems));
    dequantize_row(type, &b, out.data(), static_cast<std::int64_t>(out.size()));
    return out;
}

TEST(QuantLayout, Q4_0) {
    block_q4_0 b{};
    b.d = 0x3800;  // 0.5
    std::memset(b.qs, 0x88, sizeof b.qs);
    b.qs[0] = 0x1F;
    b.qs[15] = 0x80;
    const auto y = decode(DType::Q4_0, b);
    EXPECT_EQ(y[0], 3.5f);    // low nibble 15 -> (15 - 8) * 0.5
    EXPECT_EQ(y[16], -3.5f);  // high nibble of byte 0 is element 16
    EXPECT_EQ(y[15], -4.0f);
    EXPECT_EQ(y[31], 0.0f);
    EXPECT_EQ(y[1], 0.0f);
}

TEST(QuantLayout, Q4_1) {
    block_q4_1 b{};
    b.d = 0x3800;  // 0.5
    b.m = 0xBC00;  // -1
    b.qs[0] = 0x21;
    const auto y = decode(DType::Q4_1, b);
    EXPECT_EQ(y[0], -0.5f);
    EXPECT_EQ(y[16], 0.0f);
    EXPECT_EQ(y[1], -1.0f);
}

TEST(QuantLayout, Q5_0) {
    block_q5_0 b{};
    b.d = 0x3C00;
    const std::uint32_t qh = (1u << 0) | (1u << 16) | (1u << 17);
    std::memcpy(b.qh, &qh, 4);
    b.qs[1] = 0xF3;
    const auto y = decode(DType::Q5_0, b);
    EXPECT_EQ(y[0], 0.0f);  // 0 | 16 - 16
    EXPECT_EQ(y[16], 0.0f);
    EXPECT_EQ(y[1], -13.0f);  // 3 - 16
    EXPECT_EQ(y[17], 15.0f);  // 15 | 16 - 16
    EXPECT_EQ(y[2], -16.0f);
}

TEST(QuantLayout, Q5_1) {
    block_q5_1 b{};
    b.d = 0x3C00;
    b.m = 0x3800;  // 0.5
    const std::uint32_t qh = 1u << 31;
    std::memcpy(b.qh, &qh, 4);
    b.qs[15] = 0x30;
    const auto y = decode(DType::Q5_1, b);
    EXPECT_EQ(y[31], 19.5f);
    EXPECT_EQ(y[15], 0.5f);
}

TEST(QuantLayout, Q8_0) {
    block_q8_0 b{};
    b.d = 0x3400;  // 0.25
    b.qs[3] = -7;
    b.qs[31] = 127;
    const auto y = decode(DType::Q8_0, b);
    EXPECT_EQ(y[3], -1.75f);
    EXPECT_EQ(y[31], 31.75f);
    EXPECT_EQ(y[0], 0.0f);
}

TEST(QuantLayout, Q2_K) {
    block_q2_K b{};
    b.d = 0x3C00;
    b.dmin = 0x3400;     // 0.25
    b.scales[0] = 0x21;  // scale 1, min 2
    b.scales[2] = 0x03;  // scale 3, min 0
    b.scales[8] = 0x14;  // scale 4, min 1
    b.qs[0] = 0x0B;      // bits 0-1 = 3 (element 0), bits 2-3 = 2 (element 32)
    b.qs[32] = 0x01;     // element 128
    const auto y = decode(DType::Q2_K, b);
    EXPECT_EQ(y[0], 2.5f);
    EXPECT_EQ(y[32], 6.0f);
    EXPECT_EQ(y[128], 3.75f);
    EXPECT_EQ(y[1], -0.5f);  // q 0, min 2 * 0.25
}

TEST(QuantLayout, Q3_K) {
    block_q3_K b{};
    b.d = 0x3C00;
    b.scales[0] = 0x02;  // sub-block 0: low 4 bits 2
    b.scales[8] = 0x02;  //              high 2 bits 2 -> 34 - 32 = +2
    b.scales[1] = 0xD0;  // sub-block 9: low 4 bits 13 (high nibble of byte 1)
    b.scales[9] = 0x10;  //              high 2 bits 1 (bits 4-5 of byte 9) -> 29 - 32 = -3
    b.qs[0] = 0x01;
    b.hmask[0] = 0x01;  // element 0: high bit set -> no -4
    b.qs[1] = 0x03;     // element 1: 3 - 4
    b.qs[48] = 0x02;    // element 144 (second half, k = 1, shift 0): 2 - 4
    const auto y = decode(DType::Q3_K, b);
    EXPECT_EQ(y[0], 2.0f);
    EXPECT_EQ(y[1], -2.0f);
    EXPECT_EQ(y[2], -8.0f);
    EXPECT_EQ(y[144], 6.0f);
    EXPECT_EQ(y[16], 128.0f);  // sub-block 1 scale -32, q = -4
}

TEST(QuantLayout, Q4_K) {
    block_q4_K b{};
    b.d = 0x3C00;
    b.dmin = 0x3800;  // 0.5
    // sub-block 0: scale 2, min 4; sub-block 5: scale 33, min 17 (6-bit packing).
    b.scales[0] = 2;
    b.scales[4] = 4;
    b.scales[1] = 0x80;  // high 2 bits of scale 5 (33 >> 4 = 2)
    b.scales[5] = 0x40;  // high 2 bits of min 5 (17 >> 4 = 1)
    b.scales[9] = 0x11;  // low 4 bits of scale 5 and min 5
    b.qs[0] = 0x07;
    b.qs[64] = 0x30;
    const auto y = decode(DType::Q4_K, b);
    EXPECT_EQ(y[0], 12.0f);  // 2 * 7 - 0.5 * 4
    EXPECT_EQ(y[1], -2.0f);
    EXPECT_EQ(y[32], 0.0f);
    EXPECT_EQ(y[160], 90.5f);  // 33 * 3 - 0.5 * 17
    EXPECT_EQ(y[161], -8.5f);
}

TEST(QuantLayout, Q5_K) {
    block_q5_K b{};
    b.d = 0x3C00;
    b.scales[1] = 1;   // sub-block 1 scale 1
    b.scales[10] = 5;  // sub-block 6 scale 5 (low 4 bits)
    b.qs[0] = 0x20;    // element 32: high nibble of byte 0
    b.qh[0] = 0x02 | 0x40;
    b.qs[96] = 0x01;  // element 192: low nibble, chunk 3
    const auto y = decode(DType::Q5_K, b);
    EXPECT_EQ(y[32], 18.0f);
    EXPECT_EQ(y[192], 85.0f);
    EXPECT_EQ(y[33], 0.0f);
}

TEST(QuantLayout, Q6_K) {
    block_q6_K b{};
    b.d = 0x3800;  // 0.5
    b.scales[0] = 2;
    b.scales[3] = -1;
    b.scales[10] = 4;
    b.ql[0] = 0x05;
    b.qh[0] = 0x02;   // element 0: 5 | 2 << 4 = 37 -> +5
    b.ql[48] = 0x0F;  // element 48: 15 -> -17
    b.qh[32] = 0x0C;  // element 160: bits 2-3 -> 48 -> +16
    const auto y = decode(DType::Q6_K, b);
    EXPECT_EQ(y[0], 5.0f);
    EXPECT_EQ(y[1], -32.0f);
    EXPECT_EQ(y[48], 8.5f);
    EXPECT_EQ(y[49], 16.0f);
    EXPECT_EQ(y[160], 32.0f);
}

TEST(QuantLayout, Q8_K) {
    block_q8_K b{};
    b.d = 0.5f;
    b.qs[255] = -128;
    const auto y = decode(DType::Q8_K, b);
    EXPECT_EQ(y[255], -64.0f);
}

TEST(QuantLayout, IQ4_NL) {
    block_iq4_nl b{};
    b.d = 0x3800;
    b.qs[0] = 0xF0;
    const auto y = decode(DType::IQ4_NL, b);
    EXPECT_EQ(y[0], -63.5f);
    EXPECT_EQ(y[16], 56.5f);
}

TEST(QuantLayout, IQ4_XS) {
    block_iq4_xs b{};
    b.d = 0x3C00;
    b.scales_l[1] = 0x80;  // sub-block 3 low bits 8
    b.scales_h = 0x0080;   // sub-block 3 high bits 2 -> 40 - 32 = +8
    b.qs[48] = 0x09;       // element 96 -> kvalue 13
    const auto y = decode(DType::IQ4_XS, b);
    EXPECT_EQ(y[96], 104.0f);
    EXPECT_EQ(y[0], 4064.0f);  // scale -32, kvalue -127
}

TEST(QuantLayout, HalfAndBf16Rows) {
    const std::uint16_t h[2] = {0x3C00, 0xC000};
    float y[2];
    dequantize_row(DType::F16, h, y, 2);
    EXPECT_EQ(y[0], 1.0f);
    EXPECT_EQ(y[1], -2.0f);
    const std::uint16_t b[2] = {0x3F80, 0xC0A0};
    dequantize_row(DType::BF16, b, y, 2);
    EXPECT_EQ(y[0], 1.0f);
    EXPECT_EQ(y[1], -5.0f);
}

TEST(QuantLayout, BadArgumentsThrow) {
    block_q4_0 b{};
    float y[64];
    EXPECT_THROW(dequantize_row(DType::Q4_0, &b, y, 33), Error);
    EXPECT_THROW(dequantize_row(DType::IQ2_XXS, &b, y, 256), Error);
    EXPECT_THROW(dequantize_row(static_cast<DType>(4), &b, y, 32), Error);
}

}  // namespace
}  // namespace ponder
