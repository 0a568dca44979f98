// testdata.cpp: locating and reading the shared reference data.
#include "support/testdata.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ponder::test {

std::optional<std::filesystem::path> testdata_dir() {
    std::filesystem::path dir = PONDER_TESTDATA_DIR;
    if (const char* env = std::getenv("PONDER_TESTDATA_DIR"); env && *env) dir = env;
    std::error_code ec;
    if (!std::filesystem::exists(dir / "README.md", ec)) return std::nullopt;
    return dir;
}

std::filesystem::path testdata_path(const std::string& relative) {
    auto dir = testdata_dir();
    return dir ? *dir / relative : std::filesystem::path{};
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<float> read_f32_file(const std::filesystem::path& path) {
    const std::string bytes = read_file(path);
    std::vector<float> out(bytes.size() / sizeof(float));
    std::memcpy(out.data(), bytes.data(), out.size() * sizeof(float));
    return out;
}

}  // namespace ponder::test
