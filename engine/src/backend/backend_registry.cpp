// backend_registry.cpp: the one place that knows which backends this build has, lists devices,
// and resolves BackendKind::Auto. Vulkan registers here under PONDER_HAVE_VULKAN; CUDA will, under
// PONDER_HAVE_CUDA, when its backend lands.
#include "backend/backend_registry.h"

#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/cpu_device.h"
#if defined(PONDER_HAVE_VULKAN)
#include "backend/vulkan/vulkan_device.h"
#endif
#include "util/error.h"

#include <cctype>

namespace ponder {

std::string_view to_string(BackendKind kind) {
    switch (kind) {
    case BackendKind::Auto: return "auto";
    case BackendKind::Cpu: return "cpu";
    case BackendKind::Vulkan: return "vulkan";
    case BackendKind::Cuda: return "cuda";
    }
    return "?";
}

std::optional<BackendKind> parse_backend_kind(std::string_view name) {
    std::string lower;
    for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (BackendKind k : {BackendKind::Auto, BackendKind::Cpu, BackendKind::Vulkan, BackendKind::Cuda})
        if (lower == to_string(k)) return k;
    return std::nullopt;
}

namespace {

DeviceInfo cpu_device() { return cpu::cpu_device_info(); }

std::string gib(std::uint64_t bytes) {
    return strprintf("%.1f GiB", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
}

#if defined(PONDER_HAVE_VULKAN)
std::string vulkan_words(const DeviceInfo& d) {
    return "Vulkan: " + d.name + ", " + gib(d.memory_bytes) + (d.memory_is_free ? " free" : "");
}
#endif

}  // namespace

std::vector<DeviceInfo> list_devices() {
    std::vector<DeviceInfo> devices;
    // GPU backends add their devices here, before the CPU.
#if defined(PONDER_HAVE_VULKAN)
    try {
        for (const vk::VulkanDevice& d : vk::vulkan_devices(nullptr)) devices.push_back(d.info);
    } catch (...) {
        // a broken driver: no Vulkan devices
    }
#endif
    try {
        devices.push_back(cpu_device());
    } catch (...) {
        DeviceInfo d;
        d.name = "CPU";
        devices.push_back(d);
    }
    return devices;
}

BackendChoice choose_backend(BackendKind requested, int device_index) {
    BackendChoice choice;
    const DeviceInfo cpu = cpu_device();
    choice.backend = BackendKind::Cpu;
    choice.device_index = 0;
    choice.device_name = cpu.name;
#if defined(PONDER_HAVE_VULKAN)
    // Only a request that may end on Vulkan opens the driver: `cpu` must not pay for it (a
    // software driver such as lavapipe maps tens of MB of LLVM).
    std::string why_no_vulkan;
    std::vector<vk::VulkanDevice> vulkan;
    if (requested == BackendKind::Auto || requested == BackendKind::Vulkan) {
        try {
            vulkan = vk::vulkan_devices(&why_no_vulkan);
        } catch (const std::exception& e) {
            why_no_vulkan = e.what();
        }
    }
    auto pick_vulkan = [&](const vk::VulkanDevice& d, const char* why, BackendReason code) {
        choice.backend = BackendKind::Vulkan;
        choice.device_index = d.info.index;
        choice.device_name = d.info.name;
        choice.device_memory_bytes = d.info.memory_bytes;
        choice.reason = vulkan_words(d.info) + " (" + why + ")";
        choice.reason_code = code;
    };
#endif
    switch (requested) {
    case BackendKind::Auto: {
#if defined(PONDER_HAVE_VULKAN)
        // CUDA would come first on NVIDIA; then the best discrete GPU, then an integrated one.
        // A software Vulkan device (lavapipe) is never faster than the CPU backend.
        const vk::VulkanDevice* best = nullptr;
        for (const vk::VulkanDevice& d : vulkan)
            if (d.info.discrete_gpu &&
                (!best || !best->info.discrete_gpu || d.info.memory_bytes > best->info.memory_bytes))
                best = &d;
        if (!best)
            for (const vk::VulkanDevice& d : vulkan)
                if (d.integrated) {
                    best = &d;
                    break;
                }
        if (best) {
            pick_vulkan(*best, best->info.discrete_gpu ? "auto: discrete GPU" : "auto: integrated GPU",
                        best->info.discrete_gpu ? BackendReason::AutoDiscreteGpu : BackendReason::AutoIntegratedGpu);
            break;
        }
        if (!vulkan.empty()) {
            choice.reason = "CPU: " + cpu.name + " (auto: the only Vulkan device, " + vulkan.front().info.name +
                            ", is a software renderer)";
            choice.reason_code = BackendReason::AutoSoftwareGpuOnly;
            choice.reason_args = {vulkan.front().info.name};
        } else {
            choice.reason = "CPU: " + cpu.name + " (auto: " + why_no_vulkan + ")";
            choice.reason_code = BackendReason::AutoNoGpu;
            choice.reason_args = {why_no_vulkan};
        }
#else
        choice.reason = "CPU: " + cpu.name + " (auto: this build has no GPU backend)";
        choice.reason_code = BackendReason::NoGpuBackendBuilt;
#endif
        break;
    }
    case BackendKind::Cpu:
        choice.reason = "CPU: " + cpu.name + " (requested)";
        choice.reason_code = BackendReason::Requested;
        if (device_index != 0) {
            choice.reason += strprintf("; device %d does not exist, using 0", device_index);
            choice.reason_code = BackendReason::RequestedDeviceMissing;
            choice.reason_args = {std::to_string(device_index), "1"};
        }
        break;
    case BackendKind::Vulkan:
#if defined(PONDER_HAVE_VULKAN)
        if (device_index >= 0 && device_index < static_cast<int>(vulkan.size())) {
            pick_vulkan(vulkan[static_cast<std::size_t>(device_index)], "requested", BackendReason::Requested);
            break;
        }
        if (vulkan.empty()) {
            choice.reason = "CPU: " + cpu.name + " (vulkan requested, but " + why_no_vulkan + ")";
            choice.reason_code = BackendReason::GpuUnavailable;
            choice.reason_args = {"vulkan", why_no_vulkan};
        } else {
            choice.reason = "CPU: " + cpu.name +
                            strprintf(" (vulkan device %d requested, but only %zu found)", device_index, vulkan.size());
            choice.reason_code = BackendReason::RequestedDeviceMissing;
            choice.reason_args = {std::to_string(device_index), std::to_string(vulkan.size())};
        }
        break;
#else
        [[fallthrough]];
#endif
    case BackendKind::Cuda:
        choice.reason = "CPU: " + cpu.name + " (" + std::string(to_string(requested)) +
                        " requested, but this build has no " + std::string(to_string(requested)) + " backend)";
        choice.reason_code = BackendReason::BackendNotBuilt;
        choice.reason_args = {std::string(to_string(requested))};
        break;
    }
    return choice;
}

std::unique_ptr<Backend> create_backend(BackendKind kind, int device_index, const BackendOptions& options) {
    const BackendChoice choice = choose_backend(kind, device_index);
    if (choice.backend == BackendKind::Cpu) return std::make_unique<cpu::CpuBackend>(options);
#if defined(PONDER_HAVE_VULKAN)
    if (choice.backend == BackendKind::Vulkan) return vk::create_vulkan_backend(choice.device_index);
#endif
    fail("backend %s is not available in this build", std::string(to_string(choice.backend)).c_str());
}

std::vector<DeviceDetail> device_details(const DeviceInfo& device) {
    switch (device.backend) {
    case BackendKind::Cpu: return cpu::cpu_device_details();
#if defined(PONDER_HAVE_VULKAN)
    case BackendKind::Vulkan: return vk::vulkan_device_details(device.index);
#endif
    default: return {};
    }
}

std::vector<BackendVariant> backend_variants() {
    std::vector<BackendVariant> out;
    for (const cpu::KernelSet* ks : cpu::usable_kernel_sets()) {
        out.push_back({std::string("cpu-") + ks->name, [ks](int threads) -> std::unique_ptr<Backend> {
                           BackendOptions o;
                           o.threads = threads;
                           return std::make_unique<cpu::CpuBackend>(o, ks);
                       }});
    }
#if defined(PONDER_HAVE_VULKAN)
    try {
        for (const vk::VulkanDevice& d : vk::vulkan_devices(nullptr)) {
            const int index = d.info.index;
            out.push_back({strprintf("vulkan-%d", index), [index](int) { return vk::create_vulkan_backend(index); }});
        }
    } catch (...) {}
#endif
    return out;
}

}  // namespace ponder
