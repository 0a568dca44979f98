// test_split.cpp: "-0000k-of-0000N" models open as one model with tensors from every part.
#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <cstring>

namespace ponder {
namespace {

void write_parts(const test::TempDir& dir, int count, std::uint32_t declared_tensors, bool duplicate = false) {
    for (int i = 1; i <= count; ++i) {
        GgufWriter w;
        if (i == 1) {
            w.set("general.architecture", "llama");
            w.set("split.count", static_cast<std::uint16_t>(count));
            w.set("split.tensors.count", static_cast<std::int32_t>(declared_tensors));
        }
        w.set("split.no", static_cast<std::uint16_t>(i - 1));
        const std::string name = duplicate ? "blk.0.w" : "blk." + std::to_string(i) + ".w";
        w.add_tensor(name, DType::F32, {4}, std::vector<float>(4, static_cast<float>(i)));
        w.write_file(split_path(dir / "model.gguf", i, count));
    }
}

TEST(GgufSplit, ParsesNames) {
    const auto s = parse_split_name("/m/DeepSeek-R1-Q4_K_M-00002-of-00005.gguf");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->index, 2);
    EXPECT_EQ(s->count, 5);
    EXPECT_FALSE(parse_split_name("model.gguf"));
    EXPECT_FALSE(parse_split_name("m-00006-of-00005.gguf"));
    EXPECT_FALSE(parse_split_name("m-0000a-of-00005.gguf"));
    EXPECT_FALSE(parse_split_name("m-00001-of-00005.bin"));
    EXPECT_EQ(split_path("/m/x-00002-of-00003.gguf", 3, 3), std::filesystem::path("/m/x-00003-of-00003.gguf"));
    EXPECT_EQ(split_path("/m/x.gguf", 1, 2), std::filesystem::path("/m/x-00001-of-00002.gguf"));
}

TEST(GgufSplit, OpensAllPartsAsOneModel) {
    test::TempDir dir;
    write_parts(dir, 3, 3);
    for (int start : {1, 2}) {  // opening any part opens the whole model
        const GgufFile f = GgufFile::open(split_path(dir / "model.gguf", start, 3));
        EXPECT_EQ(f.split_count(), 3);
        EXPECT_EQ(f.path().filename(), "model-00001-of-00003.gguf");
        ASSERT_EQ(f.tensors().size(), 3u);
        EXPECT_EQ(f.get_string("general.architecture"), "llama");
        const GgufTensor& t3 = f.require_tensor("blk.3.w");
        EXPECT_EQ(t3.part, 2);
        float v;
        std::memcpy(&v, t3.data, 4);
        EXPECT_EQ(v, 3.0f);  // data comes from the third file's mapping
        std::uint64_t total = 0;
        for (int i = 1; i <= 3; ++i) total += std::filesystem::file_size(split_path(dir / "model.gguf", i, 3));
        EXPECT_EQ(f.file_bytes(), total);
    }
}

TEST(GgufSplit, MissingPartOrInconsistentCounts) {
    {
        test::TempDir dir;
        write_parts(dir, 3, 3);
        std::filesystem::remove(split_path(dir / "model.gguf", 3, 3));
        try {
            GgufFile::open(split_path(dir / "model.gguf", 1, 3));
            FAIL() << "opened a split model with a missing part";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("part 3 of 3 is missing"), std::string::npos) << e.what();
        }
    }
    {
        test::TempDir dir;
        write_parts(dir, 2, 5);
        EXPECT_THROW(GgufFile::open(split_path(dir / "model.gguf", 1, 2)), Error);
    }
    {
        test::TempDir dir;
        write_parts(dir, 2, 2, /*duplicate=*/true);
        EXPECT_THROW(GgufFile::open(split_path(dir / "model.gguf", 1, 2)), Error);
    }
}

}  // namespace
}  // namespace ponder
