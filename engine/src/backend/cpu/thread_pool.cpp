// thread_pool.cpp: spin-then-futex worker threads for the CPU backend.
#include "backend/cpu/thread_pool.h"

#include "backend/cpu/cpu_info.h"

#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define PONDER_CPU_RELAX() _mm_pause()
#else
#define PONDER_CPU_RELAX() std::this_thread::yield()
#endif

namespace ponder::cpu {

namespace {
// About 100 us of spinning: long enough to bridge the gap between two ops of one forward pass,
// short enough not to steal a shared machine's cores while a model sits idle.
constexpr int kSpinIterations = 20000;
}  // namespace

int default_thread_count(int requested) {
    if (requested > 0) return requested;
    const int cores = cpu_info().physical_cores;
    return cores > 0 ? cores : 1;
}

ThreadPool::ThreadPool(int threads) {
    if (threads < 1) threads = 1;
    m_workers.reserve(static_cast<std::size_t>(threads - 1));
    for (int i = 1; i < threads; ++i) m_workers.emplace_back([this, i] { worker_loop(i); });
}

ThreadPool::~ThreadPool() {
    m_stop.store(true, std::memory_order_release);
    m_generation.fetch_add(1, std::memory_order_acq_rel);
    m_generation.notify_all();
    for (std::thread& t : m_workers) t.join();
}

void ThreadPool::execute(int index) {
    try {
        (*m_job)(index);
    } catch (...) {
        std::lock_guard lock(m_error_mutex);
        if (!m_error) m_error = std::current_exception();
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
        execute(index);
        if (m_pending.fetch_sub(1, std::memory_order_acq_rel) == 1) m_pending.notify_one();
    }
}

void ThreadPool::run(const std::function<void(int)>& fn) {
    if (m_workers.empty()) {
        fn(0);
        return;
    }
    m_job = &fn;
    m_error = nullptr;
    m_pending.store(static_cast<int>(m_workers.size()), std::memory_order_release);
    m_generation.fetch_add(1, std::memory_order_acq_rel);
    m_generation.notify_all();
    execute(0);
    int left = m_pending.load(std::memory_order_acquire);
    for (int spin = 0; left != 0 && spin < kSpinIterations; ++spin) {
        PONDER_CPU_RELAX();
        left = m_pending.load(std::memory_order_acquire);
    }
    while (left != 0) {
        m_pending.wait(left, std::memory_order_acquire);
        left = m_pending.load(std::memory_order_acquire);
    }
    m_job = nullptr;
    if (m_error) {
        std::exception_ptr e = m_error;
        m_error = nullptr;
        std::rethrow_exception(e);
    }
}

void ThreadPool::for_each_task(std::int64_t n_tasks, const std::function<void(std::int64_t, int)>& fn) {
    if (n_tasks <= 0) return;
    if (n_tasks == 1 || m_workers.empty()) {
        for (std::int64_t i = 0; i < n_tasks; ++i) fn(i, 0);
        return;
    }
    m_next_task.store(0, std::memory_order_relaxed);
    run([&](int thread) {
        for (;;) {
            const std::int64_t task = m_next_task.fetch_add(1, std::memory_order_relaxed);
            if (task >= n_tasks) return;
            fn(task, thread);
        }
    });
}

}  // namespace ponder::cpu
