// gguf_parser.cpp: the bounds-checked GGUF v2/v3 parser. Every length and count is compared with
// the bytes actually left before anything is allocated or read, so hostile files fail cleanly.
#include "gguf/gguf_parser.h"

#include "gguf/gguf_spec.h"
#include "util/utf8.h"

#include <algorithm>
#include <cstdarg>
#include <cstring>
#include <numeric>
#include <unordered_set>

namespace ponder {

namespace {

constexpr int kMaxNesting = 8;  // arrays of arrays deeper than this are rejected
constexpr std::uint64_t kMaxKeyBytes = gguf_spec::kMaxKeyBytes;
constexpr std::uint64_t kMaxTensorName = gguf_spec::kMaxTensorNameBytes;
constexpr std::uint64_t kMaxAlignment = 1u << 30;

std::string printable(std::string_view s) {
    std::string out = utf8::sanitize(s.substr(0, 200));
    if (s.size() > 200) out += "...";
    return out;
}

}  // namespace

GgufParser::GgufParser(std::span<const std::uint8_t> bytes, std::string name)
    : m_bytes(bytes), m_name(std::move(name)) {}

void GgufParser::error(std::uint64_t offset, const char* fmt, ...) const {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fail("%s: offset %llu: %s", m_name.c_str(), static_cast<unsigned long long>(offset), buf);
}

void GgufParser::need(std::uint64_t n, const char* what) const {
    const std::uint64_t left = m_bytes.size() - m_pos;
    if (n > left)
        error(m_pos, "truncated file: %s needs %llu bytes but only %llu are left", what,
              static_cast<unsigned long long>(n), static_cast<unsigned long long>(left));
}

std::uint8_t GgufParser::u8() {
    need(1, "a value");
    return m_bytes[m_pos++];
}

std::uint32_t GgufParser::u32() {
    need(4, "a 32-bit field");
    std::uint32_t v;
    std::memcpy(&v, m_bytes.data() + m_pos, 4);
    m_pos += 4;
    return v;
}

std::uint64_t GgufParser::u64() {
    need(8, "a 64-bit field");
    std::uint64_t v;
    std::memcpy(&v, m_bytes.data() + m_pos, 8);
    m_pos += 8;
    return v;
}

std::string_view GgufParser::string(const char* what) {
    const std::uint64_t at = m_pos;
    const std::uint64_t len = u64();
    const std::uint64_t left = m_bytes.size() - m_pos;
    if (len > left)
        error(at, "%s: string length %llu exceeds the %llu bytes left in the file", what,
              static_cast<unsigned long long>(len), static_cast<unsigned long long>(left));
    std::string_view s(reinterpret_cast<const char*>(m_bytes.data() + m_pos), static_cast<std::size_t>(len));
    m_pos += len;
    return s;
}

GgufType GgufParser::value_type(std::string_view key) {
    const std::uint64_t at = m_pos;
    const std::uint32_t t = u32();
    if (t > static_cast<std::uint32_t>(GgufType::F64))
        error(at, "key '%s': unknown value type %u", printable(key).c_str(), t);
    return static_cast<GgufType>(t);
}

GgufValue GgufParser::value(GgufType type, std::string_view key, int depth) {
    GgufValue v;
    v.m_type = type;
    if (type == GgufType::String) {
        v.m_str = string("string value");
    } else if (type == GgufType::Array) {
        return array(key, depth);
    } else {
        const std::size_t size = scalar_size(type);
        need(size, "a scalar value");
        std::memcpy(&v.m_bits, m_bytes.data() + m_pos, size);  // little-endian host assumed
        m_pos += size;
    }
    return v;
}

GgufValue GgufParser::array(std::string_view key, int depth) {
    const std::uint64_t at = m_pos;
    if (depth >= kMaxNesting)
        error(at, "key '%s': arrays nested more than %d deep", printable(key).c_str(), kMaxNesting);
    GgufValue v;
    v.m_type = GgufType::Array;
    v.m_elem_type = value_type(key);
    const std::uint64_t count_at = m_pos;
    v.m_count = u64();
    const std::uint64_t left = m_bytes.size() - m_pos;
    // Smallest possible encoding of one element: fixed size, 8 (string length), 12 (nested array).
    const std::uint64_t min_elem = v.m_elem_type == GgufType::String  ? 8
                                   : v.m_elem_type == GgufType::Array ? 12
                                                                      : scalar_size(v.m_elem_type);
    if (v.m_count > left / min_elem)
        error(count_at, "key '%s': array of %llu %s elements cannot fit in the %llu bytes left", printable(key).c_str(),
              static_cast<unsigned long long>(v.m_count), std::string(to_string(v.m_elem_type)).c_str(),
              static_cast<unsigned long long>(left));
    if (v.m_elem_type == GgufType::String) {
        v.m_strings.reserve(static_cast<std::size_t>(v.m_count));
        for (std::uint64_t i = 0; i < v.m_count; ++i) v.m_strings.push_back(string("array string element"));
    } else if (v.m_elem_type == GgufType::Array) {
        v.m_items.reserve(static_cast<std::size_t>(v.m_count));
        for (std::uint64_t i = 0; i < v.m_count; ++i) v.m_items.push_back(array(key, depth + 1));
    } else {
        const std::uint64_t bytes = v.m_count * min_elem;  // cannot overflow: <= left
        v.m_raw = m_bytes.subspan(static_cast<std::size_t>(m_pos), static_cast<std::size_t>(bytes));
        m_pos += bytes;
    }
    return v;
}

ParsedPart GgufParser::parse(int part_index) {
    ParsedPart out;
    m_pos = 0;
    need(4, "the magic");
    if (std::memcmp(m_bytes.data(), "GGUF", 4) != 0) error(0, "not a GGUF file (bad magic)");
    m_pos = 4;
    out.version = u32();
    if (out.version == 1) error(4, "GGUF version 1 is not supported (re-convert the model)");
    if (out.version != 2 && out.version != 3) {
        if (out.version == 0x02000000u || out.version == 0x03000000u)
            error(4, "big-endian GGUF files are not supported");
        error(4, "unsupported GGUF version %u", out.version);
    }
    const std::uint64_t counts_at = m_pos;
    const std::uint64_t n_tensors = u64();
    const std::uint64_t n_kv = u64();
    {
        const std::uint64_t left = m_bytes.size() - m_pos;
        // Minimal encodings: key-value 8 + 1 + 4 + 1 bytes; tensor info 8 + 4 + 8 + 4 + 8.
        if (n_kv > left / 14)
            error(counts_at + 8, "metadata count %llu cannot fit in the %llu bytes left",
                  static_cast<unsigned long long>(n_kv), static_cast<unsigned long long>(left));
        if (n_tensors > left / 32)
            error(counts_at, "tensor count %llu cannot fit in the %llu bytes left",
                  static_cast<unsigned long long>(n_tensors), static_cast<unsigned long long>(left));
    }

    out.metadata.reserve(static_cast<std::size_t>(n_kv));
    std::unordered_set<std::string_view> keys;
    for (std::uint64_t i = 0; i < n_kv; ++i) {
        GgufKeyValue kv;
        kv.offset = m_pos;
        kv.key = string("key");
        if (kv.key.empty() || kv.key.size() > kMaxKeyBytes)
            error(kv.offset, "metadata key %llu has a bad length %zu", static_cast<unsigned long long>(i),
                  kv.key.size());
        if (!utf8::is_valid(kv.key))
            error(kv.offset, "metadata key '%s' is not valid UTF-8", printable(kv.key).c_str());
        if (!keys.insert(kv.key).second) error(kv.offset, "duplicate metadata key '%s'", printable(kv.key).c_str());
        const GgufType t = value_type(kv.key);
        kv.value = value(t, kv.key, 0);
        out.metadata.push_back(std::move(kv));
    }

    // The specification declares a type for each standardized general.* key; a reader that
    // trusted another type would read general.alignment or general.file_type differently from
    // every other reader.
    for (const GgufKeyValue& kv : out.metadata) {
        const auto declared = gguf_spec::declared_type(kv.key);
        if (!declared || gguf_spec::matches(*declared, kv.value)) continue;
        const std::string found = kv.value.is_array() ? "array of " + std::string(to_string(kv.value.element_type()))
                                                      : std::string(to_string(kv.value.type()));
        error(kv.offset, "key %s is declared %s by the GGUF specification but is %s", printable(kv.key).c_str(),
              gguf_spec::describe(*declared).c_str(), found.c_str());
    }

    for (const GgufKeyValue& kv : out.metadata) {
        if (kv.key != "general.alignment") continue;
        const auto a = kv.value.as_u64();  // a u32: checked above
        if (*a < 8 || *a > kMaxAlignment || (*a & (*a - 1)) != 0)
            error(kv.offset, "general.alignment %llu is not a power of two between 8 and 2^30",
                  static_cast<unsigned long long>(*a));
        out.alignment = *a;
    }

    out.tensors.reserve(static_cast<std::size_t>(n_tensors));
    std::vector<std::uint64_t> info_offsets;
    info_offsets.reserve(static_cast<std::size_t>(n_tensors));
    std::unordered_set<std::string_view> names;
    for (std::uint64_t i = 0; i < n_tensors; ++i) {
        GgufTensor t;
        const std::uint64_t at = m_pos;
        info_offsets.push_back(at);
        t.name = string("tensor name");
        t.part = part_index;
        const std::string shown = printable(t.name);
        if (t.name.empty()) error(at, "tensor %llu has an empty name", static_cast<unsigned long long>(i));
        if (t.name.size() > kMaxTensorName)
            error(at, "tensor '%s': name is %zu bytes long; the GGUF specification allows at most %llu", shown.c_str(),
                  t.name.size(), static_cast<unsigned long long>(kMaxTensorName));
        if (!utf8::is_valid(t.name)) error(at, "tensor name '%s' is not valid UTF-8", shown.c_str());
        if (!names.insert(t.name).second) error(at, "duplicate tensor '%s'", shown.c_str());
        const std::uint64_t dims_at = m_pos;
        const std::uint32_t n_dims = u32();
        if (n_dims < 1 || n_dims > 4)
            error(dims_at, "tensor '%s': %u dimensions (1 to 4 allowed)", shown.c_str(), n_dims);
        t.n_dims = static_cast<int>(n_dims);
        std::uint64_t elements = 1;
        for (std::uint32_t d = 0; d < n_dims; ++d) {
            const std::uint64_t dim_at = m_pos;
            const std::uint64_t ne = u64();
            if (ne == 0 || ne > static_cast<std::uint64_t>(INT64_MAX))
                error(dim_at, "tensor '%s': dimension %u is %llu", shown.c_str(), d,
                      static_cast<unsigned long long>(ne));
            if (__builtin_mul_overflow(elements, ne, &elements) || elements > static_cast<std::uint64_t>(INT64_MAX))
                error(dim_at, "tensor '%s': element count overflows", shown.c_str());
            t.ne[d] = static_cast<std::int64_t>(ne);
        }
        t.n_elements = elements;
        const std::uint64_t type_at = m_pos;
        const std::uint32_t raw_type = u32();
        const TypeInfo* info = find_type_info(raw_type);
        if (!info) error(type_at, "tensor '%s': unknown tensor type id %u", shown.c_str(), raw_type);
        t.type = info->type;
        const auto rb = checked_row_bytes(t.type, t.ne[0]);
        if (!rb && t.ne[0] % info->block_elems == 0) error(dims_at, "tensor '%s': byte size overflows", shown.c_str());
        if (!rb)
            error(dims_at, "tensor '%s': row length %lld is not a multiple of the %s block size %lld", shown.c_str(),
                  static_cast<long long>(t.ne[0]), std::string(info->name).c_str(),
                  static_cast<long long>(info->block_elems));
        const std::uint64_t rows = elements / static_cast<std::uint64_t>(t.ne[0]);
        if (__builtin_mul_overflow(*rb, rows, &t.n_bytes))
            error(dims_at, "tensor '%s': byte size overflows", shown.c_str());
        const std::uint64_t off_at = m_pos;
        t.offset = u64();
        if (t.offset % out.alignment != 0)
            error(off_at, "tensor '%s': data offset %llu is not a multiple of the alignment %llu", shown.c_str(),
                  static_cast<unsigned long long>(t.offset), static_cast<unsigned long long>(out.alignment));
        out.tensors.push_back(t);
    }

    // The data section starts at the next multiple of the alignment.
    const std::uint64_t end_of_infos = m_pos;
    out.data_offset = (end_of_infos + out.alignment - 1) / out.alignment * out.alignment;  // < 2^64: size + 2^30
    const std::uint64_t file_size = m_bytes.size();
    if (!out.tensors.empty() && out.data_offset > file_size)
        error(end_of_infos, "tensor data section (at offset %llu) starts past the end of the file (%llu bytes)",
              static_cast<unsigned long long>(out.data_offset), static_cast<unsigned long long>(file_size));
    const std::uint64_t data_size = out.tensors.empty() ? 0 : file_size - out.data_offset;
    for (std::size_t i = 0; i < out.tensors.size(); ++i) {
        GgufTensor& t = out.tensors[i];
        if (t.offset > data_size || t.n_bytes > data_size - t.offset)
            error(info_offsets[i], "tensor '%s': data [%llu, +%llu) lies outside the %llu-byte data section",
                  printable(t.name).c_str(), static_cast<unsigned long long>(t.offset),
                  static_cast<unsigned long long>(t.n_bytes), static_cast<unsigned long long>(data_size));
        t.file_offset = out.data_offset + t.offset;
        t.data = m_bytes.data() + t.file_offset;
    }
    // No two tensors may share bytes.
    std::vector<std::size_t> order(out.tensors.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return out.tensors[a].offset < out.tensors[b].offset; });
    for (std::size_t k = 1; k < order.size(); ++k) {
        const GgufTensor& prev = out.tensors[order[k - 1]];
        const GgufTensor& cur = out.tensors[order[k]];
        if (prev.offset + prev.n_bytes > cur.offset)
            error(info_offsets[order[k]], "tensor '%s' overlaps tensor '%s' in the data section",
                  printable(cur.name).c_str(), printable(prev.name).c_str());
    }
    return out;
}

}  // namespace ponder
