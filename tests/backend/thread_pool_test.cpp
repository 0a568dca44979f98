// thread_pool_test.cpp: the CPU backend's task pool runs every task exactly once, reports
// exceptions, and survives many back-to-back regions (the forward pass pattern).
#include "backend/cpu/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
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
        pool.for_each_task(3, [&](std::int64_t t, int thread) { per_thread[static_cast<std::size_t>(thread)] += t + 1; });
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
}  // namespace ponder::cpu
