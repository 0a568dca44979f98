// quant_bench.cpp: throughput of the reference quantizers/dequantizers (not a test; prints MB/s
// of f32 input or output). Usage: quant_bench [n_values, default 4M]
#include "quant/dequantize.h"
#include "quant/quantize.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using namespace ponder;

namespace {

template <class F>
double seconds_per_run(F&& f) {
    f();  // warm-up
    int runs = 0;
    const auto t0 = std::chrono::steady_clock::now();
    double elapsed = 0;
    do {
        f();
        ++runs;
        elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    } while (elapsed < 0.3);
    return elapsed / runs;
}

}  // namespace

int main(int argc, char** argv) {
    const std::int64_t n = argc > 1 ? std::atoll(argv[1]) / 256 * 256 : (std::int64_t{1} << 22);
    std::vector<float> x(static_cast<std::size_t>(n)), y(x.size());
    std::mt19937 rng(1);
    std::normal_distribution<float> dist;
    for (float& v : x) v = dist(rng);
    const double mb = static_cast<double>(n) * 4.0 / 1e6;
    std::printf("%lld values (%.1f MB of f32) per run\n", static_cast<long long>(n), mb);
    std::printf("%-8s %14s %16s\n", "type", "quantize MB/s", "dequantize MB/s");
    for (DType t : {DType::Q8_0, DType::Q8_K, DType::Q4_0, DType::Q5_0, DType::Q4_K, DType::Q5_K, DType::Q6_K,
                    DType::IQ4_NL, DType::F16, DType::BF16}) {
        std::vector<std::uint8_t> q(row_bytes(t, n));
        const double tq = seconds_per_run([&] { quantize_row(t, x.data(), q.data(), n); });
        const double td = seconds_per_run([&] { dequantize_row(t, q.data(), y.data(), n); });
        std::printf("%-8s %14.0f %16.0f\n", std::string(to_string(t)).c_str(), mb / tq, mb / td);
    }
    return 0;
}
