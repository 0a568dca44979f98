// vk_memory.h: which of a device's memory types a buffer goes in. A pure function of the
// device's memory table, so tests check it on the tables real GPUs report.
#pragma once

#define VK_NO_PROTOTYPES
#include <vulkan/vulkan.h>

#include <cstdint>
#include <optional>

namespace ponder::vk {

enum class MemoryUse {
    Device,     // weights, activations, caches: device-local
    HostWrite,  // staging and per-step uploads: host-visible and coherent, written by the host
    HostRead,   // readbacks (logits, status): as HostWrite, and host-cached where the device has it
};

// The first memory type among `type_bits` (a buffer's VkMemoryRequirements::memoryTypeBits)
// that suits `use`, or nullopt. By the specification's ordering of memory types (a type whose
// flags are a strict subset of another's comes first), the first match is the plainest: a
// discrete GPU's pure VRAM before its small host-visible BAR window, system memory before that
// window for host access. Readbacks prefer host-cached memory, as the host reading
// write-combined memory (what a discrete GPU's plain host-visible type usually is) is many
// times slower; without it they take the host-coherent type. Protected memory and AMD's
// device-coherent types are never chosen: they need features the backend does not enable.
std::optional<std::uint32_t> pick_memory_type(const VkPhysicalDeviceMemoryProperties& memory, std::uint32_t type_bits,
                                              MemoryUse use);

const char* memory_use_name(MemoryUse use);  // "device", "host-visible", "host-readable"

}  // namespace ponder::vk
