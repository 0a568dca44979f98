// vulkan_device.h: the Vulkan side of the registry: usable devices, their details, the backend.
#pragma once

#include "backend/backend_registry.h"

#include <memory>
#include <string>
#include <vector>

namespace ponder::vk {

struct VulkanDevice {
    DeviceInfo info;  // backend Vulkan, index = position in vulkan_devices()
    bool integrated = false;
    bool software = false;  // a CPU implementation (lavapipe/llvmpipe, SwiftShader)
};

// Every device our shaders can run on. Empty with *why_none ("no Vulkan driver found",
// "libvulkan.so.1 (the Vulkan loader) not found", "llvmpipe: needs Vulkan 1.2") otherwise.
const std::vector<VulkanDevice>& vulkan_devices(std::string* why_none);

std::vector<DeviceDetail> vulkan_device_details(int index);

// Throws ponder::Error when the device does not exist or cannot be opened.
std::unique_ptr<Backend> create_vulkan_backend(int index);

}  // namespace ponder::vk
