// types.h: the ggml weight type ids (DType), their block geometry, and name <-> type parsing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ponder {

// Values are the ggml type ids stored in GGUF tensor infos; never renumber.
enum class DType : std::uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    IQ1_M = 29,
    BF16 = 30,
    TQ1_0 = 34,
    TQ2_0 = 35,
    MXFP4 = 39,
};

struct TypeInfo {
    DType type;
    std::string_view name;     // "Q4_K", as llama.cpp prints it
    std::int64_t block_elems;  // elements per block (1 for plain types)
    std::size_t block_bytes;   // bytes per block
    bool dequantizable;        // dequantize_row() supports it
    bool quantizable;          // quantize_row() supports it
};

// Info for a raw id read from a file; nullptr for ids this build does not know (the GGUF reader
// rejects such tensors with an error naming the id).
const TypeInfo* find_type_info(std::uint32_t raw_type);

// Info for a known type. Throws ponder::Error for an id outside the enum.
const TypeInfo& type_info(DType type);

std::string_view to_string(DType type);  // "Q4_K"; "?" for unknown ids

// Case-insensitive: "Q4_K", "q4_k", "bf16", "f32". nullopt when unknown.
std::optional<DType> parse_dtype(std::string_view name);

// Bytes of a row of n elements, or nullopt when n < 0, n is not a multiple of the block size,
// or the result would overflow.
std::optional<std::uint64_t> checked_row_bytes(DType type, std::int64_t n);

// Same, but throws ponder::Error (naming the type and n) instead of returning nullopt.
std::uint64_t row_bytes(DType type, std::int64_t n);

}  // namespace ponder
