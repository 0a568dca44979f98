// mapped_file_test.cpp: mapping contents, empty files and clear errors for missing paths.
#include "util/mapped_file.h"
#include "support/temp_dir.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace ponder;

TEST(MappedFile, MapsWholeFileContents) {
    test::TempDir dir;
    { std::ofstream(dir / "f.bin", std::ios::binary) << "hello mapping"; }
    MappedFile file(dir / "f.bin");
    ASSERT_EQ(file.size(), 13u);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(file.data()), file.size()), "hello mapping");
}

TEST(MappedFile, EmptyFileIsAnEmptySpan) {
    test::TempDir dir;
    { std::ofstream(dir / "empty.bin"); }
    MappedFile file(dir / "empty.bin");
    EXPECT_EQ(file.size(), 0u);
}

TEST(MappedFile, MissingFileThrowsWithThePath) {
    try {
        MappedFile file("/nonexistent/ponder/model.gguf");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/ponder/model.gguf"), std::string::npos);
    }
}

TEST(MappedFile, DirectoryIsRejected) {
    test::TempDir dir;
    EXPECT_THROW(MappedFile{dir.path()}, Error);
}
