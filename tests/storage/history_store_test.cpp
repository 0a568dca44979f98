// history_store_test.cpp: conversations (CRUD, order, settings) and message trees (branches,
// active path, switching, pruning), including deep chains and use from several threads.
#include "storage_fixture.h"

#include <thread>

namespace ponder::storage::test {
namespace {

std::vector<std::string> contents(const std::vector<PathEntry>& path) {
    std::vector<std::string> out;
    for (const auto& e : path) out.push_back(e.message.content);
    return out;
}

TEST_F(StorageTest, CreateReadRenamePinConversation) {
    const auto id = store->create_conversation("First");
    auto c = store->conversation(id);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->title, "First");
    EXPECT_FALSE(c->pinned);
    EXPECT_GT(c->created_at, 1700000000000);  // Unix milliseconds
    EXPECT_EQ(c->created_at, c->updated_at);
    EXPECT_EQ(c->message_count, 0);
    EXPECT_FALSE(c->current_leaf_id);
    store->rename_conversation(id, "Renamed 标题");
    store->set_pinned(id, true);
    c = store->conversation(id);
    EXPECT_EQ(c->title, "Renamed 标题");
    EXPECT_TRUE(c->pinned);
    EXPECT_FALSE(store->conversation(id + 100));
}

TEST_F(StorageTest, SettingsRoundTrip) {
    ConversationSettings s;
    s.system_prompt = "You are terse.";
    s.model = "/models/qwen.gguf";
    s.sampling.temperature = 0.6;
    s.sampling.top_p = 0.95;
    s.sampling.top_k = 40;
    s.sampling.seed = 1234567890123;
    s.sampling.max_tokens = 4096;
    s.reasoning_enabled = false;
    s.reasoning_budget = 512;
    const auto id = store->create_conversation("s", s);
    EXPECT_EQ(store->conversation(id)->settings, s);
    ConversationSettings changed;
    changed.sampling.min_p = 0.05;
    changed.sampling.repeat_penalty = 1.1;
    store->set_settings(id, changed);
    const auto got = store->conversation(id)->settings;
    EXPECT_EQ(got, changed);
    EXPECT_FALSE(got.sampling.temperature);  // cleared back to "app default"
}

TEST_F(StorageTest, UnknownIdsThrowNotFound) {
    auto expect_not_found = [](auto&& f) {
        try {
            f();
            ADD_FAILURE() << "no error";
        } catch (const StorageError& e) {
            EXPECT_EQ(e.kind(), ErrorKind::NotFound) << e.what();
        }
    };
    expect_not_found([&] { store->rename_conversation(42, "x"); });
    expect_not_found([&] { store->set_pinned(42, true); });
    expect_not_found([&] { store->set_settings(42, {}); });
    expect_not_found([&] { store->delete_conversation(42); });
    expect_not_found([&] { store->add_message(42, std::nullopt, Role::User, "x"); });
    const auto c = store->create_conversation("c");
    expect_not_found([&] { store->add_message(c, 999, Role::User, "x"); });
    expect_not_found([&] { store->select_message(999); });
    expect_not_found([&] { store->delete_message(999); });
    expect_not_found([&] { store->siblings(999); });
    expect_not_found([&] { store->update_message_content(999, "x"); });
    expect_not_found([&] { store->finish_message(999, MessageStatus::Complete, {}); });
    expect_not_found([&] { store->active_path(42); });
}

TEST_F(StorageTest, ParentFromAnotherConversationIsRejected) {
    const auto a = store->create_conversation("a");
    const auto b = store->create_conversation("b");
    const auto m = store->add_message(a, std::nullopt, Role::User, "in a");
    try {
        store->add_message(b, m, Role::User, "x");
        FAIL();
    } catch (const StorageError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    }
    EXPECT_EQ(store->messages(b).size(), 0u);
}

TEST_F(StorageTest, ListIsPinnedFirstThenNewestFirst) {
    const auto a = store->create_conversation("a");
    const auto b = store->create_conversation("b");
    const auto c = store->create_conversation("c");
    // Make the update times distinct regardless of clock resolution.
    detail::exec(db->handle(), "UPDATE conversations SET updated_at = id * 1000", "t");
    store->add_message(a, std::nullopt, Role::User, "bump a");  // a becomes the newest
    store->set_pinned(b, true);
    std::vector<std::int64_t> order;
    for (const auto& conv : store->list_conversations()) order.push_back(conv.id);
    EXPECT_EQ(order, (std::vector<std::int64_t>{b, a, c}));
    EXPECT_EQ(store->list_conversations()[1].message_count, 1);
}

TEST_F(StorageTest, MessagesFormATreeWithAnActivePath) {
    const auto c = store->create_conversation("tree");
    const auto u1 = store->add_message(c, std::nullopt, Role::User, "question");
    const auto a1 = store->start_assistant_message(c, u1, "model-x");
    auto m = store->message(a1);
    EXPECT_EQ(m->status, MessageStatus::Streaming);
    EXPECT_EQ(m->role, Role::Assistant);
    EXPECT_EQ(m->model, "model-x");
    EXPECT_EQ(m->parent_id, u1);
    store->finish_message(a1, MessageStatus::Complete, {});
    // Regenerate: a sibling answer; it becomes the active branch.
    const auto a2 = store->start_assistant_message(c, u1);
    store->finish_message(a2, MessageStatus::Stopped, {});
    EXPECT_EQ(store->conversation(c)->current_leaf_id, a2);
    const auto siblings = store->siblings(a1);
    ASSERT_EQ(siblings.size(), 2u);
    EXPECT_EQ(siblings[0].id, a1);
    EXPECT_EQ(siblings[1].id, a2);
    EXPECT_EQ(store->children(u1).size(), 2u);

    auto path = store->active_path(c);
    ASSERT_EQ(path.size(), 2u);
    EXPECT_EQ(path[0].message.id, u1);
    EXPECT_EQ(path[0].sibling_count, 1);
    EXPECT_EQ(path[1].message.id, a2);
    EXPECT_EQ(path[1].sibling_index, 1);
    EXPECT_EQ(path[1].sibling_count, 2);  // the app shows "2/2"
    EXPECT_EQ(store->messages(c).size(), 3u);
}

TEST_F(StorageTest, SwitchingBranchesRemembersTheChoiceBelow) {
    const auto c = store->create_conversation("branches");
    const auto u1 = store->add_message(c, std::nullopt, Role::User, "u1");
    const auto a1 = store->add_message(c, u1, Role::Assistant, "a1");
    const auto u2 = store->add_message(c, a1, Role::User, "u2");
    const auto a2 = store->add_message(c, u2, Role::Assistant, "a2");
    // Edit the first question: a sibling root with its own answer.
    const auto u1b = store->add_message(c, std::nullopt, Role::User, "u1 edited");
    const auto a1b = store->add_message(c, u1b, Role::Assistant, "a1b");
    EXPECT_EQ(contents(store->active_path(c)), (std::vector<std::string>{"u1 edited", "a1b"}));
    EXPECT_EQ(store->active_path(c)[0].sibling_index, 1);
    EXPECT_EQ(store->active_path(c)[0].sibling_count, 2);

    // Back to the first root: its whole branch down to a2 comes back.
    EXPECT_EQ(store->select_message(u1), a2);
    EXPECT_EQ(contents(store->active_path(c)), (std::vector<std::string>{"u1", "a1", "u2", "a2"}));
    // Regenerate a2, then switch to the old a2 and back to the other root and again to u1.
    const auto a2b = store->add_message(c, u2, Role::Assistant, "a2b");
    EXPECT_EQ(store->conversation(c)->current_leaf_id, a2b);
    EXPECT_EQ(store->select_message(a2), a2);
    EXPECT_EQ(store->select_message(u1b), a1b);
    EXPECT_EQ(store->select_message(u1), a2);  // remembered: a2, not the newer a2b
    EXPECT_EQ(store->active_path(c).back().sibling_index, 0);
    EXPECT_EQ(store->active_path(c).back().sibling_count, 2);
}

TEST_F(StorageTest, DeletingAMessageRemovesItsSubtreeAndMovesTheLeaf) {
    const auto c = store->create_conversation("prune");
    const auto u1 = store->add_message(c, std::nullopt, Role::User, "u1");
    const auto a1 = store->add_message(c, u1, Role::Assistant, "a1");
    const auto u2 = store->add_message(c, a1, Role::User, "u2");
    store->add_message(c, u2, Role::Assistant, "a2");
    const auto a1b = store->add_message(c, u1, Role::Assistant, "a1b");
    store->select_message(a1);
    store->delete_message(a1);  // takes u2 and a2 with it
    EXPECT_EQ(store->messages(c).size(), 2u);
    EXPECT_FALSE(store->message(u2));
    EXPECT_EQ(store->conversation(c)->current_leaf_id, a1b);
    EXPECT_EQ(contents(store->active_path(c)), (std::vector<std::string>{"u1", "a1b"}));
    store->delete_message(u1);
    EXPECT_EQ(store->messages(c).size(), 0u);
    EXPECT_FALSE(store->conversation(c)->current_leaf_id);
    EXPECT_TRUE(store->active_path(c).empty());
}

TEST_F(StorageTest, DeletingAnOffPathBranchKeepsTheCurrentLeaf) {
    const auto c = store->create_conversation("prune");
    const auto u1 = store->add_message(c, std::nullopt, Role::User, "u1");
    const auto a1 = store->add_message(c, u1, Role::Assistant, "a1");
    const auto a1b = store->add_message(c, u1, Role::Assistant, "a1b");
    store->delete_message(a1);
    EXPECT_EQ(store->conversation(c)->current_leaf_id, a1b);
    EXPECT_EQ(store->siblings(a1b).size(), 1u);
}

TEST_F(StorageTest, EditAndFinishMessages) {
    const auto c = store->create_conversation("edit");
    const auto u = store->add_message(c, std::nullopt, Role::User, "tpyo");
    store->update_message_content(u, "typo");
    EXPECT_EQ(store->message(u)->content, "typo");
    const auto a = store->start_assistant_message(c, u);
    MessageStats stats{.prompt_tokens = 12,
                       .generated_tokens = 34,
                       .reasoning_tokens = 5,
                       .ttft_ms = 120.5,
                       .tokens_per_s = 41.25,
                       .backend = "vulkan",
                       .dropped_messages = 3,
                       .reasoning_budget_reached = true};
    store->finish_message(a, MessageStatus::Failed, stats, "out of memory");
    const auto m = store->message(a);
    EXPECT_EQ(m->status, MessageStatus::Failed);
    EXPECT_EQ(m->error, "out of memory");
    EXPECT_EQ(m->stats, stats);
}

TEST_F(StorageTest, DeleteConversationsOneSeveralAll) {
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 5; ++i) {
        ids.push_back(store->create_conversation("c" + std::to_string(i)));
        const auto u = store->add_message(ids.back(), std::nullopt, Role::User, "q");
        store->add_message(ids.back(), u, Role::Assistant, "a");
    }
    store->delete_conversation(ids[0]);
    EXPECT_FALSE(store->conversation(ids[0]));
    EXPECT_EQ(store->messages(ids[0]).size(), 0u);             // cascaded
    const std::vector<std::int64_t> two{ids[1], ids[3], 777};  // unknown ids are ignored
    store->delete_conversations(two);
    EXPECT_EQ(store->list_conversations().size(), 2u);
    store->delete_all_conversations();
    EXPECT_EQ(store->list_conversations().size(), 0u);
    EXPECT_EQ(detail::query_int(db->handle(), "SELECT count(*) FROM messages", "t"), 0);
    EXPECT_EQ(db->integrity_check(), "ok");
}

TEST_F(StorageTest, DeepChainsDeleteWithoutHittingRecursionLimits) {
    const auto c = store->create_conversation("long");
    std::optional<std::int64_t> parent;
    {
        // One transaction for speed; add_message's own BEGIN is nested via SAVEPOINT-free raw SQL.
        detail::exec(db->handle(), "PRAGMA synchronous = OFF", "t");
        for (int i = 0; i < 1500; ++i)
            parent = store->add_message(c, parent, i % 2 ? Role::Assistant : Role::User, "m" + std::to_string(i));
    }
    EXPECT_EQ(store->active_path(c).size(), 1500u);
    const auto root = store->active_path(c).front().message.id;
    store->delete_message(root + 1);  // a 1499-deep subtree
    EXPECT_EQ(store->messages(c).size(), 1u);
    store->delete_conversation(c);
    EXPECT_EQ(detail::query_int(db->handle(), "SELECT count(*) FROM messages", "t"), 0);
}

TEST_F(StorageTest, OneDatabaseIsSafeToShareBetweenThreads) {
    const auto c = store->create_conversation("threads");
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            HistoryStore own(*db);
            for (int i = 0; i < 25; ++i) {
                own.add_message(c, std::nullopt, Role::User, "t" + std::to_string(t));
                own.list_conversations();
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(store->messages(c).size(), 100u);
    EXPECT_EQ(db->integrity_check(), "ok");
}

}  // namespace
}  // namespace ponder::storage::test
