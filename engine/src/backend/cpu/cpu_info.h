// cpu_info.h: what the host CPU is (name, cores, RAM, SIMD features), read once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ponder::cpu {

struct CpuInfo {
    std::string name;  // "AMD EPYC" (/proc/cpuinfo "model name")
    int logical_cores = 1;
    int physical_cores = 1;          // distinct (package, core id) pairs; logical when unknown
    std::uint64_t memory_bytes = 0;  // MemTotal
    bool avx2 = false, fma = false, f16c = false;
    bool avx512f = false, avx512bw = false, avx512vl = false, avx512vnni = false;
    bool neon = false;
};

const CpuInfo& cpu_info();

}  // namespace ponder::cpu
