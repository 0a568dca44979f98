// raw_gguf.h: a byte-level GGUF composer for tests that need files the real writer refuses to
// produce (wrong counts, bad offsets, unknown types).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace ponder::test {

class RawGguf {
public:
    std::vector<std::uint8_t> bytes;

    RawGguf& u32(std::uint32_t v) { return pod(v); }
    RawGguf& u64(std::uint64_t v) { return pod(v); }
    RawGguf& str(std::string_view s) {
        u64(s.size());
        bytes.insert(bytes.end(), s.begin(), s.end());
        return *this;
    }
    RawGguf& raw(std::string_view s) {
        bytes.insert(bytes.end(), s.begin(), s.end());
        return *this;
    }
    // "GGUF", version, tensor count, kv count.
    RawGguf& header(std::uint64_t n_tensors, std::uint64_t n_kv, std::uint32_t version = 3) {
        raw("GGUF");
        u32(version);
        u64(n_tensors);
        return u64(n_kv);
    }
    RawGguf& kv_u32(std::string_view key, std::uint32_t v) {
        str(key);
        u32(4);
        return u32(v);
    }
    RawGguf& kv_str(std::string_view key, std::string_view v) {
        str(key);
        u32(8);
        return str(v);
    }
    // One tensor info (dims in ggml order).
    RawGguf& tensor(std::string_view name, std::vector<std::uint64_t> dims, std::uint32_t type, std::uint64_t offset) {
        str(name);
        u32(static_cast<std::uint32_t>(dims.size()));
        for (std::uint64_t d : dims) u64(d);
        u32(type);
        return u64(offset);
    }
    RawGguf& pad_to(std::size_t alignment) {
        while (bytes.size() % alignment) bytes.push_back(0);
        return *this;
    }
    RawGguf& zeros(std::size_t n) {
        bytes.insert(bytes.end(), n, 0);
        return *this;
    }

private:
    template <class T>
    RawGguf& pod(T v) {
        std::uint8_t b[sizeof(T)];
        std::memcpy(b, &v, sizeof(T));
        bytes.insert(bytes.end(), b, b + sizeof(T));
        return *this;
    }
};

}  // namespace ponder::test
