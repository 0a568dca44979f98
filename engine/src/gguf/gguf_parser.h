// gguf_parser.h: internal: parses one GGUF image (header, metadata, tensor directory) with
// bounds and overflow checks on every read. Used by GgufFile; not part of the module API.
#pragma once

#include "gguf/gguf_file.h"
#include "util/error.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ponder {

struct ParsedPart {
    std::uint32_t version = 0;
    std::uint64_t alignment = 32;
    std::uint64_t data_offset = 0;  // start of the tensor data section
    std::vector<GgufKeyValue> metadata;
    std::vector<GgufTensor> tensors;  // data pointers set, offsets validated
};

class GgufParser {
public:
    // `name` is used in error messages (usually the file path).
    GgufParser(std::span<const std::uint8_t> bytes, std::string name);
    ParsedPart parse(int part_index);

private:
    [[noreturn]] void error(std::uint64_t offset, const char* fmt, ...) const PONDER_PRINTF(3, 4);
    void need(std::uint64_t n, const char* what) const;
    std::uint8_t u8();
    std::uint32_t u32();
    std::uint64_t u64();
    std::string_view string(const char* what);
    GgufValue value(GgufType type, std::string_view key, int depth);
    GgufValue array(std::string_view key, int depth);
    GgufType value_type(std::string_view key);

    std::span<const std::uint8_t> m_bytes;
    std::string m_name;
    std::uint64_t m_pos = 0;
};

}  // namespace ponder
