// vk_api.cpp: dlopen of the Vulkan loader and vkGetInstanceProcAddr/vkGetDeviceProcAddr lookups.
#include "backend/vulkan/vk_api.h"

#if defined(_WIN32)
#include <windows.h>
#else
#include <dlfcn.h>
#endif

#include <mutex>

namespace ponder::vk {

namespace {

void* open_loader(std::string& why) {
#if defined(_WIN32)
    HMODULE h = LoadLibraryA("vulkan-1.dll");
    if (!h) why = "vulkan-1.dll not found";
    return reinterpret_cast<void*>(h);
#else
#if defined(__APPLE__)
    const char* names[] = {"libvulkan.1.dylib", "libMoltenVK.dylib"};
#else
    const char* names[] = {"libvulkan.so.1", "libvulkan.so"};
#endif
    for (const char* n : names)
        if (void* h = dlopen(n, RTLD_NOW | RTLD_LOCAL)) return h;
    why = std::string(names[0]) + " (the Vulkan loader) not found";
    return nullptr;
#endif
}

void* symbol(void* lib, const char* name) {
#if defined(_WIN32)
    return reinterpret_cast<void*>(GetProcAddress(static_cast<HMODULE>(lib), name));
#else
    return dlsym(lib, name);
#endif
}

}  // namespace

const Api* global_api(std::string* why) {
    static Api api;
    static std::string error;
    static bool ok = false;
    static std::once_flag once;
    std::call_once(once, [] {
        void* lib = open_loader(error);  // kept open for the life of the process
        if (!lib) return;
        api.vkGetInstanceProcAddr = reinterpret_cast<PFN_vkGetInstanceProcAddr>(symbol(lib, "vkGetInstanceProcAddr"));
        if (!api.vkGetInstanceProcAddr) {
            error = "the Vulkan loader has no vkGetInstanceProcAddr";
            return;
        }
#define PONDER_VK_LOAD(name) api.name = reinterpret_cast<PFN_##name>(api.vkGetInstanceProcAddr(nullptr, #name));
        PONDER_VK_GLOBAL_FNS(PONDER_VK_LOAD)
#undef PONDER_VK_LOAD
        if (!api.vkCreateInstance) {
            error = "the Vulkan loader has no vkCreateInstance";
            return;
        }
        ok = true;
    });
    if (!ok && why) *why = error;
    return ok ? &api : nullptr;
}

bool load_instance_api(Api& api, VkInstance instance) {
    bool ok = true;
#define PONDER_VK_LOAD(name)                                                             \
    api.name = reinterpret_cast<PFN_##name>(api.vkGetInstanceProcAddr(instance, #name)); \
    ok = ok && api.name != nullptr;
    PONDER_VK_INSTANCE_FNS(PONDER_VK_LOAD)
#undef PONDER_VK_LOAD
    return ok;
}

bool load_device_api(Api& api, VkDevice device) {
    bool ok = true;
#define PONDER_VK_LOAD(name)                                                         \
    api.name = reinterpret_cast<PFN_##name>(api.vkGetDeviceProcAddr(device, #name)); \
    ok = ok && api.name != nullptr;
    PONDER_VK_DEVICE_FNS(PONDER_VK_LOAD)
#undef PONDER_VK_LOAD
    return ok;
}

const char* result_name(VkResult r) {
    switch (r) {
    case VK_SUCCESS: return "VK_SUCCESS";
    case VK_NOT_READY: return "VK_NOT_READY";
    case VK_TIMEOUT: return "VK_TIMEOUT";
    case VK_ERROR_OUT_OF_HOST_MEMORY: return "VK_ERROR_OUT_OF_HOST_MEMORY";
    case VK_ERROR_OUT_OF_DEVICE_MEMORY: return "VK_ERROR_OUT_OF_DEVICE_MEMORY";
    case VK_ERROR_INITIALIZATION_FAILED: return "VK_ERROR_INITIALIZATION_FAILED";
    case VK_ERROR_DEVICE_LOST: return "VK_ERROR_DEVICE_LOST";
    case VK_ERROR_MEMORY_MAP_FAILED: return "VK_ERROR_MEMORY_MAP_FAILED";
    case VK_ERROR_LAYER_NOT_PRESENT: return "VK_ERROR_LAYER_NOT_PRESENT";
    case VK_ERROR_EXTENSION_NOT_PRESENT: return "VK_ERROR_EXTENSION_NOT_PRESENT";
    case VK_ERROR_FEATURE_NOT_PRESENT: return "VK_ERROR_FEATURE_NOT_PRESENT";
    case VK_ERROR_INCOMPATIBLE_DRIVER: return "VK_ERROR_INCOMPATIBLE_DRIVER";
    case VK_ERROR_TOO_MANY_OBJECTS: return "VK_ERROR_TOO_MANY_OBJECTS";
    case VK_ERROR_OUT_OF_POOL_MEMORY: return "VK_ERROR_OUT_OF_POOL_MEMORY";
    default: return "VkResult error";
    }
}

}  // namespace ponder::vk
