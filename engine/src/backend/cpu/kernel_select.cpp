// kernel_select.cpp: which kernel tables this CPU can run, and the one the backend uses
// (PONDER_CPU_ISA can pick a lower one).
#include "backend/cpu/kernels.h"

#include "backend/cpu/cpu_info.h"
#include "util/log.h"

#include <cstdlib>
#include <cstring>

namespace ponder::cpu {

std::vector<const KernelSet*> usable_kernel_sets() {
    std::vector<const KernelSet*> sets{&scalar_kernels()};
    const CpuInfo& c = cpu_info();
    if (const KernelSet* k = avx2_kernels(); k && c.avx2 && c.fma && c.f16c) sets.push_back(k);
    if (const KernelSet* k = avx512_kernels();
        k && c.avx2 && c.fma && c.f16c && c.avx512f && c.avx512bw && c.avx512vl && c.avx512vnni)
        sets.push_back(k);
    return sets;
}

const KernelSet& best_kernels() {
    // PONDER_CPU_ISA=scalar|avx2|avx512 picks a lower table than the CPU could run, e.g. to
    // measure what a user without AVX-512 gets; a table this CPU cannot run is refused, loudly.
    static const KernelSet* best = [] {
        const KernelSet* fastest = usable_kernel_sets().back();
        const char* want = std::getenv("PONDER_CPU_ISA");
        if (!want || !*want) return fastest;
        if (const KernelSet* k = find_kernel_set(want)) return k;
        PONDER_LOG_WARN("PONDER_CPU_ISA=%s is not a kernel table this CPU can run; using %s", want, fastest->name);
        return fastest;
    }();
    return *best;
}

const KernelSet* find_kernel_set(const char* name) {
    for (const KernelSet* k : usable_kernel_sets())
        if (std::strcmp(k->name, name) == 0) return k;
    return nullptr;
}

#if !(defined(__x86_64__) || defined(__i386__))
const KernelSet* avx2_kernels() { return nullptr; }
const KernelSet* avx512_kernels() { return nullptr; }
#endif

}  // namespace ponder::cpu
