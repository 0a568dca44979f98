// mapped_file.h: RAII read-only memory map of a whole file (mmap / MapViewOfFile).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>

namespace ponder {

class MappedFile {
public:
    // Maps the file read-only. Throws ponder::Error naming the path on failure.
    explicit MappedFile(const std::filesystem::path& path);
    ~MappedFile();
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const std::uint8_t* data() const { return m_data; }
    std::size_t size() const { return m_size; }
    std::span<const std::uint8_t> bytes() const { return {m_data, m_size}; }
    const std::filesystem::path& path() const { return m_path; }

    // Hint that a range will be read soon / sequentially (best effort, no-op where unsupported).
    void prefetch(std::size_t offset, std::size_t length) const;
    // Drops this process's resident copy of the whole pages inside [offset, offset + length)
    // (they stay in the OS page cache, and a later read maps them again). For after a backend has
    // copied what it needs: resident memory should count the copy, not the file twice. Contents
    // never change (read-only map).
    void drop_resident(std::size_t offset, std::size_t length) const;

private:
    void release() noexcept;

    std::filesystem::path m_path;
    const std::uint8_t* m_data = nullptr;
    std::size_t m_size = 0;
#if defined(_WIN32)
    void* m_file = nullptr;
    void* m_mapping = nullptr;
#endif
};

}  // namespace ponder
