// read_bandwidth.cpp: a plain streaming-read probe (sum of 64-bit words, several accumulators).
#include "backend/cpu/read_bandwidth.h"

#include "util/aligned_memory.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace ponder::cpu {

namespace {

std::uint64_t sum_words(const std::uint64_t* p, std::size_t n) {
    // Eight independent sums: one would make every load wait for the previous add.
    std::uint64_t s[8] = {};
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k) s[k] += p[i + k];
    for (; i < n; ++i) s[0] += p[i];
    std::uint64_t total = 0;
    for (std::uint64_t v : s) total += v;
    return total;
}

}  // namespace

double measure_read_bandwidth(int threads, std::size_t bytes) {
    threads = std::max(1, threads);
    const std::size_t words = bytes / sizeof(std::uint64_t);
    // The engine keeps big buffers in 2 MiB pages where it can; so does the probe, or it would
    // measure TLB misses the engine does not have.
    constexpr std::size_t kHuge = std::size_t{2} << 20;
    const std::size_t rounded = (words * sizeof(std::uint64_t) + kHuge - 1) / kHuge * kHuge;
    std::unique_ptr<std::uint64_t, decltype(&aligned_release)> mem(
        static_cast<std::uint64_t*>(aligned_allocate(kHuge, rounded)), &aligned_release);
    if (!mem) return 0;
#if defined(__linux__)
    madvise(mem.get(), rounded, MADV_HUGEPAGE);
#endif
    std::uint64_t* const data = mem.get();
    std::fill(data, data + words, std::uint64_t{1});  // written once, so every page is really there
    std::vector<std::uint64_t> sums(static_cast<std::size_t>(threads));
    double best = 0;
    for (int pass = 0; pass < 3; ++pass) {
        const auto t0 = std::chrono::steady_clock::now();
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&, t] {
                const std::size_t begin = words * t / threads, end = words * (t + 1) / threads;
                sums[static_cast<std::size_t>(t)] = sum_words(data + begin, end - begin);
            });
        for (std::thread& th : pool) th.join();
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        // The sums must be used, or the reads could be optimised away.
        std::uint64_t total = 0;
        for (std::uint64_t v : sums) total += v;
        if (total != words) return 0;
        best = std::max(best, static_cast<double>(words * sizeof(std::uint64_t)) / s / 1e9);
    }
    return best;
}

}  // namespace ponder::cpu
