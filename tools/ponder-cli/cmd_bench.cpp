// cmd_bench.cpp: `ponder-cli bench`: prompt (pp) and generation (tg) speed, llama-bench style.
// pp: a P-token prompt of random ids in one go from an empty context; tg: N single-token steps
// from an empty context. Each is repeated R times after one untimed warm-up.
#include "commands.h"
#include "model_args.h"
#include "util/path_text.h"

#include "api/loaded_model.h"
#include "kv_cache/kv_cache.h"
#include "sampling/sampler.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

// psapi.h needs windows.h first (a separate include block, so clang-format keeps the order)
#include <psapi.h>
#else
#include <sys/resource.h>
#endif

namespace ponder::cli {

namespace {

using Clock = std::chrono::steady_clock;

struct Summary {
    double mean = 0, sd = 0;
};

Summary summarize(const std::vector<double>& v) {
    Summary s;
    if (v.empty()) return s;
    for (double x : v) s.mean += x;
    s.mean /= static_cast<double>(v.size());
    if (v.size() > 1) {
        double ss = 0;
        for (double x : v) ss += (x - s.mean) * (x - s.mean);
        s.sd = std::sqrt(ss / static_cast<double>(v.size() - 1));
    }
    return s;
}

// VmRSS / VmHWM / RssAnon of this process in bytes (Linux; 0 where /proc is absent).
struct Memory {
    double rss = 0, hwm = 0, anon = 0;
};

Memory read_memory() {
    Memory m;
#if defined(_WIN32)
    PROCESS_MEMORY_COUNTERS_EX pmc{};
    if (GetProcessMemoryInfo(GetCurrentProcess(), reinterpret_cast<PROCESS_MEMORY_COUNTERS*>(&pmc), sizeof pmc)) {
        m.rss = static_cast<double>(pmc.WorkingSetSize);
        m.hwm = static_cast<double>(pmc.PeakWorkingSetSize);
        m.anon = static_cast<double>(pmc.PrivateUsage);
    }
#endif
    if (FILE* f = std::fopen("/proc/self/status", "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, f)) {
            double kb = 0;
            if (std::sscanf(line, "VmRSS: %lf", &kb) == 1)
                m.rss = kb * 1024;
            else if (std::sscanf(line, "VmHWM: %lf", &kb) == 1)
                m.hwm = kb * 1024;
            else if (std::sscanf(line, "RssAnon: %lf", &kb) == 1)
                m.anon = kb * 1024;
        }
        std::fclose(f);
    }
    return m;
}

// CPU seconds this process has used (user + system): on a shared, overloaded machine
// tokens per CPU-second says more about the code than tokens per wall-clock second.
double cpu_seconds() {
#if defined(_WIN32)
    FILETIME created, exited, kernel, user;
    if (!GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user)) return 0;
    auto seconds = [](const FILETIME& t) {  // 100 ns units
        return static_cast<double>((static_cast<unsigned long long>(t.dwHighDateTime) << 32) | t.dwLowDateTime) * 1e-7;
    };
    return seconds(kernel) + seconds(user);
#else
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
#endif
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

}  // namespace

int cmd_bench(Args& args) {
    LoadOptions lo = read_load_options(args);
    const int n_prompt = args.integer("--n-prompt", 512, "-p");
    const int n_gen = args.integer("--n-gen", 128, "-n");
    const int reps = args.integer("--reps", 5, "-r");
    // Tokens already in the context when each test starts (llama-bench's -d): attention then reads
    // that much KV cache per step. Filled once, outside the timings.
    const int depth = args.integer("--depth", 0, "-d");
    const bool json = args.flag("--json");
    const bool probe = !args.flag("--no-bandwidth-probe");
    args.positional();
    if (n_prompt < 0 || n_gen < 0 || n_prompt + n_gen == 0) throw UsageError{"-p and -n must be >= 0, not both 0"};
    if (reps < 1) throw UsageError{"--reps must be at least 1"};
    if (depth < 0) throw UsageError{"--depth must be >= 0"};
    lo.context_length = depth + std::max(n_prompt, n_gen) + 1;

    const auto t_load = Clock::now();
    const auto model = load_model(lo);
    const double load_ms = seconds_since(t_load) * 1000.0;
    const LoadedModel& m = loaded_model(*model);
    const Memory after_load = read_memory();
    if (model->context_length() < depth + std::max(n_prompt, n_gen))
        throw Error("the model's context (" + std::to_string(model->context_length()) + ") is shorter than the test");

    EvalContext ctx(model, depth + std::max(n_prompt, n_gen), 512);
    Rng rng(1234);
    auto random_tokens = [&](int n) {
        std::vector<std::int32_t> t(n);
        for (auto& id : t)
            id = static_cast<std::int32_t>(rng.next() % static_cast<std::uint64_t>(m.m_config.vocab_size));
        return t;
    };
    if (depth > 0) ctx.eval(random_tokens(depth));
    auto run_pp = [&]() {
        const std::vector<std::int32_t> prompt = random_tokens(n_prompt);
        ctx.truncate(depth);
        const auto t0 = Clock::now();
        ctx.eval(prompt);
        return seconds_since(t0);
    };
    auto run_tg = [&]() {
        const std::vector<std::int32_t> toks = random_tokens(n_gen);
        ctx.truncate(depth);
        const auto t0 = Clock::now();
        for (int i = 0; i < n_gen; ++i) ctx.eval(std::span<const std::int32_t>(&toks[i], 1));
        return seconds_since(t0);
    };

    std::vector<double> pp_tps, tg_tps, ttft_ms;
    double pp_cpu = 0, tg_cpu = 0;
    if (n_prompt > 0) {
        run_pp();  // warm-up: pages the weights in, spins the thread pool up
        const double c0 = cpu_seconds();
        for (int r = 0; r < reps; ++r) {
            const double s = run_pp();
            pp_tps.push_back(n_prompt / s);
            ttft_ms.push_back(s * 1000.0);  // the prompt's last logits give the first token
        }
        pp_cpu = cpu_seconds() - c0;
    }
    if (n_gen > 0) {
        run_tg();
        const double c0 = cpu_seconds();
        for (int r = 0; r < reps; ++r) tg_tps.push_back(n_gen / run_tg());
        tg_cpu = cpu_seconds() - c0;
    }
    const double pp_per_cpu_s = pp_cpu > 0 ? static_cast<double>(n_prompt) * reps / pp_cpu : 0;
    const double tg_per_cpu_s = tg_cpu > 0 ? static_cast<double>(n_gen) * reps / tg_cpu : 0;
    double load1 = -1;
    if (FILE* f = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(f, "%lf", &load1) != 1) load1 = -1;
        std::fclose(f);
    }
    const Memory after_run = read_memory();
    const Summary pp = summarize(pp_tps), tg = summarize(tg_tps), ttft = summarize(ttft_ms);
    // Bytes one generation step reads: the weights it multiplies by, plus the KV cache rows it
    // attends to at the mean position of the run (depth + (n_gen + 1) / 2).
    const ModelConfig& c = m.m_config;
    const double kv_row_bytes = static_cast<double>(row_bytes(KvCache::dtype_for(m.m_kv_type, c.head_dim), c.kv_dim()));
    // One row per layer and position: K and V, or for MLA the shared latent row.
    const double kv_position_bytes = (c.mla() ? 1.0 : 2.0) * c.n_layers * kv_row_bytes;
    const double bytes_per_token =
        static_cast<double>(m.m_weights.bytes_per_token) + kv_position_bytes * (depth + (n_gen + 1) / 2.0);
    const double bandwidth = bytes_per_token * tg.mean / 1e9;
    // What the device could stream right now (0: not measured, or the backend has no probe).
    Backend::BandwidthProbe device_bw;
    if (probe && n_gen > 0) device_bw = m.m_backend->measure_read_bandwidth();
    const double machine_bw = device_bw.gb_per_s;

    if (json) {
        nlohmann::ordered_json j;
        j["model"] = model->info().name;
        j["file"] = path_to_utf8(lo.path);
        j["file_bytes"] = model->info().file_bytes;
        j["backend"] = std::string(m.m_backend->name());
        j["device"] = m.m_backend->device_name();
        j["threads"] = lo.threads;
        j["n_prompt"] = n_prompt;
        j["n_gen"] = n_gen;
        j["depth"] = depth;
        j["reps"] = reps;
        j["load_ms"] = load_ms;
        j["pp_tokens_per_s"] = pp.mean;
        j["pp_tokens_per_s_sd"] = pp.sd;
        j["tg_tokens_per_s"] = tg.mean;
        j["tg_tokens_per_s_sd"] = tg.sd;
        j["ttft_ms"] = ttft.mean;
        j["tg_bytes_per_token"] = bytes_per_token;
        j["kv_cache_bytes_per_token"] = kv_position_bytes;
        if (model->info().kv_bytes_per_token_mha > 0)
            j["kv_cache_bytes_per_token_mha_f16"] = model->info().kv_bytes_per_token_mha;
        j["tg_bandwidth_gb_per_s"] = bandwidth;
        if (machine_bw > 0) {
            j["machine_read_gb_per_s"] = machine_bw;
            j["machine_read_probe"] = device_bw.what;
            j["tg_bandwidth_share"] = bandwidth / machine_bw;
        }
        j["pp_tokens_per_cpu_s"] = pp_per_cpu_s;
        j["tg_tokens_per_cpu_s"] = tg_per_cpu_s;
        j["load_average_1min"] = load1;
        j["rss_after_load_bytes"] = after_load.rss;
        j["rss_after_run_bytes"] = after_run.rss;
        j["hwm_bytes"] = after_run.hwm;
        j["anon_bytes"] = after_run.anon;
        j["pp_samples"] = pp_tps;
        j["tg_samples"] = tg_tps;
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("model      %s (%s, %.1f MiB)\n", model->info().name.c_str(), model->info().quantization.c_str(),
                model->info().file_bytes / 1048576.0);
    std::printf("backend    %s: %s\n", std::string(m.m_backend->name()).c_str(), m.m_backend->device_name().c_str());
    std::printf("load       %.0f ms\n", load_ms);
    if (model->info().kv_bytes_per_token_mha > 0)
        std::printf("kv cache   %.0f bytes per token (%s, MLA latent); ordinary attention would need %llu (F16)\n",
                    kv_position_bytes, std::string(to_string(KvCache::dtype_for(m.m_kv_type, c.head_dim))).c_str(),
                    static_cast<unsigned long long>(model->info().kv_bytes_per_token_mha));
    else
        std::printf("kv cache   %.0f bytes per token (%s)\n", kv_position_bytes,
                    std::string(to_string(KvCache::dtype_for(m.m_kv_type, c.head_dim))).c_str());
    if (n_prompt > 0) {
        std::printf("pp%-6d   %8.1f ± %.1f tokens/s (%.1f tokens per CPU-second)%s\n", n_prompt, pp.mean, pp.sd,
                    pp_per_cpu_s, depth > 0 ? strprintf(" at depth %d", depth).c_str() : "");
        std::printf("ttft       %8.1f ± %.1f ms (%d-token prompt)\n", ttft.mean, ttft.sd, n_prompt);
    }
    if (n_gen > 0) {
        std::printf("tg%-6d   %8.1f ± %.1f tokens/s (%.1f tokens per CPU-second)%s\n", n_gen, tg.mean, tg.sd,
                    tg_per_cpu_s, depth > 0 ? strprintf(" at depth %d", depth).c_str() : "");
        std::printf("bandwidth  %8.1f GB/s effective (%.1f MB read per generated token)\n", bandwidth,
                    bytes_per_token / 1e6);
        if (machine_bw > 0)
            std::printf("           %.0f %% of the %.1f GB/s that %s read just now\n", 100.0 * bandwidth / machine_bw,
                        machine_bw, device_bw.what.c_str());
    }
    std::printf(
        "memory     VmRSS %.0f MiB after load, %.0f MiB after the runs (peak %.0f MiB, anonymous %.0f MiB); file %.0f "
        "MiB\n",
        after_load.rss / 1048576.0, after_run.rss / 1048576.0, after_run.hwm / 1048576.0, after_run.anon / 1048576.0,
        model->info().file_bytes / 1048576.0);
    std::printf("(%d repetitions each after one warm-up; 1-minute load average at the end %.2f)\n", reps, load1);
    return 0;
}

}  // namespace ponder::cli
