// op_timer.h: optional per-op CPU-time accounting of the CPU backend (PONDER_CPU_PROFILE=1).
#pragma once

#include "backend/cpu/cpu_backend.h"

#include <ctime>

namespace ponder::cpu {

enum Op { kOpGetRows, kOpRmsNorm, kOpMatmul, kOpAdd, kOpRope, kOpStoreKv, kOpAttention, kOpSwiglu, kOpOther, kOpCount };
inline constexpr const char* kOpNames[kOpCount] = {"get_rows", "rms_norm",  "matmul", "add",  "rope",
                                                   "store_kv", "attention", "swiglu", "other"};

class OpTimer {
public:
    OpTimer(CpuBackend& b, Op op) : m_profile(b.m_profile.get()), m_op(op) {
        if (m_profile) m_start = now();
    }
    ~OpTimer() {
        if (!m_profile) return;
        m_profile->seconds[m_op] += now() - m_start;
        m_profile->calls[m_op] += 1;
    }
    OpTimer(const OpTimer&) = delete;
    OpTimer& operator=(const OpTimer&) = delete;

private:
    static double now() {
        timespec ts;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
    }
    CpuBackend::Profile* m_profile;
    Op m_op;
    double m_start = 0;
};

}  // namespace ponder::cpu
