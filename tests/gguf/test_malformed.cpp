// test_malformed.cpp: hostile and broken GGUF images fail with a clear ponder::Error (naming the
// offset and the problem), never a crash, an out-of-bounds read or a giant allocation.
#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "raw_gguf.h"

#include <gtest/gtest.h>

#include <string>

namespace ponder {
namespace {

using test::RawGguf;

// Parses and returns the error message ("" when the image is accepted). Any exception other
// than ponder::Error (bad_alloc, length_error, ...) fails the test.
std::string parse_error(const std::vector<std::uint8_t>& bytes) {
    try {
        GgufFile::from_memory(bytes, "bad.gguf");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

#define EXPECT_GGUF_ERROR(bytes, fragment)                                    \
    do {                                                                      \
        const std::string msg_ = parse_error(bytes);                          \
        EXPECT_NE(msg_.find(fragment), std::string::npos) << "got: " << msg_; \
        EXPECT_NE(msg_.find("bad.gguf: offset "), std::string::npos) << msg_; \
    } while (0)

std::vector<std::uint8_t> small_valid_file() {
    GgufWriter w;
    w.set("general.architecture", "llama");
    w.set("llama.block_count", std::uint32_t{2});
    w.set_array("tokenizer.ggml.tokens", std::vector<std::string>{"<s>", "a", "b"});
    w.set_array("tokenizer.ggml.scores", std::vector<float>{0, -1, -2});
    w.add_tensor("w1", DType::Q8_0, {32, 2}, std::vector<float>(64, 0.5f));
    w.add_tensor("w2", DType::F32, {8}, std::vector<float>(8, 1.0f));  // 32 bytes: file ends exactly here
    return w.to_bytes();
}

TEST(GgufMalformed, EveryTruncationIsAnError) {
    const auto full = small_valid_file();
    ASSERT_EQ(parse_error(full), "");
    const GgufFile f = GgufFile::from_memory(full);
    std::uint64_t end = 0;
    for (const GgufTensor& t : f.tensors()) end = std::max(end, t.file_offset + t.n_bytes);
    ASSERT_EQ(end, full.size());
    for (std::size_t len = 0; len < full.size(); ++len) {
        const std::vector<std::uint8_t> prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
        const std::string msg = parse_error(prefix);
        ASSERT_FALSE(msg.empty()) << "prefix of " << len << " bytes was accepted";
        ASSERT_NE(msg.find("bad.gguf: offset "), std::string::npos) << msg;
    }
}

TEST(GgufMalformed, WrongMagicAndVersion) {
    auto bytes = small_valid_file();
    bytes[0] = 'X';
    EXPECT_GGUF_ERROR(bytes, "bad magic");
    EXPECT_GGUF_ERROR(RawGguf().header(0, 0, 1).bytes, "version 1");
    EXPECT_GGUF_ERROR(RawGguf().header(0, 0, 4).bytes, "unsupported GGUF version 4");
    EXPECT_GGUF_ERROR(RawGguf().header(0, 0, 0x03000000u).bytes, "big-endian");
    EXPECT_EQ(parse_error(RawGguf().header(0, 0, 2).bytes), "");  // empty v2 file is fine
}

TEST(GgufMalformed, AbsurdCountsDoNotAllocate) {
    EXPECT_GGUF_ERROR(RawGguf().header(0, std::uint64_t{1} << 62).bytes, "metadata count");
    EXPECT_GGUF_ERROR(RawGguf().header(~std::uint64_t{0}, 0).bytes, "tensor count");
    // A string array claiming 2^60 elements.
    EXPECT_GGUF_ERROR(RawGguf().header(0, 1).str("k").u32(9).u32(8).u64(std::uint64_t{1} << 60).bytes, "cannot fit");
    // A u64 array whose byte size would overflow 64 bits.
    EXPECT_GGUF_ERROR(RawGguf().header(0, 1).str("k").u32(9).u32(10).u64(~std::uint64_t{0} / 4).bytes, "cannot fit");
    // Huge string lengths (key and value).
    EXPECT_GGUF_ERROR(RawGguf().header(0, 1).u64(~std::uint64_t{0}).zeros(16).bytes, "string length");
    EXPECT_GGUF_ERROR(RawGguf().header(0, 1).str("k").u32(8).u64(std::uint64_t{1} << 40).bytes, "string length");
}

TEST(GgufMalformed, BadValueTypesAndKeys) {
    EXPECT_GGUF_ERROR(RawGguf().header(0, 1).str("k").u32(13).u32(0).bytes, "unknown value type 13");
    EXPECT_GGUF_ERROR(RawGguf().header(0, 1).str("k").u32(9).u32(99).u64(0).bytes, "unknown value type 99");
    EXPECT_GGUF_ERROR(RawGguf().header(0, 1).str("").u32(4).u32(0).bytes, "bad length");
    EXPECT_GGUF_ERROR(RawGguf().header(0, 2).kv_u32("k", 1).kv_u32("k", 2).bytes, "duplicate metadata key 'k'");
    EXPECT_GGUF_ERROR(RawGguf().header(0, 1).kv_u32("bad\xFF\xFEkey", 1).bytes, "not valid UTF-8");
    // Arrays nested 9 deep.
    RawGguf deep;
    deep.header(0, 1).str("k");
    deep.u32(9);
    for (int i = 0; i < 9; ++i) deep.u32(9).u64(1);
    deep.u32(4).u64(0);
    EXPECT_GGUF_ERROR(deep.bytes, "nested");
}

TEST(GgufMalformed, NonUtf8ValueStringsAreKeptAsBytes) {
    // Token texts are bytes; a vocabulary with a stray invalid sequence still loads.
    const auto bytes = RawGguf().header(0, 1).kv_str("general.name", "caf\xE9 \xC3").bytes;
    const GgufFile f = GgufFile::from_memory(bytes);
    EXPECT_EQ(f.get_string("general.name"), "caf\xE9 \xC3");
}

TEST(GgufMalformed, BadAlignment) {
    for (std::uint32_t a : {0u, 3u, 4u, 12u, 1u << 31}) {
        SCOPED_TRACE(a);
        const auto bytes = RawGguf().header(0, 1).kv_u32("general.alignment", a).bytes;
        EXPECT_GGUF_ERROR(bytes, "general.alignment");
    }
    EXPECT_GGUF_ERROR(RawGguf().header(0, 1).kv_str("general.alignment", "32").bytes,
                      "key general.alignment is declared u32 by the GGUF specification but is string");
    const auto ok = RawGguf().header(0, 1).kv_u32("general.alignment", 64).bytes;
    EXPECT_EQ(GgufFile::from_memory(ok).alignment(), 64u);
}

// One F32 tensor of 8 elements (32 bytes) per entry of `offsets`, data section of `data_bytes`.
std::vector<std::uint8_t> tensors_at(std::vector<std::uint64_t> offsets, std::size_t data_bytes, std::uint32_t type = 0,
                                     std::vector<std::uint64_t> dims = {8}) {
    RawGguf r;
    r.header(offsets.size(), 0);
    for (std::size_t i = 0; i < offsets.size(); ++i) {
        std::string name = "t";
        name += std::to_string(i);  // (not "t" + ...: gcc 12 -Wrestrict false positive)
        r.tensor(name, dims, type, offsets[i]);
    }
    r.pad_to(32).zeros(data_bytes);
    return r.bytes;
}

TEST(GgufMalformed, TensorOffsets) {
    EXPECT_EQ(parse_error(tensors_at({0, 32}, 64)), "");
    EXPECT_GGUF_ERROR(tensors_at({0, 32}, 63), "outside");  // second tensor runs past the end
    EXPECT_GGUF_ERROR(tensors_at({0, 64}, 64), "outside");
    EXPECT_GGUF_ERROR(tensors_at({~std::uint64_t{0} - 31}, 64), "outside");  // offset + size wraps
    EXPECT_GGUF_ERROR(tensors_at({0, 0}, 64), "overlaps");
    EXPECT_GGUF_ERROR(tensors_at({32, 0, 32}, 96), "overlaps");
    EXPECT_GGUF_ERROR(tensors_at({16}, 64), "not a multiple of the alignment");
    // The data section itself must exist.
    EXPECT_GGUF_ERROR(RawGguf().header(1, 0).tensor("t", {8}, 0, 0).bytes, "starts past the end");
}

TEST(GgufMalformed, TensorShapesAndTypes) {
    EXPECT_GGUF_ERROR(tensors_at({0}, 64, 4), "unknown tensor type id 4");
    EXPECT_GGUF_ERROR(tensors_at({0}, 64, 1234), "unknown tensor type id 1234");
    EXPECT_GGUF_ERROR(tensors_at({0}, 64, 0, {0}), "dimension 0 is 0");
    EXPECT_GGUF_ERROR(tensors_at({0}, 64, 0, {1, 1, 1, 1, 1}), "5 dimensions");
    EXPECT_GGUF_ERROR(tensors_at({0}, 64, 0, {}), "0 dimensions");
    EXPECT_GGUF_ERROR(tensors_at({0}, 64, 0, {std::uint64_t{1} << 32, std::uint64_t{1} << 32}), "overflows");
    EXPECT_GGUF_ERROR(tensors_at({0}, 64, 0, {std::uint64_t{1} << 63}), "dimension 0 is");
    EXPECT_GGUF_ERROR(tensors_at({0}, 64, 12, {100}), "not a multiple of the Q4_K block size 256");
    // Byte size overflow with a legal element count: 2^61 F64 elements = 2^64 bytes.
    EXPECT_GGUF_ERROR(tensors_at({0}, 64, 28, {std::uint64_t{1} << 61}), "byte size overflows");
    // Rows of Q8_0 that fit the element count but not the file.
    EXPECT_GGUF_ERROR(tensors_at({0}, 64, 8, {32, 1000}), "outside");
}

TEST(GgufMalformed, TensorNames) {
    RawGguf dup;
    dup.header(2, 0).tensor("same", {8}, 0, 0).tensor("same", {8}, 0, 32).pad_to(32).zeros(64);
    EXPECT_GGUF_ERROR(dup.bytes, "duplicate tensor 'same'");
    RawGguf bad;
    bad.header(1, 0).tensor("w\xC0\xAF", {8}, 0, 0).pad_to(32).zeros(32);
    EXPECT_GGUF_ERROR(bad.bytes, "not valid UTF-8");
    RawGguf empty;
    empty.header(1, 0).tensor("", {8}, 0, 0).pad_to(32).zeros(32);
    EXPECT_GGUF_ERROR(empty.bytes, "tensor 0 has an empty name");
}

TEST(GgufMalformed, TensorNameLengthLimitOfTheSpecification) {
    // The specification: a tensor name is at most 64 bytes long.
    const std::string at_limit(64, 'n'), over(65, 'n');
    RawGguf ok;
    ok.header(1, 0).tensor(at_limit, {8}, 0, 0).pad_to(32).zeros(32);
    EXPECT_EQ(parse_error(ok.bytes), "");
    RawGguf bad;
    bad.header(1, 0).tensor(over, {8}, 0, 0).pad_to(32).zeros(32);
    EXPECT_GGUF_ERROR(bad.bytes,
                      "tensor '" + over + "': name is 65 bytes long; the GGUF specification allows at most 64");
}

TEST(GgufMalformed, DeclaredTypesOfStandardGeneralKeys) {
    GgufWriter w;
    w.set("general.name", std::uint32_t{7});
    EXPECT_GGUF_ERROR(w.to_bytes(), "key general.name is declared string by the GGUF specification but is u32");
    GgufWriter ft;
    ft.set("general.file_type", std::int32_t{15});
    EXPECT_GGUF_ERROR(ft.to_bytes(), "key general.file_type is declared u32 by the GGUF specification but is i32");
    GgufWriter al;
    al.set("general.alignment", std::uint64_t{64});
    EXPECT_GGUF_ERROR(al.to_bytes(), "key general.alignment is declared u32 by the GGUF specification but is u64");
    GgufWriter tags;
    tags.set_array("general.tags", std::vector<std::uint32_t>{1, 2});
    EXPECT_GGUF_ERROR(tags.to_bytes(),
                      "key general.tags is declared array of string by the GGUF specification but is array of u32");
    GgufWriter base;
    base.set("general.base_model.0.name", 1.5f);
    EXPECT_GGUF_ERROR(base.to_bytes(),
                      "key general.base_model.0.name is declared string by the GGUF specification but is f32");
    // Keys the specification does not standardize take any type.
    GgufWriter free;
    free.set("general.base_model.0.parameters", std::uint64_t{7});
    free.set("general.some_tool_key", 1.5f);
    free.set("general.name", "named");
    free.set_array("general.tags", std::vector<std::string>{"a"});
    free.set("general.file_type", std::uint32_t{15});
    EXPECT_EQ(parse_error(free.to_bytes()), "");
}

TEST(GgufMalformed, ErrorsNameTheOffset) {
    // Unknown type id of the second tensor: the message points at that field.
    RawGguf r;
    r.header(2, 0).tensor("a", {8}, 0, 0);
    const std::size_t second = r.bytes.size();
    r.tensor("b", {8}, 77, 32).pad_to(32).zeros(64);
    const std::string msg = parse_error(r.bytes);
    const std::size_t type_field = second + 8 + 1 + 4 + 8;
    EXPECT_NE(msg.find("offset " + std::to_string(type_field) + ":"), std::string::npos) << msg;
    EXPECT_NE(msg.find("tensor 'b'"), std::string::npos) << msg;
}

}  // namespace
}  // namespace ponder
