// gguf_spec.h: limits the GGUF specification states for every file, beyond what parsing needs:
// the longest tensor name and the declared types of the standardized general.* keys. The parser
// enforces them; kept apart so the list reads like the specification's own.
#pragma once

#include "gguf/gguf_file.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ponder::gguf_spec {

// "name: ... a standard GGUF string, with the caveat that it must be at most 64 bytes long."
constexpr std::uint64_t kMaxTensorNameBytes = 64;
// "key: ... must be at most 2^16-1 bytes long."
constexpr std::uint64_t kMaxKeyBytes = 65535;

// The declared type of a standardized key: a scalar type, or Array with its element type.
struct DeclaredType {
    GgufType type = GgufType::String;
    GgufType element = GgufType::String;  // meaningful when type == Array
};

// The type the specification declares for `key` (general.architecture, general.alignment,
// general.file_type, general.tags, general.base_model.N.name, ...); nullopt for any other key.
std::optional<DeclaredType> declared_type(std::string_view key);

// "u32", "string", "array of string".
std::string describe(const DeclaredType& t);
// Whether `value` has exactly the declared type (element type included for arrays).
bool matches(const DeclaredType& t, const GgufValue& value);

}  // namespace ponder::gguf_spec
