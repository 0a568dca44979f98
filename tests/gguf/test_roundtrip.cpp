// test_roundtrip.cpp: everything the writer can express reads back identically through GgufFile.
#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "quant/dequantize.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>

namespace ponder {
namespace {

TEST(GgufRoundTrip, EveryScalarType) {
    GgufWriter w;
    w.set("a.u8", std::uint8_t{200});
    w.set("a.i8", std::int8_t{-100});
    w.set("a.u16", std::uint16_t{60000});
    w.set("a.i16", std::int16_t{-30000});
    w.set("a.u32", std::uint32_t{4000000000u});
    w.set("a.i32", std::int32_t{-2000000000});
    w.set("a.u64", std::uint64_t{1} << 63);
    w.set("a.i64", std::int64_t{-1} << 62);
    w.set("a.f32", 1.5f);
    w.set("a.f64", 0.1);
    w.set("a.bool", true);
    w.set("a.str", "héllo");
    w.set("a.empty", "");
    const auto bytes = w.to_bytes();
    const GgufFile f = GgufFile::from_memory(bytes);
    EXPECT_EQ(f.version(), 3u);
    EXPECT_EQ(f.metadata().size(), 13u);
    EXPECT_EQ(f.find("a.u8")->type(), GgufType::U8);
    EXPECT_EQ(f.get_u32("a.u8"), 200u);
    EXPECT_EQ(f.get_i32("a.i8"), -100);
    EXPECT_EQ(f.get_u32("a.u16"), 60000u);
    EXPECT_EQ(f.get_i32("a.i16"), -30000);
    EXPECT_EQ(f.get_u32("a.u32"), 4000000000u);
    EXPECT_EQ(f.get_i32("a.i32"), -2000000000);
    EXPECT_EQ(f.get_u64("a.u64"), std::uint64_t{1} << 63);
    EXPECT_EQ(f.find("a.i64")->as_i64(), std::int64_t{-1} << 62);
    EXPECT_EQ(f.get_f32("a.f32"), 1.5f);
    EXPECT_EQ(f.find("a.f64")->as_f64(), 0.1);
    EXPECT_EQ(f.get_bool("a.bool"), true);
    EXPECT_EQ(f.get_string("a.str"), "héllo");
    EXPECT_EQ(f.get_string("a.empty"), "");
    // Conversions that would lose information are type errors, not silent wraps.
    EXPECT_THROW(f.get_u32("a.i8"), Error);     // negative
    EXPECT_THROW(f.get_u32("a.u64"), Error);    // too large
    EXPECT_THROW(f.get_i32("a.u32"), Error);    // too large
    EXPECT_THROW(f.get_string("a.u8"), Error);  // wrong type
    EXPECT_THROW(f.get_bool("a.u8"), Error);
    EXPECT_THROW(f.get_u32("a.f32"), Error);
    EXPECT_EQ(f.get_f32("a.u16"), 60000.0f);  // integers read as numbers
    // Absent keys.
    EXPECT_FALSE(f.get_u32("nope").has_value());
    EXPECT_EQ(f.get_u32("nope", 7u), 7u);
    EXPECT_EQ(f.get_string("nope", "x"), "x");
    EXPECT_THROW(f.require_u32("nope"), Error);
    EXPECT_EQ(f.find("nope"), nullptr);
}

TEST(GgufRoundTrip, ArraysIncludingNested) {
    GgufWriter w;
    w.set_array("t.tokens", std::vector<std::string>{"a", "", "<think>", "\xE4\xB8\xAD"});
    w.set_array("t.scores", std::vector<float>{0.5f, -1.0f, 2.0f});
    w.set_array("t.types", std::vector<std::int32_t>{1, 3, -4});
    w.set_array("t.big", std::vector<std::uint64_t>{std::uint64_t{1} << 40});
    const bool flags[] = {true, false, true};
    w.set_array_bool("t.flags", flags);
    w.set_array("t.empty", std::vector<std::uint32_t>{});
    // Nested: an array of two arrays of u16, written through the raw escape hatch.
    std::string payload;
    auto pod = [&](auto v) { payload.append(reinterpret_cast<const char*>(&v), sizeof v); };
    pod(std::uint32_t{9});  // element type: array
    pod(std::uint64_t{2});
    pod(std::uint32_t{2});  // u16
    pod(std::uint64_t{2});
    pod(std::uint16_t{7});
    pod(std::uint16_t{8});
    pod(std::uint32_t{2});
    pod(std::uint64_t{1});
    pod(std::uint16_t{9});
    w.set_raw("t.nested", GgufType::Array,
              std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size()));
    const auto bytes = w.to_bytes();
    const GgufFile f = GgufFile::from_memory(bytes);

    const auto tokens = f.get_strings("t.tokens");
    ASSERT_TRUE(tokens);
    ASSERT_EQ(tokens->size(), 4u);
    EXPECT_EQ((*tokens)[2], "<think>");
    EXPECT_EQ((*tokens)[1], "");
    EXPECT_EQ(f.get_array<float>("t.scores"), (std::vector<float>{0.5f, -1.0f, 2.0f}));
    EXPECT_EQ(f.get_array<std::int32_t>("t.types"), (std::vector<std::int32_t>{1, 3, -4}));
    EXPECT_EQ(f.get_array<double>("t.types"), (std::vector<double>{1, 3, -4}));
    EXPECT_THROW(f.get_array<std::uint32_t>("t.types"), Error);  // -4 does not fit
    EXPECT_EQ(f.get_array<std::uint64_t>("t.big"), (std::vector<std::uint64_t>{std::uint64_t{1} << 40}));
    EXPECT_THROW(f.get_array<std::int32_t>("t.big"), Error);
    EXPECT_EQ(f.get_array<bool>("t.flags"), (std::vector<bool>{true, false, true}));
    EXPECT_EQ(f.get_array<std::uint32_t>("t.empty"), std::vector<std::uint32_t>{});
    EXPECT_THROW(f.get_array<float>("t.tokens"), Error);
    EXPECT_THROW(f.get_strings("t.scores"), Error);
    const GgufValue* nested = f.find("t.nested");
    ASSERT_NE(nested, nullptr);
    ASSERT_EQ(nested->element_type(), GgufType::Array);
    ASSERT_EQ(nested->items().size(), 2u);
    EXPECT_EQ(nested->items()[0].size(), 2u);
    EXPECT_EQ(nested->items()[0].i64_at(1), 8);
    EXPECT_EQ(nested->items()[1].i64_at(0), 9);
    EXPECT_FALSE(nested->items()[1].i64_at(1).has_value());  // out of range

    // copy_metadata re-encodes every value, nested arrays included, bit for bit.
    GgufWriter copy;
    copy.copy_metadata(f, "t.");
    EXPECT_EQ(copy.to_bytes(), bytes);
}

TEST(GgufRoundTrip, TensorsAreAlignedViewsIntoTheBuffer) {
    GgufWriter w;
    w.set("general.architecture", "llama");
    std::vector<float> a(64 * 3);
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<float>(i) * 0.25f - 3.0f;
    w.add_tensor("a", DType::F32, {64, 3}, a);
    w.add_tensor("b", DType::Q8_0, {64, 3}, a);
    w.add_tensor("c", DType::F16, {5}, std::vector<float>{1, 2, 3, 4, 5});
    const std::vector<std::uint8_t> raw(row_bytes(DType::Q4_K, 256) * 2, 0x11);
    const std::int64_t shape[] = {256, 1, 2, 1};
    w.add_tensor("d", DType::Q4_K, shape, raw);
    const auto bytes = w.to_bytes();
    const GgufFile f = GgufFile::from_memory(bytes);
    ASSERT_EQ(f.tensors().size(), 4u);
    EXPECT_EQ(f.alignment(), 32u);
    for (const GgufTensor& t : f.tensors()) {
        EXPECT_EQ(t.file_offset % 32, 0u) << t.name;
        EXPECT_GE(t.data, bytes.data());
        EXPECT_LE(t.data + t.n_bytes, bytes.data() + bytes.size());
    }
    const GgufTensor& ta = f.require_tensor("a");
    EXPECT_EQ(ta.type, DType::F32);
    EXPECT_EQ(ta.n_dims, 2);
    EXPECT_EQ(ta.row_length(), 64);
    EXPECT_EQ(ta.n_rows(), 3);
    EXPECT_EQ(ta.n_elements, 192u);
    EXPECT_EQ(ta.n_bytes, 768u);
    EXPECT_EQ(std::memcmp(ta.data, a.data(), 768), 0);
    const GgufTensor& tb = f.require_tensor("b");
    EXPECT_EQ(tb.n_bytes, 6u * 34u);
    std::vector<float> back(192);
    dequantize_row(DType::Q8_0, tb.data, back.data(), 192);
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(back[i], a[i], 0.2f);  // half a step at |x| <= 45
    const GgufTensor& td = f.require_tensor("d");
    EXPECT_EQ(td.n_dims, 4);
    EXPECT_EQ(td.shape().size(), 4u);
    EXPECT_EQ(td.ne[2], 2);
    EXPECT_EQ(td.n_bytes, raw.size());
    EXPECT_EQ(f.find_tensor("zzz"), nullptr);
    EXPECT_THROW(f.require_tensor("zzz"), Error);
}

TEST(GgufRoundTrip, CustomAlignmentAndFileIo) {
    test::TempDir dir;
    GgufWriter w;
    w.set_alignment(64);
    w.add_tensor("x", DType::F32, {8}, std::vector<float>(8, 2.0f));
    w.add_tensor_lazy("y", DType::F32, std::vector<std::int64_t>{16}, [](std::uint8_t* dst, std::size_t n) {
        for (std::size_t i = 0; i < n / 4; ++i) {
            const float v = static_cast<float>(i);
            std::memcpy(dst + 4 * i, &v, 4);
        }
    });
    w.write_file(dir / "m.gguf");
    EXPECT_EQ(w.to_bytes().size(), std::filesystem::file_size(dir / "m.gguf"));
    const GgufFile f = GgufFile::open(dir / "m.gguf");
    EXPECT_EQ(f.alignment(), 64u);
    EXPECT_EQ(f.get_u32("general.alignment"), 64u);
    const GgufTensor& y = f.require_tensor("y");
    EXPECT_EQ(y.file_offset % 64, 0u);
    float v;
    std::memcpy(&v, y.data + 4 * 15, 4);
    EXPECT_EQ(v, 15.0f);
    EXPECT_EQ(f.split_count(), 1);
    EXPECT_EQ(f.file_bytes(), std::filesystem::file_size(dir / "m.gguf"));
    EXPECT_THROW(GgufFile::open(dir / "missing.gguf"), Error);
}

TEST(GgufWriter, RowStreamedTensorsAreWrittenInChunks) {
    // 1024 x 5000 F32 = 20 MB: write_file() fills it in two chunks (16 MiB limit), to_bytes() in one.
    test::TempDir dir;
    GgufWriter w;
    std::vector<std::pair<std::int64_t, std::int64_t>> calls;
    const std::int64_t shape[] = {1024, 5000};
    w.add_tensor_rows("big", DType::F32, shape, [&](std::int64_t first, std::int64_t n, std::uint8_t* dst) {
        calls.emplace_back(first, n);
        for (std::int64_t r = 0; r < n; ++r)
            for (int i = 0; i < 1024; ++i) {
                const float v = static_cast<float>(first + r) + static_cast<float>(i) / 1024.0f;
                std::memcpy(dst + (r * 1024 + i) * 4, &v, 4);
            }
    });
    w.write_file(dir / "big.gguf");
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0], (std::pair<std::int64_t, std::int64_t>{0, 4096}));
    EXPECT_EQ(calls[1], (std::pair<std::int64_t, std::int64_t>{4096, 904}));
    const GgufFile f = GgufFile::open(dir / "big.gguf");
    const GgufTensor& t = f.require_tensor("big");
    for (std::int64_t r : {0, 4095, 4096, 4999}) {
        float v;
        std::memcpy(&v, t.data + (r * 1024 + 512) * 4, 4);
        EXPECT_EQ(v, static_cast<float>(r) + 0.5f) << r;
    }
    const auto bytes = w.to_bytes();
    ASSERT_EQ(bytes.size(), f.file_bytes());
    EXPECT_EQ(std::memcmp(bytes.data(), f.part_bytes(0).data(), bytes.size()), 0);
}

TEST(GgufWriter, RejectsBadTensors) {
    GgufWriter w;
    EXPECT_THROW(w.add_tensor("q", DType::Q4_K, {100}, std::vector<float>(100)), Error);  // not a block multiple
    EXPECT_THROW(w.add_tensor("q", DType::F32, {4}, std::vector<float>(3)), Error);       // wrong count
    EXPECT_THROW(w.add_tensor("q", DType::Q2_K, {256}, std::vector<float>(256)), Error);  // no quantizer
    EXPECT_THROW(w.add_tensor("q", DType::F32, {0}, std::vector<float>{}), Error);
    EXPECT_EQ(w.tensor_count(), 0u);
    w.add_tensor("q", DType::F32, {4}, std::vector<float>(4));
    EXPECT_THROW(w.add_tensor("q", DType::F32, {4}, std::vector<float>(4)), Error);  // duplicate
    EXPECT_THROW(w.set_alignment(12), Error);
    // A replaced key keeps its position.
    w.set("k1", 1u);
    w.set("k2", 2u);
    w.set("k1", "now a string");
    const auto bytes = w.to_bytes();
    const GgufFile f = GgufFile::from_memory(bytes);
    ASSERT_EQ(f.metadata().size(), 2u);
    EXPECT_EQ(f.metadata()[0].key, "k1");
    EXPECT_EQ(f.get_string("k1"), "now a string");
}

}  // namespace
}  // namespace ponder
