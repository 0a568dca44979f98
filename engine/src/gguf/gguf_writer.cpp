// gguf_writer.cpp: GGUF v3 encoding; tensors are laid out at aligned offsets and streamed to disk.
#include "gguf/gguf_writer.h"
#include "util/path_text.h"

#include "quant/quantize.h"
#include "util/c_file.h"
#include "util/error.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

namespace ponder {

namespace {

template <class T>
void append_pod(std::string& out, T v) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out.append(buf, sizeof(T));
}

void append_string(std::string& out, std::string_view s) {
    append_pod<std::uint64_t>(out, s.size());
    out.append(s);
}

template <class T>
std::string encode_array(GgufType elem, std::span<const T> v) {
    std::string out;
    append_pod<std::uint32_t>(out, static_cast<std::uint32_t>(elem));
    append_pod<std::uint64_t>(out, v.size());
    for (const T& x : v) append_pod<T>(out, x);
    return out;
}

// Re-encodes a parsed value (payload only, without its type id).
void encode_value(std::string& out, const GgufValue& v) {
    switch (v.type()) {
    case GgufType::String: append_string(out, *v.as_string()); return;
    case GgufType::Array:
        append_pod<std::uint32_t>(out, static_cast<std::uint32_t>(v.element_type()));
        append_pod<std::uint64_t>(out, v.size());
        if (v.element_type() == GgufType::String) {
            for (std::string_view s : v.strings()) append_string(out, s);
        } else if (v.element_type() == GgufType::Array) {
            for (const GgufValue& item : v.items()) encode_value(out, item);
        } else {
            const auto raw = v.raw_elements();
            out.append(reinterpret_cast<const char*>(raw.data()), raw.size());
        }
        return;
    case GgufType::F32: append_pod<float>(out, static_cast<float>(*v.as_f64())); return;
    case GgufType::F64: append_pod<double>(out, *v.as_f64()); return;
    case GgufType::Bool: append_pod<std::uint8_t>(out, *v.as_bool() ? 1 : 0); return;
    case GgufType::U8: append_pod<std::uint8_t>(out, static_cast<std::uint8_t>(*v.as_u64())); return;
    case GgufType::U16: append_pod<std::uint16_t>(out, static_cast<std::uint16_t>(*v.as_u64())); return;
    case GgufType::U32: append_pod<std::uint32_t>(out, static_cast<std::uint32_t>(*v.as_u64())); return;
    case GgufType::U64: append_pod<std::uint64_t>(out, *v.as_u64()); return;
    case GgufType::I8: append_pod<std::int8_t>(out, static_cast<std::int8_t>(*v.as_i64())); return;
    case GgufType::I16: append_pod<std::int16_t>(out, static_cast<std::int16_t>(*v.as_i64())); return;
    case GgufType::I32: append_pod<std::int32_t>(out, static_cast<std::int32_t>(*v.as_i64())); return;
    case GgufType::I64: append_pod<std::int64_t>(out, *v.as_i64()); return;
    }
}

std::uint64_t align_up(std::uint64_t x, std::uint64_t a) { return (x + a - 1) / a * a; }

}  // namespace

GgufWriter::GgufWriter() = default;

void GgufWriter::put(std::string_view key, GgufType type, std::string payload) {
    if (key.empty()) fail("GGUF writer: empty metadata key");
    for (Entry& e : m_entries) {
        if (e.key == key) {
            e.type = type;
            e.payload = std::move(payload);
            return;
        }
    }
    m_entries.push_back(Entry{std::string(key), type, std::move(payload)});
}

#define PONDER_SCALAR_SETTER(T, TYPE)                                        \
    void GgufWriter::set(std::string_view key, T v) {                        \
        std::string p;                                                       \
        append_pod<T>(p, v);                                                 \
        put(key, GgufType::TYPE, std::move(p));                              \
    }                                                                        \
    void GgufWriter::set_array(std::string_view key, std::span<const T> v) { \
        put(key, GgufType::Array, encode_array<T>(GgufType::TYPE, v));       \
    }
PONDER_SCALAR_SETTER(std::uint8_t, U8)
PONDER_SCALAR_SETTER(std::int8_t, I8)
PONDER_SCALAR_SETTER(std::uint16_t, U16)
PONDER_SCALAR_SETTER(std::int16_t, I16)
PONDER_SCALAR_SETTER(std::uint32_t, U32)
PONDER_SCALAR_SETTER(std::int32_t, I32)
PONDER_SCALAR_SETTER(std::uint64_t, U64)
PONDER_SCALAR_SETTER(std::int64_t, I64)
PONDER_SCALAR_SETTER(float, F32)
PONDER_SCALAR_SETTER(double, F64)
#undef PONDER_SCALAR_SETTER

void GgufWriter::set(std::string_view key, bool v) {
    std::string p;
    append_pod<std::uint8_t>(p, v ? 1 : 0);
    put(key, GgufType::Bool, std::move(p));
}

void GgufWriter::set(std::string_view key, std::string_view v) {
    std::string p;
    append_string(p, v);
    put(key, GgufType::String, std::move(p));
}

void GgufWriter::set_array_bool(std::string_view key, std::span<const bool> v) {
    std::string p;
    append_pod<std::uint32_t>(p, static_cast<std::uint32_t>(GgufType::Bool));
    append_pod<std::uint64_t>(p, v.size());
    for (bool b : v) append_pod<std::uint8_t>(p, b ? 1 : 0);
    put(key, GgufType::Array, std::move(p));
}

void GgufWriter::set_array(std::string_view key, std::span<const std::string> v) {
    std::string p;
    append_pod<std::uint32_t>(p, static_cast<std::uint32_t>(GgufType::String));
    append_pod<std::uint64_t>(p, v.size());
    for (const std::string& s : v) append_string(p, s);
    put(key, GgufType::Array, std::move(p));
}

void GgufWriter::set_array(std::string_view key, std::span<const std::string_view> v) {
    std::string p;
    append_pod<std::uint32_t>(p, static_cast<std::uint32_t>(GgufType::String));
    append_pod<std::uint64_t>(p, v.size());
    for (std::string_view s : v) append_string(p, s);
    put(key, GgufType::Array, std::move(p));
}

void GgufWriter::set_value(std::string_view key, const GgufValue& v) {
    std::string p;
    encode_value(p, v);
    put(key, v.type(), std::move(p));
}

void GgufWriter::copy_metadata(const GgufFile& src, std::string_view prefix) {
    for (const GgufKeyValue& kv : src.metadata()) {
        if (kv.key.substr(0, prefix.size()) == prefix) set_value(kv.key, kv.value);
    }
}

void GgufWriter::set_raw(std::string_view key, GgufType type, std::span<const std::uint8_t> payload) {
    put(key, type, std::string(reinterpret_cast<const char*>(payload.data()), payload.size()));
}

bool GgufWriter::has(std::string_view key) const {
    for (const Entry& e : m_entries)
        if (e.key == key) return true;
    return false;
}

void GgufWriter::remove(std::string_view key) {
    std::erase_if(m_entries, [&](const Entry& e) { return e.key == key; });
}

void GgufWriter::set_alignment(std::uint32_t alignment) {
    if (alignment < 8 || (alignment & (alignment - 1)) != 0)
        fail("GGUF writer: alignment %u is not a power of two >= 8", alignment);
    if (!m_tensors.empty()) fail("GGUF writer: set the alignment before adding tensors");
    m_alignment = alignment;
    if (alignment == 32)
        remove("general.alignment");
    else
        set("general.alignment", alignment);
}

GgufWriter::Tensor& GgufWriter::new_tensor(std::string_view name, DType type, std::span<const std::int64_t> shape) {
    if (name.empty()) fail("GGUF writer: empty tensor name");
    for (const Tensor& t : m_tensors)
        if (t.name == name) fail("GGUF writer: duplicate tensor '%s'", std::string(name).c_str());
    if (shape.empty() || shape.size() > 4)
        fail("GGUF writer: tensor '%s' has %zu dimensions (1 to 4 allowed)", std::string(name).c_str(), shape.size());
    std::uint64_t rows = 1;
    for (std::size_t d = 0; d < shape.size(); ++d) {
        if (shape[d] <= 0)
            fail("GGUF writer: tensor '%s' dimension %zu is %lld", std::string(name).c_str(), d,
                 static_cast<long long>(shape[d]));
        if (d > 0 && __builtin_mul_overflow(rows, static_cast<std::uint64_t>(shape[d]), &rows))
            fail("GGUF writer: tensor '%s' is too large", std::string(name).c_str());
    }
    const auto rb = checked_row_bytes(type, shape[0]);
    if (!rb)
        fail("GGUF writer: tensor '%s': row length %lld does not suit type %s", std::string(name).c_str(),
             static_cast<long long>(shape[0]), std::string(to_string(type)).c_str());
    Tensor t;
    t.name = std::string(name);
    t.type = type;
    t.shape.assign(shape.begin(), shape.end());
    if (__builtin_mul_overflow(*rb, rows, &t.n_bytes)) fail("GGUF writer: tensor '%s' is too large", t.name.c_str());
    t.offset = align_up(m_data_end, m_alignment);
    m_data_end = t.offset + t.n_bytes;
    m_tensors.push_back(std::move(t));
    return m_tensors.back();
}

void GgufWriter::add_tensor(std::string_view name, DType type, std::span<const std::int64_t> shape,
                            std::span<const std::uint8_t> data) {
    Tensor& t = new_tensor(name, type, shape);
    if (data.size() != t.n_bytes) {
        const std::uint64_t expected = t.n_bytes;
        m_data_end = t.offset;  // undo
        m_tensors.pop_back();
        fail("GGUF writer: tensor '%s' needs %llu bytes, got %zu", std::string(name).c_str(),
             static_cast<unsigned long long>(expected), data.size());
    }
    t.data.assign(data.begin(), data.end());
}

void GgufWriter::add_tensor(std::string_view name, DType type, std::span<const std::int64_t> shape,
                            std::span<const float> values) {
    Tensor& t = new_tensor(name, type, shape);
    const std::uint64_t n_elements =
        t.n_bytes / type_info(type).block_bytes * static_cast<std::uint64_t>(type_info(type).block_elems);
    if (values.size() != n_elements || !type_info(type).quantizable) {
        const bool quantizable = type_info(type).quantizable;
        m_data_end = t.offset;
        m_tensors.pop_back();
        if (!quantizable) fail("GGUF writer: cannot convert f32 values to %s", std::string(to_string(type)).c_str());
        fail("GGUF writer: tensor '%s' needs %llu values, got %zu", std::string(name).c_str(),
             static_cast<unsigned long long>(n_elements), values.size());
    }
    t.data.resize(static_cast<std::size_t>(t.n_bytes));
    const std::int64_t row = t.shape[0];
    const std::size_t rb = static_cast<std::size_t>(row_bytes(type, row));
    for (std::size_t r = 0; r * static_cast<std::size_t>(row) < values.size(); ++r)
        quantize_row(type, values.data() + r * static_cast<std::size_t>(row), t.data.data() + r * rb, row);
}

void GgufWriter::add_tensor_lazy(std::string_view name, DType type, std::span<const std::int64_t> shape, Fill fill) {
    if (!fill) fail("GGUF writer: tensor '%s' has no fill function", std::string(name).c_str());
    Tensor& t = new_tensor(name, type, shape);
    t.fill = std::move(fill);
}

void GgufWriter::add_tensor_rows(std::string_view name, DType type, std::span<const std::int64_t> shape, RowFill fill) {
    if (!fill) fail("GGUF writer: tensor '%s' has no fill function", std::string(name).c_str());
    Tensor& t = new_tensor(name, type, shape);
    t.row_bytes = ponder::row_bytes(type, t.shape[0]);
    t.row_fill = std::move(fill);
}

std::uint64_t GgufWriter::data_bytes() const { return align_up(m_data_end, m_alignment); }

std::string GgufWriter::header_bytes() const {
    std::string out;
    out.append("GGUF", 4);
    append_pod<std::uint32_t>(out, 3);
    append_pod<std::uint64_t>(out, m_tensors.size());
    append_pod<std::uint64_t>(out, m_entries.size());
    for (const Entry& e : m_entries) {
        append_string(out, e.key);
        append_pod<std::uint32_t>(out, static_cast<std::uint32_t>(e.type));
        out += e.payload;
    }
    for (const Tensor& t : m_tensors) {
        append_string(out, t.name);
        append_pod<std::uint32_t>(out, static_cast<std::uint32_t>(t.shape.size()));
        for (std::int64_t d : t.shape) append_pod<std::uint64_t>(out, static_cast<std::uint64_t>(d));
        append_pod<std::uint32_t>(out, static_cast<std::uint32_t>(t.type));
        append_pod<std::uint64_t>(out, t.offset);
    }
    out.resize(static_cast<std::size_t>(align_up(out.size(), m_alignment)), '\0');
    return out;
}

std::vector<std::uint8_t> GgufWriter::to_bytes() const {
    const std::string header = header_bytes();
    std::vector<std::uint8_t> out(header.size() + static_cast<std::size_t>(m_tensors.empty() ? 0 : data_bytes()), 0);
    std::memcpy(out.data(), header.data(), header.size());
    for (const Tensor& t : m_tensors) {
        std::uint8_t* dst = out.data() + header.size() + t.offset;
        if (t.row_fill)
            t.row_fill(0, static_cast<std::int64_t>(t.n_bytes / t.row_bytes), dst);
        else if (t.fill)
            t.fill(dst, static_cast<std::size_t>(t.n_bytes));
        else
            std::memcpy(dst, t.data.data(), t.data.size());
    }
    return out;
}

void GgufWriter::write_file(const std::filesystem::path& path) const {
    std::filesystem::path tmp = path;
    tmp += ".partial";
    CFile f = open_c_file(tmp, "wb");
    if (!f) fail("%s: cannot create file", path_to_utf8(tmp).c_str());
    auto write = [&](const void* p, std::size_t n) {
        if (n && std::fwrite(p, 1, n, f.get()) != n) fail("%s: write failed (disk full?)", path_to_utf8(tmp).c_str());
    };
    const std::string header = header_bytes();
    write(header.data(), header.size());
    std::uint64_t pos = 0;
    std::vector<std::uint8_t> buffer;
    static const std::uint8_t zeros[256] = {};
    for (const Tensor& t : m_tensors) {
        for (; pos < t.offset; ++pos) write(zeros, 1);  // < alignment bytes of padding
        if (t.row_fill) {
            const std::int64_t rows = static_cast<std::int64_t>(t.n_bytes / t.row_bytes);
            const std::int64_t chunk = std::max<std::int64_t>(1, static_cast<std::int64_t>((16u << 20) / t.row_bytes));
            for (std::int64_t r = 0; r < rows; r += chunk) {
                const std::int64_t n = std::min(chunk, rows - r);
                buffer.resize(static_cast<std::size_t>(static_cast<std::uint64_t>(n) * t.row_bytes));
                t.row_fill(r, n, buffer.data());
                write(buffer.data(), buffer.size());
            }
        } else if (t.fill) {
            buffer.resize(static_cast<std::size_t>(t.n_bytes));
            t.fill(buffer.data(), buffer.size());
            write(buffer.data(), buffer.size());
        } else {
            write(t.data.data(), t.data.size());
        }
        pos += t.n_bytes;
    }
    if (!m_tensors.empty())
        for (; pos < data_bytes(); ++pos) write(zeros, 1);
    if (std::fflush(f.get()) != 0) fail("%s: write failed (disk full?)", path_to_utf8(tmp).c_str());
    f.reset();
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) fail("%s: cannot rename into place: %s", path_to_utf8(path).c_str(), ec.message().c_str());
}

}  // namespace ponder
