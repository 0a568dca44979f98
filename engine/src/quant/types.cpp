// types.cpp: the table of ggml weight types and the checked row-size arithmetic.
#include "quant/types.h"

#include "util/error.h"

#include <array>
#include <cctype>

namespace ponder {

namespace {

// name, elements/block, bytes/block, dequantizable, quantizable
constexpr std::array kTypes = {
    TypeInfo{DType::F32, "F32", 1, 4, true, true},
    TypeInfo{DType::F16, "F16", 1, 2, true, true},
    TypeInfo{DType::Q4_0, "Q4_0", 32, 18, true, true},
    TypeInfo{DType::Q4_1, "Q4_1", 32, 20, true, true},
    TypeInfo{DType::Q5_0, "Q5_0", 32, 22, true, true},
    TypeInfo{DType::Q5_1, "Q5_1", 32, 24, true, true},
    TypeInfo{DType::Q8_0, "Q8_0", 32, 34, true, true},
    TypeInfo{DType::Q8_1, "Q8_1", 32, 36, true, false},
    TypeInfo{DType::Q2_K, "Q2_K", 256, 84, true, false},
    TypeInfo{DType::Q3_K, "Q3_K", 256, 110, true, false},
    TypeInfo{DType::Q4_K, "Q4_K", 256, 144, true, true},
    TypeInfo{DType::Q5_K, "Q5_K", 256, 176, true, true},
    TypeInfo{DType::Q6_K, "Q6_K", 256, 210, true, true},
    TypeInfo{DType::Q8_K, "Q8_K", 256, 292, true, true},
    TypeInfo{DType::IQ2_XXS, "IQ2_XXS", 256, 66, false, false},
    TypeInfo{DType::IQ2_XS, "IQ2_XS", 256, 74, false, false},
    TypeInfo{DType::IQ3_XXS, "IQ3_XXS", 256, 98, false, false},
    TypeInfo{DType::IQ1_S, "IQ1_S", 256, 50, false, false},
    TypeInfo{DType::IQ4_NL, "IQ4_NL", 32, 18, true, true},
    TypeInfo{DType::IQ3_S, "IQ3_S", 256, 110, false, false},
    TypeInfo{DType::IQ2_S, "IQ2_S", 256, 82, false, false},
    TypeInfo{DType::IQ4_XS, "IQ4_XS", 256, 136, true, false},
    TypeInfo{DType::I8, "I8", 1, 1, false, false},
    TypeInfo{DType::I16, "I16", 1, 2, false, false},
    TypeInfo{DType::I32, "I32", 1, 4, false, false},
    TypeInfo{DType::I64, "I64", 1, 8, false, false},
    TypeInfo{DType::F64, "F64", 1, 8, false, false},
    TypeInfo{DType::IQ1_M, "IQ1_M", 256, 56, false, false},
    TypeInfo{DType::BF16, "BF16", 1, 2, true, true},
    TypeInfo{DType::TQ1_0, "TQ1_0", 256, 54, false, false},
    TypeInfo{DType::TQ2_0, "TQ2_0", 256, 66, false, false},
    TypeInfo{DType::MXFP4, "MXFP4", 32, 17, false, false},
};

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

}  // namespace

const TypeInfo* find_type_info(std::uint32_t raw_type) {
    for (const TypeInfo& t : kTypes) {
        if (static_cast<std::uint32_t>(t.type) == raw_type) return &t;
    }
    return nullptr;
}

const TypeInfo& type_info(DType type) {
    const TypeInfo* t = find_type_info(static_cast<std::uint32_t>(type));
    if (!t) fail("unknown tensor type id %u", static_cast<unsigned>(type));
    return *t;
}

std::string_view to_string(DType type) {
    const TypeInfo* t = find_type_info(static_cast<std::uint32_t>(type));
    return t ? t->name : std::string_view("?");
}

std::optional<DType> parse_dtype(std::string_view name) {
    for (const TypeInfo& t : kTypes) {
        if (iequals(t.name, name)) return t.type;
    }
    return std::nullopt;
}

std::optional<std::uint64_t> checked_row_bytes(DType type, std::int64_t n) {
    const TypeInfo* t = find_type_info(static_cast<std::uint32_t>(type));
    if (!t || n < 0 || n % t->block_elems != 0) return std::nullopt;
    const std::uint64_t blocks = static_cast<std::uint64_t>(n / t->block_elems);
    std::uint64_t bytes = 0;
    if (__builtin_mul_overflow(blocks, static_cast<std::uint64_t>(t->block_bytes), &bytes)) return std::nullopt;
    return bytes;
}

std::uint64_t row_bytes(DType type, std::int64_t n) {
    const auto bytes = checked_row_bytes(type, n);
    if (!bytes) {
        const TypeInfo* t = find_type_info(static_cast<std::uint32_t>(type));
        if (!t) fail("unknown tensor type id %u", static_cast<unsigned>(type));
        fail("%s: a row of %lld elements is not a whole number of %lld-element blocks (or too large)",
             std::string(t->name).c_str(), static_cast<long long>(n), static_cast<long long>(t->block_elems));
    }
    return *bytes;
}

}  // namespace ponder
