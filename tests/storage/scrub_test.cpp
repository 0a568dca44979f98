// scrub_test.cpp: after deleting, the text is gone from the database file, the WAL and the FTS index.
#include "storage_fixture.h"

#include "storage/search.h"

namespace ponder::storage::test {
namespace {

namespace fs = std::filesystem;

bool on_disk(const fs::path& db_path, const std::string& needle) {
    return file_bytes(db_path).find(needle) != std::string::npos ||
           file_bytes(db_path.string() + "-wal").find(needle) != std::string::npos;
}

// Terms the FTS index holds for this text (read through an fts5vocab table in the temp schema,
// so checking does not write to the database).
std::int64_t indexed_terms(Database& db, const std::string& lowered_secret) {
    detail::exec(db.handle(), "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, message_fts, row)",
                 "t");
    std::int64_t total = 0;
    for (std::size_t i = 0; i + 3 <= lowered_secret.size(); ++i) {
        detail::Statement st(db.handle(), "SELECT count(*) FROM temp.vocab WHERE term = ?1");
        st.bind(1, lowered_secret.substr(i, 3));
        if (st.step()) total += st.int64(0);
    }
    return total;
}

class ScrubTest : public StorageTest {
protected:
    // Some other chats, so the secret shares pages and index segments with text that stays.
    void add_neighbours() {
        for (int i = 0; i < 20; ++i) {
            const auto c = store->create_conversation("neighbour " + std::to_string(i));
            const auto u = store->add_message(c, std::nullopt, Role::User, "plain question " + std::to_string(i));
            store->add_message(c, u, Role::Assistant, std::string(500, static_cast<char>('a' + i)));
        }
    }
    std::int64_t add_secret_chat() {
        const auto c = store->create_conversation("Title Xq7Vw3Zk9Jp");
        const auto u = store->add_message(c, std::nullopt, Role::User, "My account is Pq4Rs8Tu2Wx, do not keep it");
        const auto a = store->start_assistant_message(c, u);
        detail::Statement st(db->handle(), "UPDATE messages SET content = ?2, reasoning = ?3 WHERE id = ?1");
        st.bind(1, a)
            .bind(2, "Answer mentioning Mn5Bv6Cx7Zl and " + std::string(6000, 'L'))  // overflow pages too
            .bind(3, "thinking about Gh2Jk3Lq4Ws")
            .run();
        store->finish_message(a, MessageStatus::Complete, {});
        return c;
    }
    const std::vector<std::string> secrets{"Xq7Vw3Zk9Jp", "Pq4Rs8Tu2Wx", "Mn5Bv6Cx7Zl", "Gh2Jk3Lq4Ws"};
};

TEST_F(ScrubTest, DeletedConversationLeavesNoBytesInFileWalOrIndex) {
    add_neighbours();
    const auto c = add_secret_chat();
    add_neighbours();
    // The check itself works: before deletion every secret is on disk and indexed.
    for (const auto& s : secrets) EXPECT_TRUE(on_disk(path, s)) << s;
    EXPECT_GT(indexed_terms(*db, "mn5bv6cx7zl"), 0);
    ASSERT_FALSE(search(*db, "Mn5Bv6Cx7Zl").empty());

    store->delete_conversation(c);

    for (const auto& s : secrets) EXPECT_FALSE(on_disk(path, s)) << s << " is still readable on disk";
    EXPECT_EQ(indexed_terms(*db, "mn5bv6cx7zl"), 0);
    EXPECT_EQ(indexed_terms(*db, "gh2jk3lq4ws"), 0);
    EXPECT_TRUE(search(*db, "Mn5Bv6Cx7Zl").empty());
    EXPECT_EQ(fs::file_size(path.string() + "-wal"), 0u);  // checkpoint(TRUNCATE)
    EXPECT_EQ(db->integrity_check(), "ok");
    EXPECT_EQ(store->list_conversations().size(), 40u);  // the neighbours are untouched
}

TEST_F(ScrubTest, DeleteAllAndDeleteManyAlsoScrub) {
    add_neighbours();
    const auto c1 = add_secret_chat();
    const std::vector<std::int64_t> ids{c1};
    store->delete_conversations(ids);
    for (const auto& s : secrets) EXPECT_FALSE(on_disk(path, s)) << s;
    add_secret_chat();
    store->delete_all_conversations();
    for (const auto& s : secrets) EXPECT_FALSE(on_disk(path, s)) << s;
    EXPECT_EQ(indexed_terms(*db, "pq4rs8tu2wx"), 0);
}

TEST_F(ScrubTest, DeletedBranchIsScrubbedToo) {
    const auto c = store->create_conversation("chat");
    const auto u = store->add_message(c, std::nullopt, Role::User, "question");
    const auto a = store->add_message(c, u, Role::Assistant, "branch holding Yt6Ui7Op8As");
    store->add_message(c, u, Role::Assistant, "other branch");
    ASSERT_TRUE(on_disk(path, "Yt6Ui7Op8As"));
    store->delete_message(a);
    EXPECT_FALSE(on_disk(path, "Yt6Ui7Op8As"));
}

TEST_F(ScrubTest, DeletingMostOfTheFileShrinksIt) {
    add_neighbours();
    const auto c = store->create_conversation("big");
    store->add_message(c, std::nullopt, Role::User, std::string(3 << 20, 'B'));
    db->checkpoint();
    const auto big = fs::file_size(path);
    ASSERT_GT(big, 3u << 20);
    store->delete_conversation(c);
    EXPECT_LT(fs::file_size(path), big / 4);  // VACUUM ran: free pages were returned
    EXPECT_EQ(store->list_conversations().size(), 20u);
}

}  // namespace
}  // namespace ponder::storage::test
