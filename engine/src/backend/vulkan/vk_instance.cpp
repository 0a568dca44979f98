// vk_instance.cpp: instance creation (Vulkan 1.2; optionally with the Khronos validation layer)
// and the device survey.
#include "backend/vulkan/vk_instance.h"

#include "util/error.h"
#include "util/log.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

namespace ponder::vk {

std::atomic<int> g_validation_messages{0};

namespace {

VKAPI_ATTR VkBool32 VKAPI_CALL on_validation_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                     VkDebugUtilsMessageTypeFlagsEXT,
                                                     const VkDebugUtilsMessengerCallbackDataEXT* data, void*) {
    if (severity >= VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT) {
        g_validation_messages.fetch_add(1);
        PONDER_LOG_WARN("vulkan validation: %s", data && data->pMessage ? data->pMessage : "?");
    }
    return VK_FALSE;
}

bool env_on(const char* name) {
    const char* v = std::getenv(name);
    return v && *v && std::strcmp(v, "0") != 0;
}

PhysicalDevice survey(Api& api, VkPhysicalDevice pd, std::uint32_t instance_version) {
    PhysicalDevice d;
    d.handle = pd;
    VkPhysicalDeviceSubgroupProperties subgroup{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
    VkPhysicalDeviceDriverProperties driver{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
    subgroup.pNext = &driver;
    VkPhysicalDeviceMaintenance3Properties maintenance3{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES};
    driver.pNext = &maintenance3;
    VkPhysicalDeviceShaderIntegerDotProductProperties dot_props{
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_PROPERTIES};
    // Chained only for 1.3 devices: an older driver need not know the structure.
    const bool v13 = instance_version >= VK_API_VERSION_1_3;
    VkPhysicalDeviceProperties props1{};
    api.vkGetPhysicalDeviceProperties(pd, &props1);
    const bool dev13 = v13 && props1.apiVersion >= VK_API_VERSION_1_3;
    VkPhysicalDeviceSubgroupSizeControlProperties size_props{
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES};
    VkPhysicalDeviceMaintenance4Properties maintenance4{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_4_PROPERTIES};
    if (dev13) {
        maintenance3.pNext = &dot_props;
        dot_props.pNext = &size_props;
        size_props.pNext = &maintenance4;
    }
    VkPhysicalDeviceProperties2 props{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
    props.pNext = &subgroup;
    api.vkGetPhysicalDeviceProperties2(pd, &props);
    d.name = props.properties.deviceName;
    d.type = props.properties.deviceType;
    d.api_version = props.properties.apiVersion;
    d.driver = std::string(driver.driverName) + " " + driver.driverInfo;
    d.subgroup_size = subgroup.subgroupSize;
    d.subgroup_arithmetic = (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) &&
                            (subgroup.supportedOperations & VK_SUBGROUP_FEATURE_ARITHMETIC_BIT);
    d.max_storage_buffer_range = props.properties.limits.maxStorageBufferRange;
    d.storage_offset_alignment = std::max<std::uint64_t>(4, props.properties.limits.minStorageBufferOffsetAlignment);
    d.max_shared_memory = props.properties.limits.maxComputeSharedMemorySize;
    d.max_storage_buffers_per_stage = props.properties.limits.maxPerStageDescriptorStorageBuffers;
    d.max_workgroup_invocations = std::min(props.properties.limits.maxComputeWorkGroupInvocations,
                                           props.properties.limits.maxComputeWorkGroupSize[0]);
    // 0 = not reported (a 1.2 device has no maxBufferSize): only the allocation limit applies.
    d.max_allocation_bytes = maintenance3.maxMemoryAllocationSize;
    if (dev13 && maintenance4.maxBufferSize > 0)
        d.max_allocation_bytes = std::min<std::uint64_t>(d.max_allocation_bytes, maintenance4.maxBufferSize);
    for (int i = 0; i < 3; ++i) d.max_workgroup_count[i] = props.properties.limits.maxComputeWorkGroupCount[i];

    // With VK_EXT_memory_budget, also what of that heap the driver says this process may use
    // now: its size less what other programs (a desktop, a browser) hold.
    std::uint32_t n_ext = 0;
    api.vkEnumerateDeviceExtensionProperties(pd, nullptr, &n_ext, nullptr);
    std::vector<VkExtensionProperties> exts(n_ext);
    if (n_ext) api.vkEnumerateDeviceExtensionProperties(pd, nullptr, &n_ext, exts.data());
    const bool has_budget = std::any_of(exts.begin(), exts.end(), [](const VkExtensionProperties& e) {
        return std::strcmp(e.extensionName, VK_EXT_MEMORY_BUDGET_EXTENSION_NAME) == 0;
    });
    VkPhysicalDeviceMemoryBudgetPropertiesEXT budget{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT};
    VkPhysicalDeviceMemoryProperties2 mem2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_PROPERTIES_2};
    if (has_budget) mem2.pNext = &budget;
    api.vkGetPhysicalDeviceMemoryProperties2(pd, &mem2);
    const VkPhysicalDeviceMemoryProperties& mem = mem2.memoryProperties;
    for (std::uint32_t i = 0; i < mem.memoryHeapCount; ++i)
        if ((mem.memoryHeaps[i].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) &&
            mem.memoryHeaps[i].size > d.device_local_bytes) {
            d.device_local_bytes = mem.memoryHeaps[i].size;
            d.device_local_free = has_budget && budget.heapBudget[i] > budget.heapUsage[i]
                                      ? std::min(budget.heapBudget[i] - budget.heapUsage[i], mem.memoryHeaps[i].size)
                                      : 0;
        }

    std::uint32_t n = 0;
    api.vkGetPhysicalDeviceQueueFamilyProperties(pd, &n, nullptr);
    std::vector<VkQueueFamilyProperties> families(n);
    api.vkGetPhysicalDeviceQueueFamilyProperties(pd, &n, families.data());
    d.queue_family = UINT32_MAX;
    for (std::uint32_t i = 0; i < n; ++i)
        if (families[i].queueFlags & VK_QUEUE_COMPUTE_BIT) {
            d.queue_family = i;
            break;
        }

    VkPhysicalDevice16BitStorageFeatures s16{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES};
    VkPhysicalDevice8BitStorageFeatures s8{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_8BIT_STORAGE_FEATURES};
    VkPhysicalDeviceShaderFloat16Int8Features f16i8{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FLOAT16_INT8_FEATURES};
    s16.pNext = &s8;
    s8.pNext = &f16i8;
    VkPhysicalDeviceShaderIntegerDotProductFeatures dot{
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_FEATURES};
    VkPhysicalDeviceSubgroupSizeControlFeatures size_control{
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_FEATURES};
    if (dev13) {
        f16i8.pNext = &dot;
        dot.pNext = &size_control;
    }
    VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    features.pNext = &s16;
    api.vkGetPhysicalDeviceFeatures2(pd, &features);
    d.integer_dot = dev13 && dot.shaderIntegerDotProduct;
    // Full subgroups of the reported size need both features and workgroups (64 or 256
    // invocations) that are a multiple of the largest subgroup the device may use.
    d.full_subgroups = dev13 && size_control.subgroupSizeControl && size_control.computeFullSubgroups &&
                       size_props.maxSubgroupSize > 0 && 64 % size_props.maxSubgroupSize == 0;
    d.integer_dot_accelerated = d.integer_dot && dot_props.integerDotProduct4x8BitPackedSignedAccelerated;
    d.storage_16bit = s16.storageBuffer16BitAccess;
    d.storage_8bit = s8.storageBuffer8BitAccess;
    d.shader_float16 = f16i8.shaderFloat16;
    d.shader_int8 = f16i8.shaderInt8;
    return d;
}

}  // namespace

bool PhysicalDevice::usable(std::string* why) const {
    auto no = [&](const char* what) {
        if (why) *why = strprintf("%s: %s", name.c_str(), what);
        return false;
    };
    if (api_version < VK_API_VERSION_1_2) return no("needs Vulkan 1.2");
    if (queue_family == UINT32_MAX) return no("no compute queue");
    if (!storage_16bit || !storage_8bit) return no("no 8/16-bit storage buffers");
    // The shaders' 64-invocation workgroups hold whole subgroups (matmul.comp: one per row).
    if (!subgroup_arithmetic || subgroup_size < 4 || subgroup_size > 64 || (subgroup_size & (subgroup_size - 1)) != 0)
        return no("no usable subgroup arithmetic (size 4 to 64)");
    if (max_storage_buffer_range < (std::uint64_t{16} << 20)) return no("storage buffer range below 16 MiB");
    // attention.comp and matmul_id.comp bind 5 buffers; eltwise.comp runs 256 invocations.
    if (max_storage_buffers_per_stage < 5) return no("fewer than 5 storage buffers per shader");
    if (max_workgroup_invocations < 256) return no("compute workgroups of fewer than 256 invocations");
    return true;
}

Instance* Instance::get(std::string* why) {
    static Instance inst;
    static std::string error;
    static bool ok = false;
    static std::once_flag once;
    std::call_once(once, [] {
        const Api* global = global_api(&error);
        if (!global) return;
        inst.api = *global;
        Api& api = inst.api;
        std::uint32_t version = VK_API_VERSION_1_0;
        if (api.vkEnumerateInstanceVersion) api.vkEnumerateInstanceVersion(&version);
        if (version < VK_API_VERSION_1_2) {
            error = "the Vulkan loader is older than 1.2";
            return;
        }
        VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
        app.pApplicationName = "Ponder";
        app.pEngineName = "Ponder";
        // 1.3 where the loader has it, for the integer dot product (core in 1.3); 1.2 is enough
        // for everything else.
        inst.api_version = version >= VK_API_VERSION_1_3 ? VK_API_VERSION_1_3 : VK_API_VERSION_1_2;
        app.apiVersion = inst.api_version;
        VkInstanceCreateInfo ci{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
        ci.pApplicationInfo = &app;
        const char* layers[] = {"VK_LAYER_KHRONOS_validation"};
        const char* extensions[] = {VK_EXT_DEBUG_UTILS_EXTENSION_NAME};
        VkDebugUtilsMessengerCreateInfoEXT messenger{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
        messenger.messageSeverity =
            VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
        // Validation and performance findings; not the loader's general chatter ("Found no
        // drivers!" is how a machine without Vulkan looks, reported as such below).
        messenger.messageType =
            VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
        messenger.pfnUserCallback = on_validation_message;
        const bool want_validation = env_on("PONDER_VULKAN_VALIDATION");
        VkResult r = VK_ERROR_INITIALIZATION_FAILED;
        if (want_validation) {
            ci.enabledLayerCount = 1;
            ci.ppEnabledLayerNames = layers;
            ci.enabledExtensionCount = 1;
            ci.ppEnabledExtensionNames = extensions;
            ci.pNext = &messenger;  // messages of the instance's whole life go to the callback
            r = api.vkCreateInstance(&ci, nullptr, &inst.instance);
            if (r == VK_SUCCESS)
                inst.validation = true;
            else if (r == VK_ERROR_LAYER_NOT_PRESENT || r == VK_ERROR_EXTENSION_NOT_PRESENT)
                PONDER_LOG_WARN("vulkan: validation layer requested but unavailable (%s)", result_name(r));
            // (any other error, e.g. no driver at all, is the plain instance's to report below)
        }
        if (!inst.validation) {
            ci = VkInstanceCreateInfo{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
            ci.pApplicationInfo = &app;
            r = api.vkCreateInstance(&ci, nullptr, &inst.instance);
        }
        if (r == VK_ERROR_INCOMPATIBLE_DRIVER) {
            error = "no Vulkan driver found";
            return;
        }
        if (r != VK_SUCCESS) {
            error = strprintf("vkCreateInstance failed (%s)", result_name(r));
            return;
        }
        if (!load_instance_api(api, inst.instance)) {
            error = "the Vulkan loader lacks Vulkan 1.2 instance functions";
            return;
        }
        if (inst.validation) {
            // The pNext copy above covers instance creation only; this one the rest of its life.
            auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
                api.vkGetInstanceProcAddr(inst.instance, "vkCreateDebugUtilsMessengerEXT"));
            VkDebugUtilsMessengerEXT handle = VK_NULL_HANDLE;
            if (!create || create(inst.instance, &messenger, nullptr, &handle) != VK_SUCCESS)
                PONDER_LOG_WARN("vulkan: could not install the validation message callback");
        }
        std::uint32_t n = 0;
        api.vkEnumeratePhysicalDevices(inst.instance, &n, nullptr);
        std::vector<VkPhysicalDevice> pds(n);
        if (n > 0) api.vkEnumeratePhysicalDevices(inst.instance, &n, pds.data());
        for (VkPhysicalDevice pd : pds) inst.devices.push_back(survey(api, pd, inst.api_version));
        if (inst.devices.empty()) {
            error = "no Vulkan driver found";
            return;
        }
        ok = true;
    });
    if (!ok && why) *why = error;
    return ok ? &inst : nullptr;
}

}  // namespace ponder::vk
