// backend_bench.cpp: kernel benchmark for the backends (not a test). Prints, per weight type,
// generation-style matrix-vector bandwidth (GB/s over a weight set larger than the caches, as in
// a real forward pass), prompt-style matmul throughput (GFLOP/s at 512 tokens), and attention
// timings at depth. Usage: backend_bench [--threads N] [--variant cpu-avx512] [--types Q4_K,Q8_0]
//                                        [--rows R --cols C] [--tokens T] [--mb MB] [--cpu-time]
#include "backend_test_util.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

using namespace ponder;
using namespace ponder::test;

namespace {

// Wall time, or with --cpu-time the process's CPU time: on a shared, overloaded machine a
// single-threaded run's CPU time shows what the kernel costs when it actually has the core.
bool g_cpu_time = false;
double now_s() {
    if (g_cpu_time) {
        timespec ts;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::vector<DType> parse_types(const std::string& list) {
    std::vector<DType> out;
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = list.find(',', start);
        const std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (auto t = parse_dtype(name))
            out.push_back(*t);
        else
            std::fprintf(stderr, "unknown type %s\n", name.c_str());
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    int threads = 2, tokens = 512;
    std::int64_t rows = 4864, cols = 896;
    double set_mb = 256;
    std::string variant, types = "F32,F16,BF16,Q4_0,Q4_1,Q5_0,Q5_1,Q8_0,Q2_K,Q3_K,Q4_K,Q5_K,Q6_K,IQ4_NL,IQ4_XS";
    bool attention = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--threads")
            threads = std::atoi(next().c_str());
        else if (a == "--variant")
            variant = next();
        else if (a == "--types")
            types = next();
        else if (a == "--rows")
            rows = std::atoll(next().c_str());
        else if (a == "--cols")
            cols = std::atoll(next().c_str());
        else if (a == "--tokens")
            tokens = std::atoi(next().c_str());
        else if (a == "--mb")
            set_mb = std::atof(next().c_str());
        else if (a == "--no-attention")
            attention = false;
        else if (a == "--cpu-time")
            g_cpu_time = true;
        else {
            std::fprintf(stderr, "unknown option %s\n", a.c_str());
            return 2;
        }
    }
    std::unique_ptr<Backend> b;
    for (const BackendVariant& v : backend_variants())
        if (variant.empty() || v.name == variant) b = v.create(threads);  // last = fastest by default
    if (!b) {
        std::fprintf(stderr, "no backend variant %s\n", variant.c_str());
        return 1;
    }
    std::printf(
        "%s; backend %s, %d threads; matrix [%lld x %lld]; weight set %.0f MB for matvec; %d tokens for matmul\n",
        g_cpu_time ? "CPU time" : "wall time", b->device_name().c_str(), threads, static_cast<long long>(rows),
        static_cast<long long>(cols), set_mb, tokens);
    std::printf("%-7s %12s %12s %14s\n", "type", "matvec GB/s", "matvec us", "matmul GFLOP/s");

    const auto x = random_floats(static_cast<std::size_t>(tokens) * cols, 1);
    const Tensor xt = upload_f32(*b, x, tokens, cols);
    const Tensor out = b->alloc(DType::F32, tokens, rows);
    for (DType type : parse_types(types)) {
        if (cols % type_info(type).block_elems != 0) {
            std::printf("%-7s (cols not a multiple of the block size)\n", std::string(to_string(type)).c_str());
            continue;
        }
        const auto one = random_weights(type, rows, cols, 7);
        const std::size_t bytes = one.size();
        const int copies = std::max(1, static_cast<int>(set_mb * 1e6 / static_cast<double>(bytes)));
        std::vector<std::vector<std::uint8_t>> set(static_cast<std::size_t>(copies), one);
        std::vector<Tensor> ws;
        for (auto& w : set) ws.push_back(b->map_weights(w.data(), type, rows, cols));

        // Generation: one token against every matrix of a set larger than the caches.
        double best = 1e30;
        for (int rep = 0; rep < 5; ++rep) {
            const double t0 = now_s();
            for (const Tensor& w : ws) b->matmul(w, xt.slice_rows(0, 1), out.slice_rows(0, 1));
            b->finish();
            best = std::min(best, now_s() - t0);
        }
        const double gbs = static_cast<double>(bytes) * copies / best / 1e9;
        // Prompt: `tokens` tokens against one matrix.
        double best_mm = 1e30;
        for (int rep = 0; rep < 3; ++rep) {
            const double t0 = now_s();
            b->matmul(ws[0], xt, out);
            b->finish();
            best_mm = std::min(best_mm, now_s() - t0);
        }
        const double gflops = 2.0 * static_cast<double>(rows) * cols * tokens / best_mm / 1e9;
        std::printf("%-7s %12.3f %12.1f %14.3f\n", std::string(to_string(type)).c_str(), gbs, best / copies * 1e6,
                    gflops);
        std::fflush(stdout);
    }

    if (attention) {
        // qwen2-0.5b shape: 14 query heads, 2 KV heads, head_dim 64, F16 cache.
        const int n_heads = 14, n_kv = 2, hd = 64, ctx = 4096 + 512;
        const Tensor kc = b->alloc(DType::F16, ctx, n_kv * hd), vc = b->alloc(DType::F16, ctx, n_kv * hd);
        const auto kv = random_floats(static_cast<std::size_t>(ctx) * n_kv * hd, 3);
        const Tensor kvt = upload_f32(*b, kv, ctx, n_kv * hd);
        const StepPositions all = upload_positions(*b, 0, ctx);
        b->store_kv(kvt, kc, all);
        b->store_kv(kvt, vc, all);
        const auto q = random_floats(static_cast<std::size_t>(512) * n_heads * hd, 4);
        const Tensor qt = upload_f32(*b, q, 512, n_heads * hd), ot = b->alloc(DType::F32, 512, n_heads * hd);
        AttentionParams p;
        p.n_heads = n_heads;
        p.n_kv_heads = n_kv;
        p.head_dim = hd;
        for (int depth : {0, 1024, 4096}) {
            const StepPositions one = upload_positions(*b, depth, 1);
            double best = 1e30;
            for (int rep = 0; rep < 20; ++rep) {
                const double t0 = now_s();
                b->attention(qt.slice_rows(0, 1), kc, vc, one, p, ot.slice_rows(0, 1));
                b->finish();
                best = std::min(best, now_s() - t0);
            }
            std::printf("attention decode, depth %4d: %8.1f us per layer (x24 layers = %.2f ms/token)\n", depth,
                        best * 1e6, best * 24e3);
        }
        double best = 1e30;
        const StepPositions prompt = upload_positions(*b, 0, 512);
        for (int rep = 0; rep < 3; ++rep) {
            const double t0 = now_s();
            b->attention(qt, kc, vc, prompt, p, ot);
            b->finish();
            best = std::min(best, now_s() - t0);
        }
        std::printf("attention prompt, 512 tokens: %8.2f ms per layer (x24 layers = %.1f ms)\n", best * 1e3,
                    best * 24e3);
    }
    return 0;
}
