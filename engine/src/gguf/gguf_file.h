// gguf_file.h: read-only, memory-mapped view of a GGUF model (v2/v3, single or split files).
// Everything returned (strings, arrays, tensor data) points into the mapping: no copies. The
// parser validates every count, length, offset and shape against the file with overflow-safe
// arithmetic; a bad file throws ponder::Error naming the file, the byte offset and the problem.
#pragma once

#include "quant/types.h"
#include "util/mapped_file.h"

#include <ponder/engine.h>  // ponder::Error, thrown by everything here

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ponder {

// GGUF metadata value type ids (as stored in the file).
enum class GgufType : std::uint32_t {
    U8 = 0,
    I8 = 1,
    U16 = 2,
    I16 = 3,
    U32 = 4,
    I32 = 5,
    F32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    U64 = 10,
    I64 = 11,
    F64 = 12,
};
std::string_view to_string(GgufType type);  // "u32", "string", "array", ...
std::size_t scalar_size(GgufType type);     // bytes of a numeric/bool value; 0 for String/Array/unknown

// One metadata value (a view into the mapping, valid while its GgufFile lives).
class GgufValue {
public:
    GgufType type() const { return m_type; }
    bool is_integer() const;  // U8..I64 (not Bool)
    bool is_float() const { return m_type == GgufType::F32 || m_type == GgufType::F64; }
    bool is_array() const { return m_type == GgufType::Array; }

    // Scalars. Integer accessors succeed for any integer type whose value fits the target
    // (e.g. an I32 of 7 reads as u32); nullopt on a type mismatch or out-of-range value.
    std::optional<std::uint64_t> as_u64() const;
    std::optional<std::int64_t> as_i64() const;
    std::optional<double> as_f64() const;               // F32, F64, or any integer
    std::optional<bool> as_bool() const;                // Bool only
    std::optional<std::string_view> as_string() const;  // String only (bytes as stored)

    // Arrays. element_type() is the declared element type (Array for nested arrays).
    GgufType element_type() const { return m_elem_type; }
    std::uint64_t size() const { return m_count; }  // element count (0 for scalars)
    // Numeric/bool arrays: the raw little-endian element bytes, element_size() bytes each.
    std::span<const std::uint8_t> raw_elements() const { return m_raw; }
    std::size_t element_size() const;
    // String arrays: one view per element. Empty span for other arrays.
    std::span<const std::string_view> strings() const { return m_strings; }
    // Arrays of arrays: the nested values. Empty span for other arrays.
    std::span<const GgufValue> items() const { return m_items; }
    // Element i of a numeric array converted like the scalar accessors (nullopt when out of
    // range or not convertible).
    std::optional<std::int64_t> i64_at(std::uint64_t i) const;
    std::optional<double> f64_at(std::uint64_t i) const;

private:
    friend class GgufParser;
    GgufType m_type = GgufType::U8;
    std::uint64_t m_bits = 0;  // scalar payload (little-endian bytes, zero-extended)
    std::string_view m_str;    // String
    GgufType m_elem_type = GgufType::U8;
    std::uint64_t m_count = 0;
    std::span<const std::uint8_t> m_raw;
    std::vector<std::string_view> m_strings;
    std::vector<GgufValue> m_items;
};

struct GgufKeyValue {
    std::string_view key;
    GgufValue value;
    std::uint64_t offset = 0;  // byte offset of the key in its file (for messages)
};

struct GgufTensor {
    std::string_view name;
    DType type = DType::F32;
    int n_dims = 0;
    std::array<std::int64_t, 4> ne{1, 1, 1, 1};  // ggml order: ne[0] = row length
    std::uint64_t n_elements = 0;
    std::uint64_t n_bytes = 0;
    std::uint64_t offset = 0;            // relative to its part's data section
    std::uint64_t file_offset = 0;       // absolute offset in its part's file
    int part = 0;                        // split index (0 for single-file models)
    const std::uint8_t* data = nullptr;  // into the mapping

    std::int64_t row_length() const { return ne[0]; }
    std::int64_t n_rows() const { return ne[1] * ne[2] * ne[3]; }
    std::span<const std::int64_t> shape() const { return {ne.data(), static_cast<std::size_t>(n_dims)}; }
    std::span<const std::uint8_t> bytes() const { return {data, static_cast<std::size_t>(n_bytes)}; }
};

class GgufFile {
public:
    // Maps and parses `path`. A name like "x-00001-of-00003.gguf" (or a file with split.count > 1)
    // also opens the other parts next to it; their tensors join one directory. Throws Error.
    static GgufFile open(const std::filesystem::path& path);
    // Parses an in-memory image (tests, fuzzing). `bytes` must outlive the GgufFile.
    static GgufFile from_memory(std::span<const std::uint8_t> bytes, std::string name = "<memory>");

    GgufFile(GgufFile&&) noexcept;
    GgufFile& operator=(GgufFile&&) noexcept;
    ~GgufFile();

    const std::filesystem::path& path() const;  // the first part
    std::uint32_t version() const;
    std::uint64_t alignment() const;  // general.alignment, default 32
    int split_count() const;
    std::uint64_t file_bytes() const;  // all parts together

    // Metadata of the first part in file order (split parts' own split.* keys are not merged).
    std::span<const GgufKeyValue> metadata() const;
    const GgufValue* find(std::string_view key) const;  // nullptr when absent
    bool has(std::string_view key) const { return find(key) != nullptr; }

    // Typed lookups. The optional forms return nullopt when the key is absent and throw Error
    // (naming the key and both types) when it is present with an incompatible type or value;
    // the fallback forms return `fallback` when absent (and throw likewise).
    std::optional<std::string_view> get_string(std::string_view key) const;
    std::string_view get_string(std::string_view key, std::string_view fallback) const;
    std::optional<std::uint32_t> get_u32(std::string_view key) const;
    std::uint32_t get_u32(std::string_view key, std::uint32_t fallback) const;
    std::optional<std::int32_t> get_i32(std::string_view key) const;
    std::int32_t get_i32(std::string_view key, std::int32_t fallback) const;
    std::optional<std::uint64_t> get_u64(std::string_view key) const;
    std::optional<float> get_f32(std::string_view key) const;  // F32, F64 or integer
    float get_f32(std::string_view key, float fallback) const;
    std::optional<bool> get_bool(std::string_view key) const;
    bool get_bool(std::string_view key, bool fallback) const;
    // Absent key -> Error "missing key".
    std::string_view require_string(std::string_view key) const;
    std::uint32_t require_u32(std::string_view key) const;

    // Array lookups: absent key -> nullopt; not an array, or an element not convertible to T
    // -> Error. T: any integer type, float, double, bool (converted element-wise; copies).
    template <class T>
    std::optional<std::vector<T>> get_array(std::string_view key) const;
    // String arrays as views into the map (no copies); absent -> nullopt.
    std::optional<std::span<const std::string_view>> get_strings(std::string_view key) const;

    // Tensor directory in file order (part 0's tensors, then part 1's, ...).
    std::span<const GgufTensor> tensors() const;
    const GgufTensor* find_tensor(std::string_view name) const;     // nullptr when absent
    const GgufTensor& require_tensor(std::string_view name) const;  // Error naming the tensor

    // The mapped bytes of part `part` (0 for single-file models).
    std::span<const std::uint8_t> part_bytes(std::size_t part) const;
    // MappedFile::drop_resident for the mapped bytes [data, data + bytes) (e.g. one tensor's
    // data, once a backend has copied it); no-op for memory not mapped from a part.
    void drop_resident_pages(const void* data, std::size_t bytes) const;

private:
    struct Impl;
    explicit GgufFile(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// "foo-00002-of-00005.gguf" -> {2, 5}; nullopt for other names.
struct SplitName {
    int index = 0;
    int count = 0;
};
std::optional<SplitName> parse_split_name(const std::filesystem::path& path);
// The path of part `index` (1-based) of `count`, next to `first`.
std::filesystem::path split_path(const std::filesystem::path& first, int index, int count);

}  // namespace ponder
