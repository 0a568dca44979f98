// vk_api.h: the Vulkan entry points the backend uses, loaded at run time from libvulkan.so.1
// (dlopen), so that the app and the CLI start, and fall back to the CPU, on machines without a
// Vulkan loader or driver. Nothing links against libvulkan.
#pragma once

#define VK_NO_PROTOTYPES
#include <vulkan/vulkan.h>

#include <string>

namespace ponder::vk {

#define PONDER_VK_GLOBAL_FNS(X) \
    X(vkCreateInstance)         \
    X(vkEnumerateInstanceVersion)

#define PONDER_VK_INSTANCE_FNS(X)               \
    X(vkDestroyInstance)                        \
    X(vkEnumeratePhysicalDevices)               \
    X(vkGetPhysicalDeviceProperties)            \
    X(vkGetPhysicalDeviceProperties2)           \
    X(vkGetPhysicalDeviceMemoryProperties)      \
    X(vkGetPhysicalDeviceMemoryProperties2)     \
    X(vkEnumerateDeviceExtensionProperties)     \
    X(vkGetPhysicalDeviceQueueFamilyProperties) \
    X(vkGetPhysicalDeviceFeatures2)             \
    X(vkCreateDevice)                           \
    X(vkGetDeviceProcAddr)

#define PONDER_VK_DEVICE_FNS(X)      \
    X(vkDestroyDevice)               \
    X(vkGetDeviceQueue)              \
    X(vkCreateBuffer)                \
    X(vkDestroyBuffer)               \
    X(vkGetBufferMemoryRequirements) \
    X(vkAllocateMemory)              \
    X(vkFreeMemory)                  \
    X(vkBindBufferMemory)            \
    X(vkMapMemory)                   \
    X(vkUnmapMemory)                 \
    X(vkCreateShaderModule)          \
    X(vkDestroyShaderModule)         \
    X(vkCreateDescriptorSetLayout)   \
    X(vkDestroyDescriptorSetLayout)  \
    X(vkCreatePipelineLayout)        \
    X(vkDestroyPipelineLayout)       \
    X(vkCreateComputePipelines)      \
    X(vkDestroyPipeline)             \
    X(vkCreateDescriptorPool)        \
    X(vkDestroyDescriptorPool)       \
    X(vkResetDescriptorPool)         \
    X(vkAllocateDescriptorSets)      \
    X(vkUpdateDescriptorSets)        \
    X(vkCreateCommandPool)           \
    X(vkDestroyCommandPool)          \
    X(vkAllocateCommandBuffers)      \
    X(vkFreeCommandBuffers)          \
    X(vkBeginCommandBuffer)          \
    X(vkEndCommandBuffer)            \
    X(vkResetCommandBuffer)          \
    X(vkCmdBindPipeline)             \
    X(vkCmdBindDescriptorSets)       \
    X(vkCmdPushConstants)            \
    X(vkCmdDispatch)                 \
    X(vkCmdPipelineBarrier)          \
    X(vkCmdCopyBuffer)               \
    X(vkCmdFillBuffer)               \
    X(vkCreateFence)                 \
    X(vkDestroyFence)                \
    X(vkResetFences)                 \
    X(vkWaitForFences)               \
    X(vkQueueSubmit)                 \
    X(vkQueueWaitIdle)               \
    X(vkDeviceWaitIdle)

// Function pointers, filled in three stages: global ones when the library is opened, instance
// ones per instance, device ones per device.
struct Api {
#define PONDER_VK_DECLARE(name) PFN_##name name = nullptr;
    PFN_vkGetInstanceProcAddr vkGetInstanceProcAddr = nullptr;
    PONDER_VK_GLOBAL_FNS(PONDER_VK_DECLARE)
    PONDER_VK_INSTANCE_FNS(PONDER_VK_DECLARE)
    PONDER_VK_DEVICE_FNS(PONDER_VK_DECLARE)
#undef PONDER_VK_DECLARE
};

// The loader library opened once per process; nullptr (and *why set, e.g. "libvulkan.so.1 not
// found") when there is none. Only the global entry points are filled in.
const Api* global_api(std::string* why);

// Fills the instance-level entry points; false when one is missing.
bool load_instance_api(Api& api, VkInstance instance);
// Fills the device-level entry points; false when one is missing.
bool load_device_api(Api& api, VkDevice device);

// "VK_ERROR_OUT_OF_DEVICE_MEMORY" etc.
const char* result_name(VkResult r);

}  // namespace ponder::vk
