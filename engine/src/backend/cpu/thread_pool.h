// thread_pool.h: the CPU backend's persistent worker threads (spin briefly, then sleep).
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ponder::cpu {

// A fixed set of threads that help with one parallel region at a time. The calling thread takes
// part too, so a pool of size 1 has no workers and runs everything inline.
//
// A region is a list of tasks handed out one at a time; the caller returns when every task has
// run, NOT when every worker has checked in. That matters on a shared machine: a worker the OS
// has not scheduled yet simply takes no task, instead of stalling the whole forward pass (with
// a classic barrier, one descheduled thread costs a scheduler time slice per op). Workers spin
// for a short while between regions (ops come in quick succession), then sleep on a futex.
class ThreadPool {
public:
    // background: workers lower their own OS priority when they start.
    explicit ThreadPool(int threads, bool background = false);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return static_cast<int>(m_workers.size()) + 1; }

    // Calls fn(task, thread) for task = 0 .. n_tasks - 1 on the caller and the workers; returns
    // when all have run. thread is in [0, size()), the caller is 0; a thread index is used by one
    // thread at a time, so per-thread scratch indexed by it is safe. The first exception thrown
    // by a task is rethrown here after every task has finished.
    void for_each_task(std::int64_t n_tasks, const std::function<void(std::int64_t task, int thread)>& fn);

private:
    // The claim word packs [generation:24][task count:20][next task:20] so that a worker that
    // wakes late can never claim a task of a newer region with an older region's view.
    static constexpr int kIndexBits = 20;
    static constexpr std::uint64_t kIndexMask = (std::uint64_t{1} << kIndexBits) - 1;

    void worker_loop(int index);
    // Claims and runs tasks of region `gen` until none is left.
    void drain(std::uint32_t gen, int thread);

    std::vector<std::thread> m_workers;
    const std::function<void(std::int64_t, int)>* m_job = nullptr;
    std::atomic<std::uint64_t> m_claim{0};
    std::atomic<std::uint32_t> m_generation{0};  // futex word the workers sleep on
    std::atomic<std::int64_t> m_done{0};         // tasks finished in the current region
    std::atomic<bool> m_stop{false};
    std::mutex m_error_mutex;
    std::exception_ptr m_error;
};

// Threads to use for `requested` (0 = one per physical core, at least 1).
int default_thread_count(int requested);

}  // namespace ponder::cpu
