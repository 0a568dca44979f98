// crash_writer_main.cpp: storage_crash_writer, the child of the crash test. It streams a long answer
// through StreamWriter (as the app does) until it is killed, logging what it appended and what
// was committed: "M <id>", "A <reasoning bytes> <answer bytes> <ms>", "C <reasoning> <answer> <ms>".
#include "crash_text.h"

#include "storage/database.h"
#include "storage/history_store.h"
#include "storage/stream_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace {

int g_log = -1;

void log_line(const char* fmt, long long a, long long b = 0, long long c = 0) {
    char line[128];
    const int n = std::snprintf(line, sizeof line, fmt, a, b, c);
    // One write() per line: a SIGKILL cannot leave half a line behind.
    if (n > 0 && ::write(g_log, line, static_cast<std::size_t>(n)) < 0) std::perror("write");
}

}  // namespace

int main(int argc, char** argv) {
    using namespace ponder::storage;
    if (argc != 6) {
        std::fprintf(stderr, "usage: %s DB LOG CONVERSATION_ID SEED MAX_TOKENS\n", argv[0]);
        return 2;
    }
    g_log = ::open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0644);
    if (g_log < 0) {
        std::perror(argv[2]);
        return 2;
    }
    const std::int64_t conversation = std::atoll(argv[3]);
    const std::uint64_t seed = std::strtoull(argv[4], nullptr, 10);
    const std::uint64_t max_tokens = std::strtoull(argv[5], nullptr, 10);
    try {
        auto db = Database::open(argv[1]);
        HistoryStore store(*db);
        const auto question = store.add_message(conversation, std::nullopt, Role::User, "run " + std::to_string(seed));
        const auto id = store.start_assistant_message(conversation, question, "crash-test");
        log_line("M %lld\n", id);
        StreamWriter writer(argv[1]);
        writer.set_commit_observer([id](const CommitInfo& info) {
            if (info.message_id == id)
                log_line("C %lld %lld %lld\n", static_cast<long long>(info.reasoning_bytes),
                         static_cast<long long>(info.content_bytes), ponder::storage::test::monotonic_ms());
        });
        long long reasoning = 0, answer = 0;
        for (std::uint64_t k = 0; k < max_tokens; ++k) {
            const std::string token = ponder::storage::test::crash_token(seed, k);
            const bool thinking = k < ponder::storage::test::kCrashReasoningTokens;
            writer.append(id, thinking ? token : "", thinking ? "" : token);
            (thinking ? reasoning : answer) += static_cast<long long>(token.size());
            log_line("A %lld %lld %lld\n", reasoning, answer, ponder::storage::test::monotonic_ms());
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        writer.finish(id, MessageStatus::Complete, {});
        writer.flush();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "storage_crash_writer: %s\n", e.what());
        return 1;
    }
    return 0;
}
