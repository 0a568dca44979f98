// vk_memory.cpp: see vk_memory.h.
#include "backend/vulkan/vk_memory.h"

namespace ponder::vk {

std::optional<std::uint32_t> pick_memory_type(const VkPhysicalDeviceMemoryProperties& memory, std::uint32_t type_bits,
                                              MemoryUse use) {
    constexpr VkMemoryPropertyFlags kHost = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    constexpr VkMemoryPropertyFlags kNever = VK_MEMORY_PROPERTY_PROTECTED_BIT |
                                             VK_MEMORY_PROPERTY_DEVICE_COHERENT_BIT_AMD |
                                             VK_MEMORY_PROPERTY_DEVICE_UNCACHED_BIT_AMD;
    const VkMemoryPropertyFlags need =
        use == MemoryUse::Device ? static_cast<VkMemoryPropertyFlags>(VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT) : kHost;
    const VkMemoryPropertyFlags prefer =
        use == MemoryUse::HostRead ? static_cast<VkMemoryPropertyFlags>(VK_MEMORY_PROPERTY_HOST_CACHED_BIT) : 0u;
    for (const VkMemoryPropertyFlags want : {need | prefer, need})
        for (std::uint32_t i = 0; i < memory.memoryTypeCount && i < 32; ++i) {
            const VkMemoryPropertyFlags f = memory.memoryTypes[i].propertyFlags;
            if ((type_bits >> i & 1u) && (f & want) == want && !(f & kNever)) return i;
        }
    return std::nullopt;
}

const char* memory_use_name(MemoryUse use) {
    switch (use) {
    case MemoryUse::Device: return "device";
    case MemoryUse::HostWrite: return "host-visible";
    case MemoryUse::HostRead: return "host-readable";
    }
    return "?";
}

}  // namespace ponder::vk
