// gguf_value.cpp: typed access to GGUF metadata values (lossless integer conversion, arrays).
#include "gguf/gguf_file.h"

#include <cstring>
#include <limits>

namespace ponder {

std::string_view to_string(GgufType type) {
    switch (type) {
    case GgufType::U8: return "u8";
    case GgufType::I8: return "i8";
    case GgufType::U16: return "u16";
    case GgufType::I16: return "i16";
    case GgufType::U32: return "u32";
    case GgufType::I32: return "i32";
    case GgufType::F32: return "f32";
    case GgufType::Bool: return "bool";
    case GgufType::String: return "string";
    case GgufType::Array: return "array";
    case GgufType::U64: return "u64";
    case GgufType::I64: return "i64";
    case GgufType::F64: return "f64";
    }
    return "?";
}

std::size_t scalar_size(GgufType t) {
    switch (t) {
    case GgufType::U8:
    case GgufType::I8:
    case GgufType::Bool: return 1;
    case GgufType::U16:
    case GgufType::I16: return 2;
    case GgufType::U32:
    case GgufType::I32:
    case GgufType::F32: return 4;
    case GgufType::U64:
    case GgufType::I64:
    case GgufType::F64: return 8;
    default: return 0;
    }
}

namespace {

bool is_integer_type(GgufType t) {
    switch (t) {
    case GgufType::U8:
    case GgufType::I8:
    case GgufType::U16:
    case GgufType::I16:
    case GgufType::U32:
    case GgufType::I32:
    case GgufType::U64:
    case GgufType::I64: return true;
    default: return false;
    }
}

bool is_signed_type(GgufType t) {
    return t == GgufType::I8 || t == GgufType::I16 || t == GgufType::I32 || t == GgufType::I64;
}

// Sign-extends the low `size` bytes of bits.
std::int64_t sign_extend(std::uint64_t bits, std::size_t size) {
    if (size == 8) return static_cast<std::int64_t>(bits);
    const unsigned shift = static_cast<unsigned>(64 - 8 * size);
    return static_cast<std::int64_t>(bits << shift) >> shift;
}

// A scalar of type t from its (zero-extended) bits, as signed/unsigned; reports whether it fits.
struct IntValue {
    bool negative = false;
    std::uint64_t magnitude_bits = 0;  // the value when !negative
    std::int64_t signed_value = 0;     // the value when negative
};

IntValue decode_int(GgufType t, std::uint64_t bits) {
    IntValue v;
    if (is_signed_type(t)) {
        const std::int64_t s = sign_extend(bits, scalar_size(t));
        v.negative = s < 0;
        v.signed_value = s;
        v.magnitude_bits = s < 0 ? 0 : static_cast<std::uint64_t>(s);
    } else {
        v.magnitude_bits = bits;
    }
    return v;
}

std::optional<double> decode_float(GgufType t, std::uint64_t bits) {
    if (t == GgufType::F32) {
        float f;
        const auto b32 = static_cast<std::uint32_t>(bits);
        std::memcpy(&f, &b32, 4);
        return f;
    }
    if (t == GgufType::F64) {
        double d;
        std::memcpy(&d, &bits, 8);
        return d;
    }
    if (is_integer_type(t)) {
        const IntValue v = decode_int(t, bits);
        return v.negative ? static_cast<double>(v.signed_value) : static_cast<double>(v.magnitude_bits);
    }
    return std::nullopt;
}

std::optional<std::uint64_t> to_u64(GgufType t, std::uint64_t bits) {
    if (!is_integer_type(t)) return std::nullopt;
    const IntValue v = decode_int(t, bits);
    if (v.negative) return std::nullopt;
    return v.magnitude_bits;
}

std::optional<std::int64_t> to_i64(GgufType t, std::uint64_t bits) {
    if (!is_integer_type(t)) return std::nullopt;
    const IntValue v = decode_int(t, bits);
    if (v.negative) return v.signed_value;
    if (v.magnitude_bits > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return static_cast<std::int64_t>(v.magnitude_bits);
}

}  // namespace

bool GgufValue::is_integer() const { return is_integer_type(m_type); }

std::size_t GgufValue::element_size() const { return scalar_size(m_elem_type); }

std::optional<std::uint64_t> GgufValue::as_u64() const { return to_u64(m_type, m_bits); }
std::optional<std::int64_t> GgufValue::as_i64() const { return to_i64(m_type, m_bits); }
std::optional<double> GgufValue::as_f64() const { return decode_float(m_type, m_bits); }

std::optional<bool> GgufValue::as_bool() const {
    if (m_type != GgufType::Bool) return std::nullopt;
    return m_bits != 0;
}

std::optional<std::string_view> GgufValue::as_string() const {
    if (m_type != GgufType::String) return std::nullopt;
    return m_str;
}

namespace {

std::optional<std::uint64_t> element_bits(const GgufValue& v, std::uint64_t i) {
    const std::size_t size = v.element_size();
    if (!v.is_array() || size == 0 || i >= v.size()) return std::nullopt;
    std::uint64_t bits = 0;
    std::memcpy(&bits, v.raw_elements().data() + i * size, size);
    return bits;
}

}  // namespace

std::optional<std::int64_t> GgufValue::i64_at(std::uint64_t i) const {
    const auto bits = element_bits(*this, i);
    if (!bits) return std::nullopt;
    if (m_elem_type == GgufType::Bool) return *bits != 0 ? 1 : 0;
    return to_i64(m_elem_type, *bits);
}

std::optional<double> GgufValue::f64_at(std::uint64_t i) const {
    const auto bits = element_bits(*this, i);
    if (!bits) return std::nullopt;
    if (m_elem_type == GgufType::Bool) return *bits != 0 ? 1.0 : 0.0;
    return decode_float(m_elem_type, *bits);
}

}  // namespace ponder
