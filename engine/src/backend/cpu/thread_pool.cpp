// thread_pool.cpp: task-claiming worker threads for the CPU backend (no barrier on workers).
#include "backend/cpu/thread_pool.h"

#include "backend/cpu/cpu_info.h"

#include <ponder/engine.h>

#include <sched.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define PONDER_CPU_RELAX() _mm_pause()
#else
#define PONDER_CPU_RELAX() std::this_thread::yield()
#endif

namespace ponder::cpu {

namespace {
// ~50-100 us of spinning: bridges the gap between two ops of one forward pass without holding a
// shared machine's cores while a model sits idle.
constexpr int kSpinIterations = 8000;
}  // namespace

int default_thread_count(int requested) {
    if (requested > 0) return requested;
    const int cores = cpu_info().physical_cores;
    return cores > 0 ? cores : 1;
}

ThreadPool::ThreadPool(int threads, bool background) {
    if (threads < 1) threads = 1;
    m_workers.reserve(static_cast<std::size_t>(threads - 1));
    for (int i = 1; i < threads; ++i)
        m_workers.emplace_back([this, i, background] {
            if (background) lower_current_thread_priority();
            worker_loop(i);
        });
}

ThreadPool::~ThreadPool() {
    m_stop.store(true, std::memory_order_release);
    m_generation.fetch_add(1, std::memory_order_acq_rel);
    m_generation.notify_all();
    for (std::thread& t : m_workers) t.join();
}

void ThreadPool::drain(std::uint32_t gen, int thread) {
    const std::uint64_t gen_bits = static_cast<std::uint64_t>(gen & 0xFFFFFFu) << (2 * kIndexBits);
    std::uint64_t v = m_claim.load(std::memory_order_acquire);
    for (;;) {
        if ((v >> (2 * kIndexBits)) << (2 * kIndexBits) != gen_bits) return;  // another region
        const std::uint64_t next = v & kIndexMask;
        const std::uint64_t count = (v >> kIndexBits) & kIndexMask;
        if (next >= count) return;
        if (!m_claim.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel, std::memory_order_acquire)) continue;
        // The task is ours: the region (and m_job) stays alive until we report it done.
        try {
            (*m_job)(static_cast<std::int64_t>(next), thread);
        } catch (...) {
            std::lock_guard lock(m_error_mutex);
            if (!m_error) m_error = std::current_exception();
        }
        m_done.fetch_add(1, std::memory_order_acq_rel);
        v = m_claim.load(std::memory_order_acquire);
    }
}

void ThreadPool::worker_loop(int index) {
    std::uint32_t seen = 0;
    for (;;) {
        std::uint32_t gen = m_generation.load(std::memory_order_acquire);
        for (int spin = 0; gen == seen && spin < kSpinIterations; ++spin) {
            PONDER_CPU_RELAX();
            gen = m_generation.load(std::memory_order_acquire);
        }
        while (gen == seen) {
            m_generation.wait(seen, std::memory_order_acquire);
            gen = m_generation.load(std::memory_order_acquire);
        }
        seen = gen;
        if (m_stop.load(std::memory_order_acquire)) return;
        drain(gen, index);
    }
}

void ThreadPool::for_each_task(std::int64_t n_tasks, const std::function<void(std::int64_t, int)>& fn) {
    if (n_tasks <= 0) return;
    if (n_tasks == 1 || m_workers.empty()) {
        for (std::int64_t i = 0; i < n_tasks; ++i) fn(i, 0);
        return;
    }
    // Regions larger than the claim word can count are run as several regions.
    if (n_tasks > static_cast<std::int64_t>(kIndexMask)) {
        for (std::int64_t base = 0; base < n_tasks; base += static_cast<std::int64_t>(kIndexMask)) {
            const std::int64_t count = std::min<std::int64_t>(static_cast<std::int64_t>(kIndexMask), n_tasks - base);
            for_each_task(count, [&](std::int64_t t, int thread) { fn(base + t, thread); });
        }
        return;
    }
    m_job = &fn;
    m_error = nullptr;
    m_done.store(0, std::memory_order_relaxed);
    const std::uint32_t gen = m_generation.load(std::memory_order_relaxed) + 1;
    m_claim.store((static_cast<std::uint64_t>(gen & 0xFFFFFFu) << (2 * kIndexBits)) |
                      (static_cast<std::uint64_t>(n_tasks) << kIndexBits),
                  std::memory_order_release);
    m_generation.store(gen, std::memory_order_release);
    m_generation.notify_all();
    drain(gen, 0);
    // Every task is claimed; wait for the ones workers are still running.
    for (int spin = 0; m_done.load(std::memory_order_acquire) != n_tasks; ++spin) {
        if (spin < kSpinIterations)
            PONDER_CPU_RELAX();
        else
            sched_yield();
    }
    m_job = nullptr;
    if (m_error) {
        std::exception_ptr e = m_error;
        m_error = nullptr;
        std::rethrow_exception(e);
    }
}

}  // namespace ponder::cpu
