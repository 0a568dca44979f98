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

// A fixed set of threads that run one parallel region at a time. The calling thread takes part
// as thread 0, so a pool of size 1 has no workers and runs everything inline. Workers spin for a
// short while after a region (ops come in quick succession during a forward pass), then block
// on a futex so an idle model costs no CPU.
class ThreadPool {
public:
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return static_cast<int>(m_workers.size()) + 1; }

    // Runs fn(thread_index) on every thread and returns when all have finished. The first
    // exception thrown by any thread is rethrown here (after all threads are done).
    void run(const std::function<void(int thread)>& fn);

    // Calls fn(task, thread) for task = 0 .. n_tasks - 1, handing tasks out dynamically
    // (threads that run faster take more; matters on a shared, noisy machine).
    void for_each_task(std::int64_t n_tasks, const std::function<void(std::int64_t task, int thread)>& fn);

private:
    void worker_loop(int index);
    void execute(int index);

    std::vector<std::thread> m_workers;
    const std::function<void(int)>* m_job = nullptr;
    std::atomic<std::uint32_t> m_generation{0};  // bumped to start a region
    std::atomic<int> m_pending{0};               // workers still inside the current region
    std::atomic<bool> m_stop{false};
    std::atomic<std::int64_t> m_next_task{0};
    std::mutex m_error_mutex;
    std::exception_ptr m_error;
};

// Threads to use for `requested` (0 = one per physical core, at least 1).
int default_thread_count(int requested);

}  // namespace ponder::cpu
