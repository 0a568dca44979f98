// model_info.h: model facts from a parsed GGUF (backs ponder::inspect_model and `ponder-cli inspect`).
#pragma once

#include "gguf/gguf_file.h"

#include <ponder/engine.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace ponder {

// ModelInfo of an already-open file (inspect_model() = open + this).
ModelInfo model_info(const GgufFile& file);

bool is_supported_architecture(std::string_view arch);

// llama.cpp file types (general.file_type, the llama-quantize preset): 15 <-> "Q4_K_M".
// Empty / nullopt for unknown values; parsing is case-insensitive.
std::string_view file_type_name(std::uint32_t ftype);
std::optional<std::uint32_t> parse_file_type(std::string_view name);

// Quantization mix: per tensor type, how many tensors, bytes and parameters; most bytes first.
struct TypeUsage {
    DType type = DType::F32;
    std::uint64_t count = 0;
    std::uint64_t bytes = 0;
    std::uint64_t parameters = 0;
};
std::vector<TypeUsage> type_usage(const GgufFile& file);

}  // namespace ponder
