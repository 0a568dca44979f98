// path_text.h: file names as text. Ponder's strings are UTF-8 everywhere; a std::filesystem::path
// made from (or turned into) a plain std::string on Windows goes through the ANSI code page or the
// C locale instead, which mangles names such as 模型/小模型.gguf. Convert with these at the seams.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace ponder {

inline std::filesystem::path path_from_utf8(std::string_view text) {
    return std::filesystem::path(std::u8string(text.begin(), text.end()));
}

inline std::string path_to_utf8(const std::filesystem::path& path) {
    const std::u8string text = path.u8string();
    return std::string(text.begin(), text.end());
}

}  // namespace ponder
