// c_file.h: std::fopen for a std::filesystem::path on every platform. On Windows a path is UTF-16
// and plain fopen takes the ANSI code page, which cannot name most non-English files: _wfopen it is.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>

namespace ponder {

struct CFileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using CFile = std::unique_ptr<std::FILE, CFileCloser>;

// Opens `path` with an fopen mode ("rb", "wb"); empty on failure (errno says why).
CFile open_c_file(const std::filesystem::path& path, const char* mode);

}  // namespace ponder
