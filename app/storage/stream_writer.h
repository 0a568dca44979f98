// stream_writer.h: saves streamed answer/reasoning text off the GUI thread in small, frequent commits.
#pragma once

#include "storage/database.h"
#include "storage/records.h"
#include "storage/storage_error.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ponder::storage {

struct StreamWriterOptions {
    // Pending text is committed once its oldest part is this old (so a crash loses at most about
    // this much plus one commit's duration), or once max_pending_bytes have piled up.
    std::chrono::milliseconds commit_interval{100};
    std::size_t max_pending_bytes = 16 * 1024;
    int busy_timeout_ms = 2000;
    bool synchronous_full = true;
    // Caps the database at this many pages on the writer's connection (0: no cap). Tests use it
    // to make SQLite report a full disk.
    std::int64_t max_page_count = 0;
};

// After each commit, for one message: how much of its text is now durable.
struct CommitInfo {
    std::int64_t message_id = 0;
    std::size_t content_bytes = 0;    // total answer bytes stored
    std::size_t reasoning_bytes = 0;  // total reasoning bytes stored
    bool finished = false;            // this commit also stored the final status
};

// Owns a second connection to the database and a thread that writes to it. All public methods
// are thread-safe and never block on disk, except flush() and the destructor (which flushes).
// A failed commit (disk full, locked) keeps the text queued and retries on the next tick; the
// error is passed to the error handler and kept in last_error(), so nothing is dropped.
class StreamWriter {
public:
    explicit StreamWriter(const std::filesystem::path& database_path, StreamWriterOptions options = {});
    ~StreamWriter();
    StreamWriter(const StreamWriter&) = delete;
    StreamWriter& operator=(const StreamWriter&) = delete;

    // Appends to a Streaming message created by HistoryStore::start_assistant_message().
    void append(std::int64_t message_id, std::string_view reasoning_delta, std::string_view answer_delta);
    // Reasoning duration so far (or final), stored with the next commit.
    void set_reasoning_ms(std::int64_t message_id, std::int64_t reasoning_ms);
    // Queues the final status/stats and commits promptly (does not wait; call flush() to wait).
    void finish(std::int64_t message_id, MessageStatus status, const MessageStats& stats,
                const std::string& error = {});
    // Blocks until everything queued before the call is committed. Throws the StorageError of the
    // latest failed attempt if it could not be (the text stays queued for the next try).
    void flush();

    // Called on the writer thread after each successful commit (keep it short).
    void set_commit_observer(std::function<void(const CommitInfo&)> observer);
    // Called on the writer thread when a commit fails, before flush() throws; it will be retried.
    void set_error_handler(std::function<void(const StorageError&)> handler);
    std::optional<StorageError> last_error() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace ponder::storage
