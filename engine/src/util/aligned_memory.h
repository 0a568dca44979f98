// aligned_memory.h: aligned heap blocks on every platform. std::aligned_alloc does not exist on
// Windows (its heap cannot free over-aligned blocks with free()): there it is _aligned_malloc,
// and the block must go back through _aligned_free. Pair aligned_allocate with aligned_release.
#pragma once

#include <cstddef>
#include <cstdlib>
#if defined(_WIN32)
#include <malloc.h>
#endif

namespace ponder {

// `alignment` a power of two; `bytes` is rounded up to a multiple of it. nullptr when out of memory.
inline void* aligned_allocate(std::size_t alignment, std::size_t bytes) {
    const std::size_t rounded = (bytes + alignment - 1) / alignment * alignment;
#if defined(_WIN32)
    return _aligned_malloc(rounded, alignment);
#else
    return std::aligned_alloc(alignment, rounded);
#endif
}

inline void aligned_release(void* p) {
#if defined(_WIN32)
    _aligned_free(p);
#else
    std::free(p);
#endif
}

}  // namespace ponder
