// vk_instance.h: the process's one Vulkan instance and the compute-capable devices it sees, found
// once (the registry lists them, `auto` ranks them, the backend opens one).
#pragma once

#include "backend/vulkan/vk_api.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ponder::vk {

struct PhysicalDevice {
    VkPhysicalDevice handle = VK_NULL_HANDLE;
    std::string name;  // "AMD Radeon RX 7900 XT", "llvmpipe (LLVM 15.0.6, 256 bits)"
    VkPhysicalDeviceType type = VK_PHYSICAL_DEVICE_TYPE_OTHER;
    std::uint32_t api_version = 0;
    std::string driver;                    // driver name and info, e.g. "llvmpipe Mesa 22.3.6"
    std::uint64_t device_local_bytes = 0;  // the largest device-local heap
    // Of that heap, what the driver's budget left for this process when it was surveyed
    // (VK_EXT_memory_budget); 0 where the driver does not say.
    std::uint64_t device_local_free = 0;
    std::uint32_t queue_family = 0;  // one with compute
    std::uint32_t subgroup_size = 0;
    bool subgroup_arithmetic = false;  // compute-stage subgroupAdd/Max
    std::uint64_t max_storage_buffer_range = 0;
    std::uint64_t storage_offset_alignment = 256;  // minStorageBufferOffsetAlignment
    std::uint32_t max_shared_memory = 0;
    std::uint32_t max_workgroup_count[3] = {};  // maxComputeWorkGroupCount
    std::uint32_t max_storage_buffers_per_stage = 0;
    std::uint32_t max_workgroup_invocations = 0;  // in x (the shaders' only dimension)
    std::uint64_t max_allocation_bytes = 0;       // one buffer / allocation (maintenance3/4)
    bool storage_16bit = false;                   // storageBuffer16BitAccess
    bool storage_8bit = false;                    // storageBuffer8BitAccess
    bool shader_float16 = false;
    bool shader_int8 = false;
    // shaderIntegerDotProduct (Vulkan 1.3, for the instance and the device): matvec_int8.comp can
    // run. accelerated: the driver says the packed 4x8-bit signed dot is a native instruction
    // (`ponder-cli devices` shows it; lavapipe emulates it).
    bool integer_dot = false;
    bool integer_dot_accelerated = false;
    // Pipelines can require full subgroups (Vulkan 1.3's computeFullSubgroups): the kernels
    // that stride a row by gl_SubgroupSize (matmul.comp) count on every lane being there, which a
    // driver compiling narrower than the size it reports (Intel's SIMD8/16 under a reported 32)
    // would break without it.
    bool full_subgroups = false;

    bool discrete() const { return type == VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU; }
    bool integrated() const { return type == VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU; }
    bool software() const { return type == VK_PHYSICAL_DEVICE_TYPE_CPU; }
    // Can our shaders run on it at all (Vulkan 1.2, compute queue, 16/8-bit storage, subgroups)?
    bool usable(std::string* why) const;
};

class Instance {
public:
    // The instance, created on first use; nullptr with *why ("no Vulkan driver found",
    // "libvulkan.so.1 (the Vulkan loader) not found") when Vulkan cannot be used here.
    static Instance* get(std::string* why);

    Api api;  // global + instance entry points
    VkInstance instance = VK_NULL_HANDLE;
    std::vector<PhysicalDevice> devices;  // every device with a compute queue, in driver order
    bool validation = false;              // PONDER_VULKAN_VALIDATION=1 and the layer was found
    std::uint32_t api_version = 0;        // the version the instance was created for (1.2 or 1.3)
};

}  // namespace ponder::vk
