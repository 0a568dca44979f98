// c_file.cpp: open_c_file (see c_file.h).
#include "util/c_file.h"

#include <string>

namespace ponder {

CFile open_c_file(const std::filesystem::path& path, const char* mode) {
#if defined(_WIN32)
    const std::wstring wide_mode(mode, mode + std::char_traits<char>::length(mode));
    return CFile(_wfopen(path.c_str(), wide_mode.c_str()));
#else
    return CFile(std::fopen(path.c_str(), mode));
#endif
}

}  // namespace ponder
