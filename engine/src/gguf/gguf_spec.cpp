// gguf_spec.cpp: the standardized general.* keys and their declared types, as listed in the GGUF
// specification (ggml docs/gguf.md, "Standardized key-value pairs" > "General").
#include "gguf/gguf_spec.h"

#include <array>
#include <cctype>
#include <utility>

namespace ponder::gguf_spec {

namespace {

constexpr DeclaredType kString{GgufType::String, GgufType::String};
constexpr DeclaredType kU32{GgufType::U32, GgufType::U32};
constexpr DeclaredType kStrings{GgufType::Array, GgufType::String};

constexpr std::array<std::pair<std::string_view, DeclaredType>, 29> kGeneral = {{
    // Required
    {"general.architecture", kString},
    {"general.quantization_version", kU32},
    {"general.alignment", kU32},
    // General metadata
    {"general.name", kString},
    {"general.author", kString},
    {"general.version", kString},
    {"general.organization", kString},
    {"general.basename", kString},
    {"general.finetune", kString},
    {"general.description", kString},
    {"general.quantized_by", kString},
    {"general.size_label", kString},
    {"general.license", kString},
    {"general.license.name", kString},
    {"general.license.link", kString},
    {"general.url", kString},
    {"general.doi", kString},
    {"general.uuid", kString},
    {"general.repo_url", kString},
    {"general.tags", kStrings},
    {"general.languages", kStrings},
    {"general.datasets", kStrings},
    {"general.file_type", kU32},
    // Source metadata
    {"general.source.url", kString},
    {"general.source.doi", kString},
    {"general.source.uuid", kString},
    {"general.source.repo_url", kString},
    {"general.source.huggingface.repository", kString},
    {"general.base_model.count", kU32},
}};

// general.base_model.{id}.{field}: the same string fields for each base model.
constexpr std::array<std::string_view, 8> kBaseModelFields = {"name", "author", "version", "organization",
                                                              "url",  "doi",    "uuid",    "repo_url"};

std::optional<DeclaredType> base_model_field(std::string_view key) {
    constexpr std::string_view prefix = "general.base_model.";
    if (!key.starts_with(prefix)) return std::nullopt;
    key.remove_prefix(prefix.size());
    std::size_t digits = 0;
    while (digits < key.size() && std::isdigit(static_cast<unsigned char>(key[digits]))) ++digits;
    if (digits == 0 || digits >= key.size() || key[digits] != '.') return std::nullopt;
    const std::string_view field = key.substr(digits + 1);
    for (std::string_view f : kBaseModelFields)
        if (f == field) return kString;
    return std::nullopt;
}

}  // namespace

std::optional<DeclaredType> declared_type(std::string_view key) {
    if (!key.starts_with("general.")) return std::nullopt;
    for (const auto& [name, type] : kGeneral)
        if (name == key) return type;
    return base_model_field(key);
}

std::string describe(const DeclaredType& t) {
    if (t.type != GgufType::Array) return std::string(to_string(t.type));
    return "array of " + std::string(to_string(t.element));
}

bool matches(const DeclaredType& t, const GgufValue& value) {
    if (value.type() != t.type) return false;
    return t.type != GgufType::Array || value.element_type() == t.element;
}

}  // namespace ponder::gguf_spec
