// mapped_file.cpp: platform memory mapping (POSIX mmap, Win32 file mapping).
#include "util/mapped_file.h"
#include "util/path_text.h"

#include "util/error.h"

#include <cerrno>
#include <cstring>
#include <utility>

#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace ponder {

#if defined(_WIN32)

MappedFile::MappedFile(const std::filesystem::path& path) : m_path(path) {
    HANDLE file = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file == INVALID_HANDLE_VALUE)
        fail_coded(ErrorCode::FileUnreadable, {path_to_utf8(path), "cannot open file"}, "%s: cannot open file",
                   path_to_utf8(path).c_str());
    LARGE_INTEGER size{};
    if (!GetFileSizeEx(file, &size)) {
        CloseHandle(file);
        fail("%s: cannot read file size", path_to_utf8(path).c_str());
    }
    m_file = file;
    m_size = static_cast<std::size_t>(size.QuadPart);
    if (m_size == 0) return;
    m_mapping = CreateFileMappingW(file, nullptr, PAGE_READONLY, 0, 0, nullptr);
    if (!m_mapping) {
        release();
        fail("%s: cannot map file", path_to_utf8(path).c_str());
    }
    m_data = static_cast<const std::uint8_t*>(MapViewOfFile(m_mapping, FILE_MAP_READ, 0, 0, 0));
    if (!m_data) {
        release();
        fail("%s: cannot map file", path_to_utf8(path).c_str());
    }
}

void MappedFile::release() noexcept {
    if (m_data) UnmapViewOfFile(m_data);
    if (m_mapping) CloseHandle(static_cast<HANDLE>(m_mapping));
    if (m_file) CloseHandle(static_cast<HANDLE>(m_file));
    m_data = nullptr;
    m_mapping = nullptr;
    m_file = nullptr;
    m_size = 0;
}

void MappedFile::prefetch(std::size_t, std::size_t) const {}
// Windows trims a process's working set on its own; nothing to do.
void MappedFile::drop_resident(std::size_t, std::size_t) const {}

#else

MappedFile::MappedFile(const std::filesystem::path& path) : m_path(path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const std::string why = std::strerror(errno);
        fail_coded(ErrorCode::FileUnreadable, {path_to_utf8(path), why}, "%s: cannot open file: %s", path.c_str(),
                   why.c_str());
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        fail("%s: cannot read file size: %s", path.c_str(), std::strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        fail("%s: not a regular file", path.c_str());
    }
    m_size = static_cast<std::size_t>(st.st_size);
    if (m_size > 0) {
        void* p = ::mmap(nullptr, m_size, PROT_READ, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED) {
            const int err = errno;
            ::close(fd);
            m_size = 0;
            fail("%s: cannot map file: %s", path.c_str(), std::strerror(err));
        }
        m_data = static_cast<const std::uint8_t*>(p);
    }
    ::close(fd);  // the mapping keeps the file referenced
}

void MappedFile::release() noexcept {
    if (m_data) ::munmap(const_cast<std::uint8_t*>(m_data), m_size);
    m_data = nullptr;
    m_size = 0;
}

void MappedFile::prefetch(std::size_t offset, std::size_t length) const {
    if (!m_data || offset >= m_size) return;
    if (length > m_size - offset) length = m_size - offset;
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t start = offset / page * page;
    ::madvise(const_cast<std::uint8_t*>(m_data) + start, length + (offset - start), MADV_WILLNEED);
}

void MappedFile::drop_resident(std::size_t offset, std::size_t length) const {
    if (!m_data || offset >= m_size) return;
    if (length > m_size - offset) length = m_size - offset;
    // Whole pages only: a page shared with a neighbouring tensor may still be in use.
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t first = (offset + page - 1) / page * page, end = (offset + length) / page * page;
    if (end > first) ::madvise(const_cast<std::uint8_t*>(m_data) + first, end - first, MADV_DONTNEED);
}

#endif

MappedFile::~MappedFile() { release(); }

MappedFile::MappedFile(MappedFile&& other) noexcept { *this = std::move(other); }

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this != &other) {
        release();
        m_path = std::move(other.m_path);
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
#if defined(_WIN32)
        m_file = std::exchange(other.m_file, nullptr);
        m_mapping = std::exchange(other.m_mapping, nullptr);
#endif
    }
    return *this;
}

}  // namespace ponder
