// thread_pool_test.cpp: the CPU backend's task pool runs every task exactly once, reports
// exceptions, and survives many back-to-back regions (the forward pass pattern).
#include "backend/cpu/thread_pool.h"

#include <gtest/gtest.h>

#if defined(__linux__)
#include <sys/resource.h>
#include <unistd.h>
#endif

#include <ponder/engine.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace ponder::cpu {
namespace {

TEST(ThreadPool, EveryTaskRunsExactlyOnce) {
    for (int threads : {1, 2, 3}) {
        ThreadPool pool(threads);
        EXPECT_EQ(pool.size(), threads);
        for (std::int64_t n : {1, 2, 7, 1000}) {
            std::vector<std::atomic<int>> hits(static_cast<std::size_t>(n));
            std::atomic<int> bad_thread{0};
            pool.for_each_task(n, [&](std::int64_t t, int thread) {
                hits[static_cast<std::size_t>(t)].fetch_add(1);
                if (thread < 0 || thread >= threads) bad_thread.fetch_add(1);
            });
            for (auto& h : hits) ASSERT_EQ(h.load(), 1) << "threads " << threads << " n " << n;
            EXPECT_EQ(bad_thread.load(), 0);
        }
    }
}

TEST(ThreadPool, ManyShortRegionsInARow) {
    ThreadPool pool(2);
    std::int64_t total = 0;
    std::vector<std::int64_t> per_thread(2);
    for (int region = 0; region < 20000; ++region) {
        per_thread.assign(2, 0);
        pool.for_each_task(3,
                           [&](std::int64_t t, int thread) { per_thread[static_cast<std::size_t>(thread)] += t + 1; });
        total += per_thread[0] + per_thread[1];
    }
    EXPECT_EQ(total, 20000 * 6);
}

TEST(ThreadPool, ExceptionReachesTheCallerAfterAllTasks) {
    ThreadPool pool(2);
    std::atomic<int> ran{0};
    EXPECT_THROW(pool.for_each_task(50,
                                    [&](std::int64_t t, int) {
                                        ran.fetch_add(1);
                                        if (t == 13) throw std::runtime_error("task 13");
                                    }),
                 std::runtime_error);
    EXPECT_EQ(ran.load(), 50);
    // The pool is still usable afterwards.
    std::atomic<int> again{0};
    pool.for_each_task(10, [&](std::int64_t, int) { again.fetch_add(1); });
    EXPECT_EQ(again.load(), 10);
}

TEST(ThreadPool, DefaultThreadCount) {
    EXPECT_EQ(default_thread_count(3), 3);
    EXPECT_GE(default_thread_count(0), 1);
}

}  // namespace

#if defined(__linux__)
int own_nice() { return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())); }

// The app's engine threads yield to its UI thread: the helper lowers only the calling thread.
TEST(ThreadPriority, LowerCurrentThreadPriorityLowersOnlyThatThread) {
    const int main_before = own_nice();
    int before = 0, after = 0;
    std::thread t([&] {
        before = own_nice();
        lower_current_thread_priority();
        after = own_nice();
    });
    t.join();
    EXPECT_EQ(after, std::min(19, before + 2));
    EXPECT_EQ(own_nice(), main_before);
}

// Background pools' workers run at the lower priority; the calling thread keeps its own.
TEST(ThreadPriority, BackgroundPoolWorkersRunLowered) {
    const int caller = own_nice();
    for (bool background : {false, true}) {
        ThreadPool pool(3, background);
        std::mutex m;
        std::vector<int> worker_nice;
        // Enough slow tasks that the workers take some.
        pool.for_each_task(64, [&](std::int64_t, int thread) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            if (thread != 0) {
                std::lock_guard lock(m);
                worker_nice.push_back(own_nice());
            }
        });
        ASSERT_FALSE(worker_nice.empty());
        for (int n : worker_nice)
            EXPECT_EQ(n, background ? std::min(19, caller + 2) : caller) << "background " << background;
        EXPECT_EQ(own_nice(), caller);
    }
}
#endif

}  // namespace ponder::cpu
