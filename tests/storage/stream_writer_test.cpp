// stream_writer_test.cpp: streamed text reaches the database in order, promptly, from many threads,
// with final status and stats, and survives locked and full databases by retrying.
#include "storage_fixture.h"

#include "storage/search.h"
#include "storage/stream_writer.h"

#include <atomic>
#include <chrono>
#include <thread>

namespace ponder::storage::test {
namespace {

using namespace std::chrono_literals;

class StreamWriterTest : public StorageTest {
protected:
    std::int64_t start_answer() {
        conversation = store->create_conversation("stream");
        const auto u = store->add_message(conversation, std::nullopt, Role::User, "question");
        return store->start_assistant_message(conversation, u, "m");
    }
    std::int64_t conversation = 0;
};

TEST_F(StreamWriterTest, AppendedTextIsStoredInOrder) {
    const auto id = start_answer();
    StreamWriter writer(path);
    std::string reasoning, answer;
    for (int i = 0; i < 300; ++i) {
        std::string r = "r", a = "答";
        r += std::to_string(i) + " ";
        a += std::to_string(i) + " ";
        writer.append(id, i < 100 ? r : "", i >= 100 ? a : "");
        (i < 100 ? reasoning : answer) += i < 100 ? r : a;
    }
    writer.set_reasoning_ms(id, 1234);
    writer.flush();
    const auto m = store->message(id);
    EXPECT_EQ(m->reasoning, reasoning);
    EXPECT_EQ(m->content, answer);
    EXPECT_EQ(m->reasoning_ms, 1234);
    EXPECT_EQ(m->status, MessageStatus::Streaming);
}

TEST_F(StreamWriterTest, CommitsWithoutFlushWhileStreaming) {
    const auto id = start_answer();
    StreamWriter writer(path, {.commit_interval = 20ms});
    writer.append(id, "", "visible ");
    writer.flush();  // the writer thread is now idle, waiting for the next change
    writer.append(id, "", "without flush");
    // Another connection sees the text once the writer's timer has committed it; 5 s is only a
    // hang guard, the commit is due after 20 ms.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    std::string seen;
    while (seen != "visible without flush" && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(5ms);
        seen = raw_query(path, "SELECT content FROM messages WHERE id = " + std::to_string(id));
    }
    EXPECT_EQ(seen, "visible without flush");  // the idle writer woke up for a small append
}

TEST_F(StreamWriterTest, ObserverReportsDurableByteCounts) {
    const auto id = start_answer();
    std::mutex mutex;
    std::vector<CommitInfo> infos;  // declared before the writer: it outlives the writer's thread
    StreamWriter writer(path);
    writer.set_commit_observer([&](const CommitInfo& info) {
        std::lock_guard lock(mutex);
        infos.push_back(info);
    });
    writer.append(id, "abc", "hello");
    writer.flush();
    writer.append(id, "", " world");
    writer.finish(id, MessageStatus::Complete, {});
    writer.flush();
    std::lock_guard lock(mutex);
    ASSERT_GE(infos.size(), 2u);
    EXPECT_EQ(infos.front().content_bytes, 5u);
    EXPECT_EQ(infos.front().reasoning_bytes, 3u);
    EXPECT_FALSE(infos.front().finished);
    EXPECT_EQ(infos.back().content_bytes, 11u);
    EXPECT_TRUE(infos.back().finished);
}

TEST_F(StreamWriterTest, FinishStoresStatusStatsAndMakesItSearchable) {
    const auto id = start_answer();
    StreamWriter writer(path);
    writer.append(id, "pondering photosynthesis", "Chlorophyll absorbs light.");
    EXPECT_TRUE(search(*db, "chlorophyll").empty());  // streaming text is not indexed yet
    const MessageStats stats{.prompt_tokens = 7,
                             .generated_tokens = 9,
                             .reasoning_tokens = 3,
                             .ttft_ms = 80,
                             .tokens_per_s = 25.5,
                             .backend = "cpu",
                             .dropped_messages = 2,
                             .reasoning_budget_reached = true};
    writer.finish(id, MessageStatus::Stopped, stats);
    writer.flush();
    const auto m = store->message(id);
    EXPECT_EQ(m->status, MessageStatus::Stopped);
    EXPECT_EQ(m->stats, stats);
    EXPECT_EQ(m->content, "Chlorophyll absorbs light.");
    ASSERT_EQ(search(*db, "chlorophyll").size(), 1u);
    EXPECT_EQ(search(*db, "photosynthesis", {.include_reasoning = true}).size(), 1u);
}

TEST_F(StreamWriterTest, ManyThreadsManyMessages) {
    std::vector<std::int64_t> ids;
    const auto c = store->create_conversation("parallel");
    const auto u = store->add_message(c, std::nullopt, Role::User, "q");
    for (int i = 0; i < 4; ++i) ids.push_back(store->start_assistant_message(c, u));
    StreamWriter writer(path, {.commit_interval = 5ms, .max_pending_bytes = 64});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) writer.append(ids[t], "", std::to_string(i) + ",");
            writer.finish(ids[t], MessageStatus::Complete, {});
        });
    for (auto& t : threads) t.join();
    writer.flush();
    std::string expected;
    for (int i = 0; i < 200; ++i) expected += std::to_string(i) + ",";
    for (auto id : ids) {
        EXPECT_EQ(store->message(id)->content, expected);
        EXPECT_EQ(store->message(id)->status, MessageStatus::Complete);
    }
}

TEST_F(StreamWriterTest, DestructorCommitsWhatIsQueued) {
    const auto id = start_answer();
    {
        StreamWriter writer(path, {.commit_interval = 10s});
        writer.append(id, "", "last words");
    }
    EXPECT_EQ(store->message(id)->content, "last words");
}

TEST_F(StreamWriterTest, TextForADeletedMessageIsDroppedWithoutError) {
    const auto id = start_answer();
    StreamWriter writer(path);
    writer.append(id, "", "before");
    writer.flush();
    store->delete_conversation(conversation);
    writer.append(id, "", "after the user deleted the chat");
    writer.finish(id, MessageStatus::Complete, {});
    EXPECT_NO_THROW(writer.flush());
    EXPECT_FALSE(writer.last_error());
    EXPECT_FALSE(store->message(id));
}

TEST_F(StreamWriterTest, LockedDatabaseIsRetriedAndNothingIsLost) {
    const auto id = start_answer();
    std::atomic<int> errors{0};
    StreamWriter writer(path, {.commit_interval = 10ms, .busy_timeout_ms = 20});
    writer.set_error_handler([&](const StorageError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Busy);
        ++errors;
    });
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE; UPDATE conversations SET pinned = 1", nullptr, nullptr, nullptr),
              SQLITE_OK);
    writer.append(id, "", "held back, ");
    EXPECT_THROW(writer.flush(), StorageError);
    EXPECT_GE(errors.load(), 1);
    ASSERT_TRUE(writer.last_error());
    EXPECT_EQ(writer.last_error()->kind(), ErrorKind::Busy);
    writer.append(id, "", "then saved");
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    writer.flush();
    EXPECT_FALSE(writer.last_error());
    EXPECT_EQ(store->message(id)->content, "held back, then saved");
}

TEST_F(StreamWriterTest, FullDiskKeepsTextQueuedUntilSpaceIsFreed) {
    // An old chat that the user can delete to make room.
    const auto old_chat = store->create_conversation("old");
    store->add_message(old_chat, std::nullopt, Role::User, std::string(300000, 'o'));
    const auto id = start_answer();
    const auto pages = detail::query_int(db->handle(), "PRAGMA page_count", "t");
    StreamWriter writer(path, {.commit_interval = 10ms, .max_page_count = pages});
    writer.append(id, "", "small, ");
    writer.flush();
    const std::string big(100000, 'b');
    writer.append(id, "", big);
    try {
        writer.flush();
        FAIL() << "wrote past the page limit";
    } catch (const StorageError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::DiskFull);
    }
    EXPECT_EQ(store->message(id)->content, "small, ");  // committed text intact
    store->delete_conversation(old_chat);               // frees pages inside the file
    writer.append(id, "", " end");
    writer.flush();
    EXPECT_EQ(store->message(id)->content, "small, " + big + " end");
    EXPECT_EQ(db->integrity_check(), "ok");
}

}  // namespace
}  // namespace ponder::storage::test
