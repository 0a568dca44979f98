// stream_writer.cpp: a writer thread with its own connection that batches streamed text into small
// transactions (every commit_interval or max_pending_bytes), retrying failed commits without loss.
#include "storage/stream_writer.h"

#include "storage/sqlite_handle.h"

#include <sqlite3.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace ponder::storage {

using detail::Statement;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::string_view kAppend =
    "UPDATE messages SET content = content || ?2, reasoning = reasoning || ?3, "
    "reasoning_ms = coalesce(?4, reasoning_ms), updated_at = ?5 WHERE id = ?1";
constexpr std::string_view kStoredLengths =
    "SELECT length(CAST(content AS BLOB)), length(CAST(reasoning AS BLOB)) FROM messages WHERE id = ?1";
constexpr std::string_view kFinish =
    "UPDATE messages SET status = ?2, error = ?3, prompt_tokens = ?4, generated_tokens = ?5, "
    "reasoning_tokens = ?6, ttft_ms = ?7, tokens_per_s = ?8, backend = ?9, updated_at = ?10, "
    "dropped_messages = ?11, reasoning_budget_reached = ?12 WHERE id = ?1";
constexpr std::string_view kTouchConversation =
    "UPDATE conversations SET updated_at = ?2 WHERE id = (SELECT conversation_id FROM messages WHERE id = ?1)";

struct FinalState {
    MessageStatus status = MessageStatus::Complete;
    MessageStats stats;
    std::string error;
};

struct Pending {
    std::string reasoning;
    std::string content;
    std::optional<std::int64_t> reasoning_ms;
    std::optional<FinalState> final_state;
};

}  // namespace

struct StreamWriter::State {
    StreamWriterOptions options;
    std::unique_ptr<Database> db;  // the writer's own connection

    mutable std::mutex mutex;
    std::condition_variable wake;       // writer thread waits here
    std::condition_variable committed;  // flush() waits here
    std::map<std::int64_t, Pending> pending;
    std::size_t pending_bytes = 0;
    std::optional<Clock::time_point> oldest;  // when the oldest uncommitted change arrived
    bool urgent = false;                      // a finish or flush wants a commit now
    bool stopping = false;
    std::uint64_t queued_seq = 0;       // bumped by every change
    std::uint64_t committed_seq = 0;    // changes up to here are durable
    std::uint64_t failed_seq = 0;       // the latest failed attempt covered changes up to here
    std::uint64_t failed_attempts = 0;  // counts failed commits, so flush() sees each new one
    std::optional<StorageError> last_error;
    std::function<void(const CommitInfo&)> observer;
    std::function<void(const StorageError&)> error_handler;
    std::thread thread;

    void run();
    std::vector<CommitInfo> commit(std::map<std::int64_t, Pending>& batch);
    // Returns true for the first change of a new batch: the writer thread must then be woken to
    // start that batch's commit timer.
    bool note_change(std::unique_lock<std::mutex>&) {
        ++queued_seq;
        if (oldest) return false;
        oldest = Clock::now();
        return true;
    }
};

StreamWriter::StreamWriter(const std::filesystem::path& database_path, StreamWriterOptions options)
    : m_state(std::make_unique<State>()) {
    m_state->options = options;
    OpenOptions open_options;
    open_options.busy_timeout_ms = options.busy_timeout_ms;
    open_options.check_integrity = false;   // the app's main connection already checked
    open_options.recover_corrupt = false;   // never move the file away under the app
    open_options.mark_interrupted = false;  // other messages may be streaming right now
    open_options.synchronous_full = options.synchronous_full;
    m_state->db = Database::open(database_path, open_options);
    if (options.max_page_count > 0)
        detail::query_int(m_state->db->handle(), "PRAGMA max_page_count = " + std::to_string(options.max_page_count),
                          "limiting the database size");
    m_state->thread = std::thread([state = m_state.get()] { state->run(); });
}

StreamWriter::~StreamWriter() {
    {
        std::lock_guard lock(m_state->mutex);
        m_state->stopping = true;
    }
    m_state->wake.notify_all();
    m_state->thread.join();
}

void StreamWriter::append(std::int64_t message_id, std::string_view reasoning_delta, std::string_view answer_delta) {
    if (reasoning_delta.empty() && answer_delta.empty()) return;
    bool wake = false;
    {
        std::unique_lock lock(m_state->mutex);
        Pending& p = m_state->pending[message_id];
        p.reasoning.append(reasoning_delta);
        p.content.append(answer_delta);
        m_state->pending_bytes += reasoning_delta.size() + answer_delta.size();
        wake = m_state->note_change(lock);
        if (m_state->pending_bytes >= m_state->options.max_pending_bytes) {
            m_state->urgent = true;
            wake = true;
        }
    }
    if (wake) m_state->wake.notify_one();
}

void StreamWriter::set_reasoning_ms(std::int64_t message_id, std::int64_t reasoning_ms) {
    bool wake = false;
    {
        std::unique_lock lock(m_state->mutex);
        m_state->pending[message_id].reasoning_ms = reasoning_ms;
        wake = m_state->note_change(lock);
    }
    if (wake) m_state->wake.notify_one();
}

void StreamWriter::finish(std::int64_t message_id, MessageStatus status, const MessageStats& stats,
                          const std::string& error) {
    {
        std::unique_lock lock(m_state->mutex);
        m_state->pending[message_id].final_state = FinalState{status, stats, error};
        m_state->note_change(lock);
        m_state->urgent = true;
    }
    m_state->wake.notify_one();
}

void StreamWriter::flush() {
    std::unique_lock lock(m_state->mutex);
    const std::uint64_t target = m_state->queued_seq;
    if (m_state->committed_seq >= target) return;
    const std::uint64_t attempts_before = m_state->failed_attempts;
    m_state->urgent = true;
    m_state->wake.notify_one();
    // Done when committed, or when an attempt made after this call, covering it, failed.
    m_state->committed.wait(lock, [&] {
        return m_state->committed_seq >= target ||
               (m_state->failed_attempts != attempts_before && m_state->failed_seq >= target);
    });
    if (m_state->committed_seq < target && m_state->last_error) throw *m_state->last_error;
}

void StreamWriter::set_commit_observer(std::function<void(const CommitInfo&)> observer) {
    std::lock_guard lock(m_state->mutex);
    m_state->observer = std::move(observer);
}

void StreamWriter::set_error_handler(std::function<void(const StorageError&)> handler) {
    std::lock_guard lock(m_state->mutex);
    m_state->error_handler = std::move(handler);
}

std::optional<StorageError> StreamWriter::last_error() const {
    std::lock_guard lock(m_state->mutex);
    return m_state->last_error;
}

void StreamWriter::State::run() {
    std::unique_lock lock(mutex);
    int failures_in_a_row = 0;
    for (;;) {
        if (pending.empty()) {
            if (stopping) return;
            wake.wait(lock, [&] { return stopping || !pending.empty(); });
            continue;
        }
        // Wait for the batch to age (or for a reason to hurry); after a failure, back off.
        const auto interval = options.commit_interval * (failures_in_a_row > 0 ? 2 : 1);
        const auto due = oldest.value_or(Clock::now()) + interval;
        wake.wait_until(lock, due, [&] { return stopping || urgent; });
        if (stopping && failures_in_a_row > 3)
            return;  // give up at shutdown; the error was reported, rows keep what was committed

        std::map<std::int64_t, Pending> batch;
        batch.swap(pending);
        pending_bytes = 0;
        oldest.reset();
        urgent = false;
        const std::uint64_t batch_seq = queued_seq;
        lock.unlock();

        std::vector<CommitInfo> infos;
        std::optional<StorageError> error;
        try {
            infos = commit(batch);
        } catch (const StorageError& e) {
            error = e;
        }

        if (!error) {
            // Observer first, so that when flush() returns every commit has been reported.
            lock.lock();
            auto notify = observer;
            lock.unlock();
            if (notify)
                for (const CommitInfo& info : infos) notify(info);
            lock.lock();
            failures_in_a_row = 0;
            committed_seq = batch_seq;
            last_error.reset();
            committed.notify_all();
            continue;
        }
        lock.lock();
        // Put the text back in front of anything that arrived meanwhile: nothing is dropped.
        for (auto& [id, old] : batch) {
            Pending& now = pending[id];
            now.reasoning.insert(0, old.reasoning);
            now.content.insert(0, old.content);
            pending_bytes += old.reasoning.size() + old.content.size();
            if (!now.reasoning_ms) now.reasoning_ms = old.reasoning_ms;
            if (!now.final_state) now.final_state = std::move(old.final_state);
        }
        oldest = Clock::now();
        ++failures_in_a_row;
        last_error = error;
        // Handler first, as with the observer: when flush() throws, the error has been reported.
        auto handler = error_handler;
        lock.unlock();
        if (handler) handler(*error);
        lock.lock();
        failed_seq = batch_seq;
        ++failed_attempts;
        committed.notify_all();
    }
}

std::vector<CommitInfo> StreamWriter::State::commit(std::map<std::int64_t, Pending>& batch) {
    std::lock_guard db_lock(db->mutex());
    sqlite3* handle = db->handle();
    detail::Transaction tx(handle);
    Statement append(handle, kAppend, "saving the answer");
    Statement lengths(handle, kStoredLengths, "saving the answer");
    std::vector<CommitInfo> infos;
    const std::int64_t now = now_ms();
    for (auto& [id, p] : batch) {
        append.reset();
        append.bind(1, id).bind(2, p.content).bind(3, p.reasoning).bind(4, p.reasoning_ms).bind(5, now).run();
        if (sqlite3_changes(handle) == 0)
            continue;  // the message was deleted meanwhile (the user deleted the chat): drop its text
        if (p.final_state) {
            const FinalState& f = *p.final_state;
            Statement finish(handle, kFinish, "saving the answer");
            finish.bind(1, id)
                .bind(2, to_string(f.status))
                .bind(3, f.error)
                .bind(4, f.stats.prompt_tokens)
                .bind(5, f.stats.generated_tokens)
                .bind(6, f.stats.reasoning_tokens)
                .bind(7, f.stats.ttft_ms)
                .bind(8, f.stats.tokens_per_s)
                .bind(9, f.stats.backend)
                .bind(10, now)
                .bind(11, f.stats.dropped_messages)
                .bind(12, f.stats.reasoning_budget_reached ? 1 : 0)
                .run();
            Statement(handle, kTouchConversation, "saving the answer").bind(1, id).bind(2, now).run();
        }
        lengths.reset();
        lengths.bind(1, id);
        CommitInfo info;
        info.message_id = id;
        if (lengths.step()) {
            info.content_bytes = static_cast<std::size_t>(lengths.int64(0));
            info.reasoning_bytes = static_cast<std::size_t>(lengths.int64(1));
        }
        info.finished = p.final_state.has_value();
        infos.push_back(info);
    }
    tx.commit();
    return infos;
}

}  // namespace ponder::storage
