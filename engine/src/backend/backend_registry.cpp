// backend_registry.cpp: the one place that knows which backends this build has, lists devices,
// and resolves BackendKind::Auto. Vulkan/CUDA register here (under PONDER_HAVE_VULKAN /
// PONDER_HAVE_CUDA compile definitions) when their backends land.
#include "backend/backend_registry.h"

#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/cpu_device.h"
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

}  // namespace

std::vector<DeviceInfo> list_devices() {
    std::vector<DeviceInfo> devices;
    // GPU backends add their devices here, before the CPU.
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
    switch (requested) {
        case BackendKind::Auto:
            choice.reason = "CPU: " + cpu.name + " (auto: this build has no GPU backend)";
            break;
        case BackendKind::Cpu:
            choice.reason = "CPU: " + cpu.name + " (requested)";
            if (device_index != 0) choice.reason += strprintf("; device %d does not exist, using 0", device_index);
            break;
        case BackendKind::Vulkan:
        case BackendKind::Cuda:
            choice.reason = "CPU: " + cpu.name + " (" + std::string(to_string(requested)) +
                            " requested, but this build has no " + std::string(to_string(requested)) + " backend)";
            break;
    }
    return choice;
}

std::unique_ptr<Backend> create_backend(BackendKind kind, int device_index, const BackendOptions& options) {
    const BackendChoice choice = choose_backend(kind, device_index);
    if (choice.backend == BackendKind::Cpu) return std::make_unique<cpu::CpuBackend>(options);
    fail("backend %s is not available in this build", std::string(to_string(choice.backend)).c_str());
}

std::vector<DeviceDetail> device_details(const DeviceInfo& device) {
    switch (device.backend) {
        case BackendKind::Cpu: return cpu::cpu_device_details();
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
    return out;
}

}  // namespace ponder
