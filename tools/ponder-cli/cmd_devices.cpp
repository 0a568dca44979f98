// cmd_devices.cpp: `ponder-cli devices [--json]`: devices of every backend in this build, the CPU
// features the CPU backend uses, and what --backend auto would pick and why.
#include "commands.h"

#include "backend/cpu/cpu_info.h"
#include "backend/cpu/kernels.h"
#include "backend/cpu/thread_pool.h"

#include <ponder/engine.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace ponder::cli {

namespace {

std::vector<std::string> cpu_flags() {
    const cpu::CpuInfo& c = cpu::cpu_info();
    std::vector<std::string> f;
    const std::pair<bool, const char*> all[] = {{c.avx2, "avx2"},           {c.fma, "fma"},
                                                {c.f16c, "f16c"},           {c.avx512f, "avx512f"},
                                                {c.avx512bw, "avx512bw"},   {c.avx512vl, "avx512vl"},
                                                {c.avx512vnni, "avx512vnni"}, {c.neon, "neon"}};
    for (const auto& [on, name] : all)
        if (on) f.push_back(name);
    return f;
}

}  // namespace

int cmd_devices(Args& args) {
    const bool json = args.flag("--json");
    args.positional();
    const std::vector<DeviceInfo> devices = list_devices();
    const BackendChoice choice = choose_backend(BackendKind::Auto);
    const cpu::CpuInfo& c = cpu::cpu_info();
    const std::vector<std::string> flags = cpu_flags();
    const char* kernels = cpu::best_kernels().name;
    const int threads = cpu::default_thread_count(0);

    if (json) {
        nlohmann::ordered_json j;
        j["devices"] = nlohmann::json::array();
        for (const DeviceInfo& d : devices) {
            nlohmann::ordered_json e;
            e["backend"] = std::string(to_string(d.backend));
            e["index"] = d.index;
            e["name"] = d.name;
            e["memory_bytes"] = d.memory_bytes;
            e["discrete_gpu"] = d.discrete_gpu;
            if (d.backend == BackendKind::Cpu) {
                e["cpu_model"] = c.name;
                e["physical_cores"] = c.physical_cores;
                e["logical_cores"] = c.logical_cores;
                e["default_threads"] = threads;
                e["isa_flags"] = flags;
                e["kernels"] = kernels;
            }
            j["devices"].push_back(e);
        }
        j["auto"] = {{"backend", std::string(to_string(choice.backend))},
                     {"device_index", choice.device_index},
                     {"device_name", choice.device_name},
                     {"reason", choice.reason}};
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }

    for (const DeviceInfo& d : devices) {
        std::printf("%-6s #%d  %s\n", std::string(to_string(d.backend)).c_str(), d.index, d.name.c_str());
        std::printf("           memory: %.1f GiB%s\n", static_cast<double>(d.memory_bytes) / (1024.0 * 1024 * 1024),
                    d.discrete_gpu ? " (discrete GPU)" : "");
        if (d.backend == BackendKind::Cpu) {
            std::printf("           cores: %d physical, %d logical; default threads: %d\n", c.physical_cores,
                        c.logical_cores, threads);
            std::string f;
            for (const std::string& s : flags) f += (f.empty() ? "" : " ") + s;
            std::printf("           ISA flags used: %s\n", f.empty() ? "(none: portable scalar kernels)" : f.c_str());
            std::printf("           kernels: %s\n", kernels);
        }
    }
    std::printf("auto: %s\n", choice.reason.c_str());
    return 0;
}

}  // namespace ponder::cli
