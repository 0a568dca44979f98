// gguf_writer.h: builds GGUF v3 files (metadata of every type, tensors of any DType), in memory
// or streamed to disk. Used by `ponder-cli synth`, by test fixtures and by other modules' tests.
//
//   GgufWriter w;
//   w.set("general.architecture", "llama");
//   w.set("llama.block_count", std::uint32_t{2});
//   w.set_array("tokenizer.ggml.tokens", std::vector<std::string>{"a", "b"});
//   w.add_tensor("blk.0.attn_q.weight", DType::F32, {cols, rows}, floats);   // copies, converts
//   w.write_file(path);   // or: std::vector<std::uint8_t> bytes = w.to_bytes();
#pragma once

#include "gguf/gguf_file.h"
#include "quant/types.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ponder {

class GgufWriter {
public:
    GgufWriter();

    // Scalars. Setting an existing key replaces its value in place (order is kept).
    void set(std::string_view key, std::uint8_t v);
    void set(std::string_view key, std::int8_t v);
    void set(std::string_view key, std::uint16_t v);
    void set(std::string_view key, std::int16_t v);
    void set(std::string_view key, std::uint32_t v);
    void set(std::string_view key, std::int32_t v);
    void set(std::string_view key, std::uint64_t v);
    void set(std::string_view key, std::int64_t v);
    void set(std::string_view key, float v);
    void set(std::string_view key, double v);
    void set(std::string_view key, bool v);
    void set(std::string_view key, std::string_view v);
    void set(std::string_view key, const char* v) { set(key, std::string_view(v)); }
    void set(std::string_view key, const std::string& v) { set(key, std::string_view(v)); }

    // Arrays.
    void set_array(std::string_view key, std::span<const std::uint8_t> v);
    void set_array(std::string_view key, std::span<const std::int8_t> v);
    void set_array(std::string_view key, std::span<const std::uint16_t> v);
    void set_array(std::string_view key, std::span<const std::int16_t> v);
    void set_array(std::string_view key, std::span<const std::uint32_t> v);
    void set_array(std::string_view key, std::span<const std::int32_t> v);
    void set_array(std::string_view key, std::span<const std::uint64_t> v);
    void set_array(std::string_view key, std::span<const std::int64_t> v);
    void set_array(std::string_view key, std::span<const float> v);
    void set_array(std::string_view key, std::span<const double> v);
    void set_array_bool(std::string_view key, std::span<const bool> v);
    void set_array(std::string_view key, std::span<const std::string> v);
    void set_array(std::string_view key, std::span<const std::string_view> v);
    // Convenience for braced lists and vectors.
    template <class T>
    void set_array(std::string_view key, const std::vector<T>& v) {
        set_array(key, std::span<const T>(v));
    }
    void set_array(std::string_view key, std::initializer_list<std::string_view> v) {
        set_array(key, std::span<const std::string_view>(v.begin(), v.size()));
    }

    // Copies a value read from another file (any type, nested arrays included).
    void set_value(std::string_view key, const GgufValue& v);
    // Copies every key of `src` that starts with `prefix` (e.g. "tokenizer.").
    void copy_metadata(const GgufFile& src, std::string_view prefix);
    // Escape hatch for tests: a value from its type id and already-encoded payload bytes.
    void set_raw(std::string_view key, GgufType type, std::span<const std::uint8_t> payload);

    bool has(std::string_view key) const;
    void remove(std::string_view key);

    // general.alignment is written when it differs from 32. Must be a power of two.
    void set_alignment(std::uint32_t alignment);
    std::uint32_t alignment() const { return m_alignment; }

    // Tensors. shape is in ggml order (shape[0] = row length), 1..4 dims; checked against the type.
    // Raw bytes (exactly row_bytes(type, shape[0]) * rows), copied.
    void add_tensor(std::string_view name, DType type, std::span<const std::int64_t> shape,
                    std::span<const std::uint8_t> data);
    // f32 values, converted/quantized row by row to `type` (any type quantize_row() supports).
    void add_tensor(std::string_view name, DType type, std::span<const std::int64_t> shape,
                    std::span<const float> values);
    void add_tensor(std::string_view name, DType type, std::initializer_list<std::int64_t> shape,
                    std::span<const float> values) {
        add_tensor(name, type, std::span<const std::int64_t>(shape.begin(), shape.size()), values);
    }
    void add_tensor(std::string_view name, DType type, std::initializer_list<std::int64_t> shape,
                    const std::vector<float>& values) {
        add_tensor(name, type, std::span<const std::int64_t>(shape.begin(), shape.size()),
                   std::span<const float>(values));
    }
    // Streamed: `fill(dst, n_bytes)` writes the tensor's bytes when the file is written (keeps
    // multi-GB synthetic models out of memory). May be called from a worker thread.
    using Fill = std::function<void(std::uint8_t* dst, std::size_t n_bytes)>;
    void add_tensor_lazy(std::string_view name, DType type, std::span<const std::int64_t> shape, Fill fill);
    // Streamed by rows: `fill(first_row, n_rows, dst)` writes rows [first_row, first_row + n_rows)
    // (row = shape[0] elements) into dst. write_file() calls it in chunks of at most ~16 MiB, so
    // memory stays small however big the tensor is.
    using RowFill = std::function<void(std::int64_t first_row, std::int64_t n_rows, std::uint8_t* dst)>;
    void add_tensor_rows(std::string_view name, DType type, std::span<const std::int64_t> shape, RowFill fill);

    std::size_t tensor_count() const { return m_tensors.size(); }
    std::uint64_t data_bytes() const;  // tensor data section size incl. padding

    std::vector<std::uint8_t> to_bytes() const;
    // Writes to `path` (via a temporary name, renamed when complete). Throws Error.
    void write_file(const std::filesystem::path& path) const;

private:
    struct Entry {
        std::string key;
        GgufType type;
        std::string payload;  // encoded value (without key and type id)
    };
    struct Tensor {
        std::string name;
        DType type;
        std::vector<std::int64_t> shape;
        std::uint64_t n_bytes = 0;
        std::uint64_t offset = 0;
        std::vector<std::uint8_t> data;  // empty when lazy
        Fill fill;
        RowFill row_fill;
        std::uint64_t row_bytes = 0;
    };
    void put(std::string_view key, GgufType type, std::string payload);
    Tensor& new_tensor(std::string_view name, DType type, std::span<const std::int64_t> shape);
    std::string header_bytes() const;

    std::vector<Entry> m_entries;
    std::vector<Tensor> m_tensors;
    std::uint32_t m_alignment = 32;
    std::uint64_t m_data_end = 0;
};

}  // namespace ponder
