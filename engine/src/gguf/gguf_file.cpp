// gguf_file.cpp: GgufFile: opening (single and split models), metadata lookups, tensor directory.
#include "gguf/gguf_file.h"
#include "util/path_text.h"

#include "gguf/gguf_parser.h"
#include "util/error.h"

#include <charconv>
#include <cstring>
#include <limits>
#include <utility>

namespace ponder {

struct GgufFile::Impl {
    struct Part {
        std::optional<MappedFile> map;
        std::span<const std::uint8_t> bytes;
        std::filesystem::path path;
        std::uint64_t data_offset = 0;
    };
    std::filesystem::path path;
    std::vector<Part> parts;
    std::uint32_t version = 0;
    std::uint64_t alignment = 32;
    std::vector<GgufKeyValue> metadata;
    std::unordered_map<std::string_view, std::size_t> key_index;
    std::vector<GgufTensor> tensors;
    std::unordered_map<std::string_view, std::size_t> tensor_index;

    void add_part(std::optional<MappedFile> map, std::span<const std::uint8_t> bytes, std::filesystem::path p,
                  const std::string& name) {
        const int index = static_cast<int>(parts.size());
        Part part;
        part.bytes = bytes;
        part.path = std::move(p);
        part.map = std::move(map);
        // MappedFile's data pointer survives the move into the optional; re-read it to be sure.
        if (part.map) part.bytes = part.map->bytes();
        GgufParser parser(part.bytes, name);
        ParsedPart parsed = parser.parse(index);
        part.data_offset = parsed.data_offset;
        if (index == 0) {
            version = parsed.version;
            alignment = parsed.alignment;
            metadata = std::move(parsed.metadata);
            for (std::size_t i = 0; i < metadata.size(); ++i) key_index.emplace(metadata[i].key, i);
        } else {
            for (const GgufKeyValue& kv : parsed.metadata) {
                if (kv.key != "split.no") continue;
                const auto no = kv.value.as_u64();
                if (!no || *no != static_cast<std::uint64_t>(index))
                    fail("%s: split.no is %s, expected %d", name.c_str(),
                         no ? std::to_string(*no).c_str() : "not an integer", index);
            }
        }
        for (GgufTensor& t : parsed.tensors) {
            if (!tensor_index.emplace(t.name, tensors.size()).second)
                fail("%s: tensor '%s' also appears in an earlier part", name.c_str(), std::string(t.name).c_str());
            tensors.push_back(t);
        }
        parts.push_back(std::move(part));
    }
};

GgufFile::GgufFile(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
GgufFile::GgufFile(GgufFile&&) noexcept = default;
GgufFile& GgufFile::operator=(GgufFile&&) noexcept = default;
GgufFile::~GgufFile() = default;

std::optional<SplitName> parse_split_name(const std::filesystem::path& path) {
    // <prefix>-NNNNN-of-MMMMM.gguf
    const std::string stem = path_to_utf8(path.stem());
    if (path.extension() != ".gguf" || stem.size() < 16) return std::nullopt;
    const std::string_view tail = std::string_view(stem).substr(stem.size() - 15);
    if (tail[0] != '-' || tail.substr(6, 4) != "-of-") return std::nullopt;
    SplitName s;
    auto digits = [](std::string_view d, int& out) {
        for (char c : d)
            if (c < '0' || c > '9') return false;
        return std::from_chars(d.data(), d.data() + d.size(), out).ec == std::errc{};
    };
    if (!digits(tail.substr(1, 5), s.index) || !digits(tail.substr(10, 5), s.count)) return std::nullopt;
    if (s.index < 1 || s.count < 1 || s.index > s.count) return std::nullopt;
    return s;
}

std::filesystem::path split_path(const std::filesystem::path& first, int index, int count) {
    const std::string stem = path_to_utf8(first.stem());
    const std::string prefix = parse_split_name(first) ? stem.substr(0, stem.size() - 15) : stem;
    char buf[32];
    std::snprintf(buf, sizeof buf, "-%05d-of-%05d.gguf", index, count);
    return first.parent_path() / path_from_utf8(prefix + buf);
}

GgufFile GgufFile::open(const std::filesystem::path& path) {
    auto impl = std::make_unique<Impl>();
    std::filesystem::path first = path;
    const auto split = parse_split_name(path);
    if (split && split->index != 1) first = split_path(path, 1, split->count);  // always start at part 1
    impl->path = first;
    MappedFile map(first);
    const auto bytes = map.bytes();
    impl->add_part(std::move(map), bytes, first, path_to_utf8(first));
    GgufFile file(std::move(impl));
    int count = split ? split->count : 1;
    if (const GgufValue* v = file.find("split.count")) {
        const auto c = v->as_u64();
        if (!c || *c < 1 || *c > 9999)
            fail("%s: split.count is not a count between 1 and 9999", path_to_utf8(first).c_str());
        if (split && static_cast<int>(*c) != split->count)
            fail("%s: split.count is %llu but the file name says %d parts", path_to_utf8(first).c_str(),
                 static_cast<unsigned long long>(*c), split->count);
        count = static_cast<int>(*c);
    }
    for (int i = 2; i <= count; ++i) {
        const std::filesystem::path p = split_path(first, i, count);
        std::error_code ec;
        if (!std::filesystem::exists(p, ec))
            fail("%s: split model part %d of %d is missing (%s)", path_to_utf8(first).c_str(), i, count,
                 path_to_utf8(p).c_str());
        MappedFile part_map(p);
        const auto part_bytes = part_map.bytes();
        file.m_impl->add_part(std::move(part_map), part_bytes, p, path_to_utf8(p));
    }
    if (const GgufValue* v = file.find("split.tensors.count")) {
        const auto n = v->as_u64();
        if (!n || *n != file.m_impl->tensors.size())
            fail("%s: split.tensors.count says %s tensors but the parts hold %zu", path_to_utf8(first).c_str(),
                 n ? std::to_string(*n).c_str() : "?", file.m_impl->tensors.size());
    }
    return file;
}

GgufFile GgufFile::from_memory(std::span<const std::uint8_t> bytes, std::string name) {
    auto impl = std::make_unique<Impl>();
    impl->path = name;
    impl->add_part(std::nullopt, bytes, name, name);
    return GgufFile(std::move(impl));
}

const std::filesystem::path& GgufFile::path() const { return m_impl->path; }
std::uint32_t GgufFile::version() const { return m_impl->version; }
std::uint64_t GgufFile::alignment() const { return m_impl->alignment; }
int GgufFile::split_count() const { return static_cast<int>(m_impl->parts.size()); }

std::uint64_t GgufFile::file_bytes() const {
    std::uint64_t total = 0;
    for (const auto& p : m_impl->parts) total += p.bytes.size();
    return total;
}

std::span<const GgufKeyValue> GgufFile::metadata() const { return m_impl->metadata; }

const GgufValue* GgufFile::find(std::string_view key) const {
    const auto it = m_impl->key_index.find(key);
    return it == m_impl->key_index.end() ? nullptr : &m_impl->metadata[it->second].value;
}

namespace {

[[noreturn]] void type_error(const GgufFile& f, std::string_view key, const GgufValue& v, const char* wanted) {
    fail("%s: key '%s' is %s, expected %s", path_to_utf8(f.path()).c_str(), std::string(key).c_str(),
         std::string(to_string(v.type())).c_str(), wanted);
}

}  // namespace

std::optional<std::string_view> GgufFile::get_string(std::string_view key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    const auto s = v->as_string();
    if (!s) type_error(*this, key, *v, "a string");
    return s;
}

std::string_view GgufFile::get_string(std::string_view key, std::string_view fallback) const {
    return get_string(key).value_or(fallback);
}

std::optional<std::uint64_t> GgufFile::get_u64(std::string_view key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    const auto u = v->as_u64();
    if (!u) type_error(*this, key, *v, "a non-negative integer");
    return u;
}

std::optional<std::uint32_t> GgufFile::get_u32(std::string_view key) const {
    const auto u = get_u64(key);
    if (!u) return std::nullopt;
    if (*u > std::numeric_limits<std::uint32_t>::max())
        fail("%s: key '%s' = %llu does not fit in 32 bits", path_to_utf8(path()).c_str(), std::string(key).c_str(),
             static_cast<unsigned long long>(*u));
    return static_cast<std::uint32_t>(*u);
}

std::uint32_t GgufFile::get_u32(std::string_view key, std::uint32_t fallback) const {
    return get_u32(key).value_or(fallback);
}

std::optional<std::int32_t> GgufFile::get_i32(std::string_view key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    const auto i = v->as_i64();
    if (!i) type_error(*this, key, *v, "an integer");
    if (*i < std::numeric_limits<std::int32_t>::min() || *i > std::numeric_limits<std::int32_t>::max())
        fail("%s: key '%s' = %lld does not fit in 32 bits", path_to_utf8(path()).c_str(), std::string(key).c_str(),
             static_cast<long long>(*i));
    return static_cast<std::int32_t>(*i);
}

std::int32_t GgufFile::get_i32(std::string_view key, std::int32_t fallback) const {
    return get_i32(key).value_or(fallback);
}

std::optional<float> GgufFile::get_f32(std::string_view key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    const auto d = v->as_f64();
    if (!d) type_error(*this, key, *v, "a number");
    return static_cast<float>(*d);
}

float GgufFile::get_f32(std::string_view key, float fallback) const { return get_f32(key).value_or(fallback); }

std::optional<bool> GgufFile::get_bool(std::string_view key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    const auto b = v->as_bool();
    if (!b) type_error(*this, key, *v, "a bool");
    return b;
}

bool GgufFile::get_bool(std::string_view key, bool fallback) const { return get_bool(key).value_or(fallback); }

std::string_view GgufFile::require_string(std::string_view key) const {
    const auto s = get_string(key);
    if (!s) fail("%s: missing key '%s'", path_to_utf8(path()).c_str(), std::string(key).c_str());
    return *s;
}

std::uint32_t GgufFile::require_u32(std::string_view key) const {
    const auto u = get_u32(key);
    if (!u) fail("%s: missing key '%s'", path_to_utf8(path()).c_str(), std::string(key).c_str());
    return *u;
}

template <class T>
std::optional<std::vector<T>> GgufFile::get_array(std::string_view key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_array() || v->element_size() == 0) type_error(*this, key, *v, "a numeric array");
    std::vector<T> out;
    out.reserve(static_cast<std::size_t>(v->size()));
    for (std::uint64_t i = 0; i < v->size(); ++i) {
        if constexpr (std::is_same_v<T, bool>) {
            if (v->element_type() != GgufType::Bool)
                fail("%s: key '%s' is an array of %s, expected bool", path_to_utf8(path()).c_str(),
                     std::string(key).c_str(), std::string(to_string(v->element_type())).c_str());
            out.push_back(*v->i64_at(i) != 0);
        } else if constexpr (std::is_floating_point_v<T>) {
            out.push_back(static_cast<T>(*v->f64_at(i)));
        } else {
            bool ok = false;
            T value{};
            if (v->element_type() == GgufType::U64) {
                std::uint64_t u;
                std::memcpy(&u, v->raw_elements().data() + 8 * i, 8);
                ok = std::in_range<T>(u);
                value = static_cast<T>(u);
            } else if (const auto s = v->i64_at(i);
                       s && v->element_type() != GgufType::F32 && v->element_type() != GgufType::F64) {
                ok = std::in_range<T>(*s);
                value = static_cast<T>(*s);
            }
            if (!ok)
                fail("%s: key '%s': element %llu (%s) does not fit the requested integer type",
                     path_to_utf8(path()).c_str(), std::string(key).c_str(), static_cast<unsigned long long>(i),
                     std::string(to_string(v->element_type())).c_str());
            out.push_back(value);
        }
    }
    return out;
}

template std::optional<std::vector<std::uint8_t>> GgufFile::get_array<std::uint8_t>(std::string_view) const;
template std::optional<std::vector<std::int8_t>> GgufFile::get_array<std::int8_t>(std::string_view) const;
template std::optional<std::vector<std::uint16_t>> GgufFile::get_array<std::uint16_t>(std::string_view) const;
template std::optional<std::vector<std::int16_t>> GgufFile::get_array<std::int16_t>(std::string_view) const;
template std::optional<std::vector<std::uint32_t>> GgufFile::get_array<std::uint32_t>(std::string_view) const;
template std::optional<std::vector<std::int32_t>> GgufFile::get_array<std::int32_t>(std::string_view) const;
template std::optional<std::vector<std::uint64_t>> GgufFile::get_array<std::uint64_t>(std::string_view) const;
template std::optional<std::vector<std::int64_t>> GgufFile::get_array<std::int64_t>(std::string_view) const;
template std::optional<std::vector<float>> GgufFile::get_array<float>(std::string_view) const;
template std::optional<std::vector<double>> GgufFile::get_array<double>(std::string_view) const;
template std::optional<std::vector<bool>> GgufFile::get_array<bool>(std::string_view) const;

std::optional<std::span<const std::string_view>> GgufFile::get_strings(std::string_view key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_array() || v->element_type() != GgufType::String) type_error(*this, key, *v, "an array of strings");
    return v->strings();
}

std::span<const GgufTensor> GgufFile::tensors() const { return m_impl->tensors; }

const GgufTensor* GgufFile::find_tensor(std::string_view name) const {
    const auto it = m_impl->tensor_index.find(name);
    return it == m_impl->tensor_index.end() ? nullptr : &m_impl->tensors[it->second];
}

const GgufTensor& GgufFile::require_tensor(std::string_view name) const {
    const GgufTensor* t = find_tensor(name);
    if (!t) fail("%s: missing tensor '%s'", path_to_utf8(path()).c_str(), std::string(name).c_str());
    return *t;
}

std::span<const std::uint8_t> GgufFile::part_bytes(std::size_t part) const { return m_impl->parts.at(part).bytes; }

void GgufFile::drop_resident_pages(const void* data, std::size_t bytes) const {
    const auto* p = static_cast<const std::uint8_t*>(data);
    for (const Impl::Part& part : m_impl->parts) {
        if (!part.map) continue;
        const std::uint8_t* begin = part.map->data();
        if (p >= begin && p < begin + part.map->size())
            part.map->drop_resident(static_cast<std::size_t>(p - begin), bytes);
    }
}

}  // namespace ponder
