// cpu_device.cpp: the CPU's entry in the device list and its details for `ponder-cli devices`.
#include "backend/cpu/cpu_device.h"

#include "backend/cpu/cpu_info.h"
#include "backend/cpu/kernels.h"
#include "backend/cpu/thread_pool.h"
#include "util/error.h"

#include <utility>

namespace ponder::cpu {

DeviceInfo cpu_device_info() {
    const CpuInfo& c = cpu_info();
    DeviceInfo d;
    d.backend = BackendKind::Cpu;
    d.index = 0;
    d.name = strprintf("%s (%d cores)", c.name.c_str(), c.physical_cores);
    d.memory_bytes = c.memory_bytes;
    return d;
}

std::vector<DeviceDetail> cpu_device_details() {
    const CpuInfo& c = cpu_info();
    std::vector<std::string> flags;
    const std::pair<bool, const char*> all[] = {{c.avx2, "avx2"},
                                                {c.fma, "fma"},
                                                {c.f16c, "f16c"},
                                                {c.avx512f, "avx512f"},
                                                {c.avx512bw, "avx512bw"},
                                                {c.avx512vl, "avx512vl"},
                                                {c.avx512vnni, "avx512vnni"},
                                                {c.neon, "neon"}};
    for (const auto& [on, name] : all)
        if (on) flags.emplace_back(name);
    return {
        {"cpu_model", "model", c.name},
        {"physical_cores", "physical cores", std::int64_t{c.physical_cores}},
        {"logical_cores", "logical cores", std::int64_t{c.logical_cores}},
        {"default_threads", "default threads", std::int64_t{default_thread_count(0)}},
        {"isa_flags", "ISA flags used", flags},
        {"kernels", "kernels", std::string(best_kernels().name)},
    };
}

}  // namespace ponder::cpu
