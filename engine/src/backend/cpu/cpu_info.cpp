// cpu_info.cpp: host CPU description from /proc and the compiler's CPUID builtins.
#include "backend/cpu/cpu_info.h"

#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

namespace ponder::cpu {

namespace {

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string{} : s.substr(b, e - b + 1);
}

CpuInfo detect() {
    CpuInfo info;
    const unsigned hw = std::thread::hardware_concurrency();
    info.logical_cores = hw > 0 ? static_cast<int>(hw) : 1;
    info.physical_cores = info.logical_cores;

    std::ifstream cpuinfo("/proc/cpuinfo");
    std::set<std::pair<std::string, std::string>> cores;  // (physical id, core id)
    std::string line, physical_id;
    while (std::getline(cpuinfo, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::string key = trim(line.substr(0, colon));
        const std::string value = trim(line.substr(colon + 1));
        if ((key == "model name" || key == "Model" || key == "Hardware") && info.name.empty())
            info.name = value;
        else if (key == "physical id")
            physical_id = value;
        else if (key == "core id")
            cores.emplace(physical_id, value);
    }
    if (!cores.empty() && static_cast<int>(cores.size()) <= info.logical_cores)
        info.physical_cores = static_cast<int>(cores.size());
    if (info.name.empty()) info.name = "CPU";

    std::ifstream meminfo("/proc/meminfo");
    while (std::getline(meminfo, line)) {
        if (line.rfind("MemTotal:", 0) == 0) {
            std::istringstream in(line.substr(9));
            std::uint64_t kib = 0;
            in >> kib;
            info.memory_bytes = kib * 1024;
            break;
        }
    }

#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    info.avx2 = __builtin_cpu_supports("avx2");
    info.fma = __builtin_cpu_supports("fma");
    info.avx512f = __builtin_cpu_supports("avx512f");
    info.avx512bw = __builtin_cpu_supports("avx512bw");
    info.avx512vl = __builtin_cpu_supports("avx512vl");
    info.avx512vnni = __builtin_cpu_supports("avx512vnni");
    // F16C has no __builtin_cpu_supports name in gcc 12: CPUID leaf 1, ECX bit 29.
    unsigned eax = 1, ebx = 0, ecx = 0, edx = 0;
    __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "c"(0));
    info.f16c = (ecx >> 29) & 1u;
#elif defined(__aarch64__)
    info.neon = true;
#endif
    return info;
}

}  // namespace

const CpuInfo& cpu_info() {
    static const CpuInfo info = detect();
    return info;
}

}  // namespace ponder::cpu
