// vulkan_device.cpp: devices of the Vulkan instance as the registry sees them.
#include "backend/vulkan/vulkan_device.h"

#include "backend/vulkan/vk_instance.h"
#include "backend/vulkan/vulkan_backend.h"
#include "util/error.h"

#include <cstdlib>
#include <mutex>

namespace ponder::vk {

namespace {

struct Survey {
    std::vector<VulkanDevice> devices;
    std::vector<const PhysicalDevice*> physical;  // same order
    std::string why_none;
};

const Survey& survey() {
    static Survey s;
    static std::once_flag once;
    std::call_once(once, [] {
        Instance* inst = Instance::get(&s.why_none);
        if (!inst) return;
        std::string unusable;
        for (const PhysicalDevice& pd : inst->devices) {
            std::string why;
            if (!pd.usable(&why)) {
                unusable += (unusable.empty() ? "" : "; ") + why;
                continue;
            }
            VulkanDevice d;
            d.info.backend = BackendKind::Vulkan;
            d.info.index = static_cast<int>(s.devices.size());
            d.info.name = pd.name;
            // The memory check at load compares against what is free where the driver says
            // (VK_EXT_memory_budget), else the heap's size.
            d.info.memory_bytes = pd.device_local_free > 0 ? pd.device_local_free : pd.device_local_bytes;
            d.info.memory_is_free = pd.device_local_free > 0;
            // PONDER_VULKAN_MEMORY_BUDGET_MIB: use at most this much of the GPU (one shared with
            // other programs); the memory check at load compares against it.
            if (const char* b = std::getenv("PONDER_VULKAN_MEMORY_BUDGET_MIB"); b && *b)
                d.info.memory_bytes = std::min<std::uint64_t>(d.info.memory_bytes, std::strtoull(b, nullptr, 10) << 20);
            d.info.discrete_gpu = pd.discrete();
            d.integrated = pd.integrated();
            d.software = pd.software();
            s.devices.push_back(d);
            s.physical.push_back(&pd);
        }
        if (s.devices.empty()) s.why_none = "no usable Vulkan device (" + unusable + ")";
    });
    return s;
}

const char* type_name(VkPhysicalDeviceType t) {
    switch (t) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return "discrete GPU";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "integrated GPU";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return "virtual GPU";
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return "software (CPU)";
    default: return "other";
    }
}

}  // namespace

const std::vector<VulkanDevice>& vulkan_devices(std::string* why_none) {
    const Survey& s = survey();
    if (s.devices.empty() && why_none) *why_none = s.why_none;
    return s.devices;
}

std::vector<DeviceDetail> vulkan_device_details(int index) {
    const Survey& s = survey();
    if (index < 0 || index >= static_cast<int>(s.physical.size())) return {};
    const PhysicalDevice& pd = *s.physical[static_cast<std::size_t>(index)];
    return {
        {"device_type", "type", std::string(type_name(pd.type))},
        {"device_local_bytes", "device memory (bytes)", static_cast<std::int64_t>(pd.device_local_bytes)},
        {"device_local_free_bytes", "free at start (bytes; 0 = not reported)",
         static_cast<std::int64_t>(pd.device_local_free)},
        {"driver", "driver", pd.driver},
        {"api_version", "Vulkan",
         strprintf("%u.%u.%u", VK_API_VERSION_MAJOR(pd.api_version), VK_API_VERSION_MINOR(pd.api_version),
                   VK_API_VERSION_PATCH(pd.api_version))},
        {"subgroup_size", "subgroup size", std::int64_t{pd.subgroup_size}},
        {"max_storage_buffer_range", "largest storage binding (bytes)",
         static_cast<std::int64_t>(pd.max_storage_buffer_range)},
        {"shared_memory_bytes", "shared memory per workgroup (bytes)", std::int64_t{pd.max_shared_memory}},
        {"integer_dot_product", "8-bit integer dot product",
         std::string(!pd.integer_dot              ? "no"
                     : pd.integer_dot_accelerated ? "accelerated"
                                                  : "emulated")},
        {"full_subgroups", "full subgroups", std::string(pd.full_subgroups ? "required" : "not available")},
        {"float16_arithmetic", "16-bit float arithmetic",
         std::string(!pd.shader_float16 ? "no"
                     : pd.software()    ? "not used (software device)"
                                        : "used for prompt tiles")},
    };
}

std::unique_ptr<Backend> create_vulkan_backend(int index) {
    const Survey& s = survey();
    if (index < 0 || index >= static_cast<int>(s.physical.size())) {
        if (s.devices.empty()) fail("no Vulkan device: %s", s.why_none.c_str());
        fail("Vulkan device %d does not exist (%zu found)", index, s.devices.size());
    }
    std::string why;
    Instance* inst = Instance::get(&why);
    return std::make_unique<VulkanBackend>(*inst, *s.physical[static_cast<std::size_t>(index)]);
}

}  // namespace ponder::vk
