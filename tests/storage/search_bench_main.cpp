// search_bench_main.cpp: storage_search_bench: fills a history with N messages (default 10,000,
// English and Chinese) and prints how long search() takes per query (median/max ms).
#include "storage/database.h"
#include "storage/history_store.h"
#include "storage/search.h"
#include "storage/sqlite_handle.h"

#include <sqlite3.h>

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace ponder::storage;
namespace fs = std::filesystem;

const char* const kEnglish[] = {
    "the",       "model",       "reasoning", "about",     "quantization", "weights",    "attention",   "layer",
    "tokens",    "cache",       "gradient",  "matrix",    "vector",       "softmax",    "temperature", "sampling",
    "context",   "window",      "memory",    "bandwidth", "kernel",       "throughput", "latency",     "precision",
    "embedding", "transformer", "prompt",    "answer",    "because",      "therefore",  "however",     "example"};
const char* const kChinese[] = {"量子", "计算", "模型", "推理", "注意力", "机制", "数据", "训练",
                                "参数", "向量", "矩阵", "语言", "生成",   "速度", "内存", "我们",
                                "因为", "所以", "的",   "是",   "在",     "一个", "问题", "答案"};

std::string make_text(std::mt19937& rng, int words) {
    std::string out;
    const bool chinese = rng() % 3 == 0;  // a third of the messages are Chinese
    for (int i = 0; i < words; ++i) {
        if (chinese) {
            out += kChinese[rng() % std::size(kChinese)];
            if (rng() % 12 == 0) out += "，";
        } else {
            out += kEnglish[rng() % std::size(kEnglish)];
            out += rng() % 15 == 0 ? ". " : " ";
        }
    }
    return out;
}

// CPU time of this thread: on a busy machine wall time includes waiting for a core.
double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    const int n_messages = argc > 1 ? std::atoi(argv[1]) : 10000;
    const int per_chat = 20;
    char templ[] = "/tmp/ponder-search-bench-XXXXXX";
    if (!mkdtemp(templ)) {
        std::perror("mkdtemp");
        return 1;
    }
    const fs::path dir = templ;
    try {
        auto db = Database::open(dir / "history.db");
        sqlite3* h = db->handle();
        std::mt19937 rng(42);
        const auto fill_start = std::chrono::steady_clock::now();
        detail::exec(h, "BEGIN", "bench");
        detail::Statement conv(h, "INSERT INTO conversations (title, created_at, updated_at) VALUES (?1, ?2, ?2)");
        detail::Statement msg(h,
                              "INSERT INTO messages (conversation_id, parent_id, role, content, reasoning, "
                              "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)");
        std::int64_t chat = 0, parent = 0;
        for (int i = 0; i < n_messages; ++i) {
            if (i % per_chat == 0) {
                conv.reset();
                conv.bind(1, make_text(rng, 4)).bind(2, static_cast<std::int64_t>(i)).run();
                chat = sqlite3_last_insert_rowid(h);
                parent = 0;
            }
            const bool assistant = i % 2 == 1;
            msg.reset();
            msg.bind(1, chat)
                .bind(3, assistant ? "assistant" : "user")
                .bind(4, make_text(rng, assistant ? 120 : 20))
                .bind(5, assistant ? make_text(rng, 80) : std::string())
                .bind(6, static_cast<std::int64_t>(i));
            if (parent)
                msg.bind(2, parent);
            else
                msg.bind_null(2);
            msg.run();
            parent = sqlite3_last_insert_rowid(h);
        }
        // A few needles to find.
        detail::exec(h,
                     "UPDATE messages SET content = content || ' Rayleigh scattering makes the sky blue' "
                     "WHERE id % 997 = 0",
                     "bench");
        detail::exec(h, "COMMIT", "bench");
        db->checkpoint();
        const double fill_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - fill_start).count();
        std::printf("filled %d messages in %d chats in %.1f s; database %.1f MB\n", n_messages, n_messages / per_chat,
                    fill_s, static_cast<double>(fs::file_size(dir / "history.db")) / 1e6);

        struct Query {
            const char* text;
            bool reasoning;
        };
        const Query queries[] = {{"quantization", false}, {"quantiz", false},      {"attention cache", false},
                                 {"rayleigh", false},     {"\"sky blue\"", false}, {"量子计算", false},
                                 {"注意力机制", false},   {"量子", false},         {"的", false},
                                 {"推理 模型", false},    {"quantization", true},  {"zzzznotfound", false},
                                 {"量子计算", true}};
        std::printf("%-16s %-9s %5s %10s %8s %12s\n", "query", "reasoning", "hits", "median ms", "max ms",
                    "median cpu ms");
        double worst = 0, worst_cpu = 0;
        for (const Query& q : queries) {
            std::vector<double> times, cpu;
            std::size_t hits = 0;
            for (int rep = 0; rep < 15; ++rep) {
                const double c0 = thread_cpu_ms();
                const auto t0 = std::chrono::steady_clock::now();
                hits = search(*db, q.text, {.include_reasoning = q.reasoning}).size();
                times.push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
                cpu.push_back(thread_cpu_ms() - c0);
            }
            const double max = *std::max_element(times.begin(), times.end());
            worst = std::max(worst, median(times));
            worst_cpu = std::max(worst_cpu, median(cpu));
            // Pad by display columns, not bytes: CJK queries are 3 bytes per 2 columns.
            const std::string label = q.text;
            int columns = 0;
            for (unsigned char ch : label) columns += (ch & 0xC0) == 0x80 ? 0 : (ch >= 0xE0 ? 2 : 1);
            std::printf("%s%*s %-9s %5zu %10.2f %8.2f %12.2f\n", label.c_str(), std::max(0, 16 - columns), "",
                        q.reasoning ? "yes" : "no", hits, median(times), max, median(cpu));
        }
        std::printf("slowest median: %.2f ms wall, %.2f ms cpu (target: under 50 ms)\n", worst, worst_cpu);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "storage_search_bench: %s\n", e.what());
        fs::remove_all(dir);
        return 1;
    }
    if (std::getenv("PONDER_BENCH_KEEP"))
        std::printf("kept %s\n", dir.c_str());
    else
        fs::remove_all(dir);
    return 0;
}
