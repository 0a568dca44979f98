// export_test.cpp: Markdown and JSON export (reasoning in or out, one or all chats, branches) and
// JSON import: round trip, branch selection kept, all-or-nothing on bad input.
#include "storage_fixture.h"

#include "storage/export.h"

#include <nlohmann/json.hpp>

#include <random>

namespace ponder::storage::test {
namespace {

class ExportTest : public StorageTest {
protected:
    // question -> (answer A stopped | answer B selected) ; B has reasoning and stats.
    std::int64_t make_chat(const std::string& title) {
        ConversationSettings s;
        s.system_prompt = "Answer in one line.";
        s.model = "qwen3-0.6b";
        s.sampling.temperature = 0.7;
        s.sampling.seed = 42;
        const auto c = store->create_conversation(title, s);
        const auto u = store->add_message(c, std::nullopt, Role::User, "Why is the sky blue?");
        a_id = store->start_assistant_message(c, u, "qwen3-0.6b");
        store->finish_message(a_id, MessageStatus::Stopped, {});
        b_id = store->start_assistant_message(c, u, "qwen3-0.6b");
        detail::Statement st(db->handle(),
                             "UPDATE messages SET content = ?2, reasoning = ?3, reasoning_ms = 2500 WHERE id = ?1");
        st.bind(1, b_id).bind(2, "Rayleigh scattering.").bind(3, "Short wavelengths scatter more.").run();
        store->finish_message(b_id, MessageStatus::Complete,
                              {.prompt_tokens = 10,
                               .generated_tokens = 20,
                               .ttft_ms = 50,
                               .tokens_per_s = 30,
                               .backend = "cpu",
                               .dropped_messages = 4,
                               .reasoning_budget_reached = true});
        return c;
    }
    std::int64_t a_id = 0, b_id = 0;
};

TEST_F(ExportTest, MarkdownShowsTheActivePathWithOrWithoutReasoning) {
    const auto c = make_chat("Sky colour");
    const std::vector<std::int64_t> ids{c};
    const std::string md = export_markdown(*db, ids);
    EXPECT_EQ(md.rfind("# Sky colour\n", 0), 0u) << md;
    EXPECT_NE(md.find("Answer in one line."), std::string::npos);
    EXPECT_NE(md.find("### User"), std::string::npos);
    EXPECT_LT(md.find("Why is the sky blue?"), md.find("Rayleigh scattering."));
    EXPECT_NE(md.find("> Short wavelengths scatter more."), std::string::npos) << md;
    EXPECT_NE(md.find("(2.5 s)"), std::string::npos) << md;
    EXPECT_NE(md.find("branch 2/2"), std::string::npos) << md;
    EXPECT_EQ(md.find("stopped"), std::string::npos);  // branch A is not on the active path
    const std::string bare = export_markdown(*db, ids, {.include_reasoning = false});
    EXPECT_EQ(bare.find("Short wavelengths"), std::string::npos);
    EXPECT_NE(bare.find("Rayleigh scattering."), std::string::npos);
    const std::string all = export_markdown(*db, ids, {.all_branches = true});
    EXPECT_NE(all.find("*(stopped)*"), std::string::npos) << all;
    EXPECT_NE(all.find("branch 1/2"), std::string::npos);
}

TEST_F(ExportTest, MarkdownNamesTheModelFileNotItsLocalPath) {
    const auto c = store->create_conversation("Private paths");
    const auto u = store->add_message(c, std::nullopt, Role::User, "hi");
    const auto a = store->start_assistant_message(c, u, "/home/alice/secret-projects/models/qwen3-0.6b-q4.gguf");
    store->finish_message(a, MessageStatus::Complete, {});
    const std::vector<std::int64_t> ids{c};
    const std::string md = export_markdown(*db, ids);
    EXPECT_NE(md.find("(qwen3-0.6b-q4.gguf)"), std::string::npos) << md;
    EXPECT_EQ(md.find("/home/alice"), std::string::npos) << md;
}

TEST_F(ExportTest, AllConversationsAreSeparated) {
    make_chat("First chat");
    make_chat("Second chat");
    const std::string md = export_markdown_all(*db);
    EXPECT_LT(md.find("# First chat"), md.find("# Second chat"));
    EXPECT_NE(md.find("\n---\n"), std::string::npos);
    const auto doc = nlohmann::json::parse(export_json_all(*db));
    EXPECT_EQ(doc["conversations"].size(), 2u);
}

TEST_F(ExportTest, JsonHasTheDocumentedShape) {
    const auto c = make_chat("Sky");
    const std::vector<std::int64_t> ids{c};
    const auto doc = nlohmann::json::parse(export_json(*db, ids));
    EXPECT_EQ(doc["format"], "ponder-history");
    EXPECT_EQ(doc["version"], 1);
    const auto& jc = doc["conversations"][0];
    EXPECT_EQ(jc["title"], "Sky");
    EXPECT_EQ(jc["settings"]["sampling"]["temperature"], 0.7);
    EXPECT_FALSE(jc["settings"]["sampling"].contains("top_p"));  // unset stays unset
    EXPECT_EQ(jc["messages"].size(), 3u);
    EXPECT_EQ(jc["current_leaf"], b_id);
    EXPECT_EQ(jc["messages"][2]["reasoning"], "Short wavelengths scatter more.");
    EXPECT_EQ(jc["messages"][2]["stats"]["backend"], "cpu");
    const auto bare = nlohmann::json::parse(export_json(*db, ids, {.include_reasoning = false}));
    EXPECT_FALSE(bare["conversations"][0]["messages"][2].contains("reasoning"));
    const std::vector<std::int64_t> missing{12345};
    EXPECT_THROW(export_json(*db, missing), StorageError);
}

TEST_F(ExportTest, JsonRoundTripIntoAnotherDatabase) {
    const auto c = make_chat("Round trip 往返");
    store->set_pinned(c, true);
    const std::vector<std::int64_t> ids{c};
    const std::string exported = export_json(*db, ids);

    ponder::test::TempDir other_dir;
    auto other = Database::open(other_dir / "other.db");
    const auto imported = import_json(*other, exported);
    ASSERT_EQ(imported.size(), 1u);
    HistoryStore other_store(*other);
    const auto oc = other_store.conversation(imported[0]);
    const auto orig = store->conversation(c);
    EXPECT_EQ(oc->title, orig->title);
    EXPECT_EQ(oc->settings, orig->settings);
    EXPECT_EQ(oc->pinned, true);
    EXPECT_EQ(oc->created_at, orig->created_at);
    const auto path = other_store.active_path(imported[0]);
    const auto orig_path = store->active_path(c);
    ASSERT_EQ(path.size(), orig_path.size());
    for (std::size_t i = 0; i < path.size(); ++i) {
        EXPECT_EQ(path[i].message.content, orig_path[i].message.content);
        EXPECT_EQ(path[i].message.reasoning, orig_path[i].message.reasoning);
        EXPECT_EQ(path[i].message.reasoning_ms, orig_path[i].message.reasoning_ms);
        EXPECT_EQ(path[i].message.status, orig_path[i].message.status);
        EXPECT_EQ(path[i].message.stats, orig_path[i].message.stats);
        EXPECT_EQ(path[i].sibling_index, orig_path[i].sibling_index);
        EXPECT_EQ(path[i].sibling_count, orig_path[i].sibling_count);
    }
    EXPECT_EQ(other_store.messages(imported[0]).size(), 3u);
    // Exporting the import gives the same document apart from the ids.
    auto strip_ids = [](nlohmann::json doc) {
        for (auto& conv : doc["conversations"]) {
            conv.erase("current_leaf");
            for (auto& m : conv["messages"]) {
                m.erase("id");
                m.erase("parent");
            }
        }
        return doc;
    };
    const std::vector<std::int64_t> again{imported[0]};
    EXPECT_EQ(strip_ids(nlohmann::json::parse(export_json(*other, again))), strip_ids(nlohmann::json::parse(exported)));
}

TEST_F(ExportTest, ImportAcceptsChildrenBeforeParentsAndInterruptsStreaming) {
    const std::string doc = R"({"format":"ponder-history","version":1,"conversations":[{"title":"hand made",
        "messages":[{"id":20,"parent":10,"role":"assistant","content":"reply","status":"streaming"},
                    {"id":10,"parent":null,"role":"user","content":"hello"}]}]})";
    const auto ids = import_json(*db, doc);
    ASSERT_EQ(ids.size(), 1u);
    const auto path = store->active_path(ids[0]);
    ASSERT_EQ(path.size(), 2u);
    EXPECT_EQ(path[0].message.content, "hello");
    EXPECT_EQ(path[1].message.status, MessageStatus::Interrupted);
}

TEST_F(ExportTest, BadImportsAreRejectedWholeWithAClearMessage) {
    make_chat("existing");
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"{not json", "JSON"},
        {R"({"format":"something-else","version":1,"conversations":[]})", "ponder-history"},
        {R"({"format":"ponder-history","version":9,"conversations":[]})", "version"},
        {R"({"format":"ponder-history","version":1,"conversations":{}})", "conversations"},
        // The first conversation is fine; the second is broken: nothing may be imported.
        {R"({"format":"ponder-history","version":1,"conversations":[{"title":"ok","messages":[]},
            {"title":"bad","messages":[{"id":1,"role":"robot","content":"x"}]}]})",
         "conversation 2, message 1"},
        {R"({"format":"ponder-history","version":1,"conversations":[{"messages":[{"id":1,"parent":7,"role":"user"}]}]})",
         "parent"},
        {R"({"format":"ponder-history","version":1,"conversations":[{"messages":[{"id":1,"role":"user","content":5}]}]})",
         "conversation 1"},
        {R"({"format":"ponder-history","version":1,"conversations":[{"messages":[{"id":1,"role":"user"},{"id":1,"role":"user"}]}]})",
         "duplicate"},
        {R"({"format":"ponder-history","version":1,"conversations":[{"created_at":1e300,"messages":[]}]})",
         "\"created_at\" must be an integer"},
        {R"({"format":"ponder-history","version":1,"conversations":[{"settings":{"sampling":{"top_k":99999999999}},"messages":[]}]})",
         "\"top_k\" is out of range"},
    };
    for (const auto& [doc, expected] : cases) {
        try {
            import_json(*db, doc);
            ADD_FAILURE() << "accepted: " << doc;
        } catch (const StorageError& e) {
            EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument) << doc;
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
        }
    }
    EXPECT_EQ(store->list_conversations().size(), 1u);
}

TEST_F(ExportTest, MangledExportsFailCleanlyOrImportWhole) {
    make_chat("source");
    const std::string good = export_json_all(*db);
    std::mt19937 rng(11);
    const char junk[] = {'"', '{', '}', '[', ']', ',', ':', '1', '-', 'x', '\\', '\0', '\xff', 'n'};
    int rejected = 0, accepted = 0;
    for (int i = 0; i < 300; ++i) {
        std::string doc = good;
        for (int k = 0; k < 3; ++k) {
            const std::size_t at = rng() % doc.size();
            switch (rng() % 3) {
            case 0: doc[at] = junk[rng() % sizeof junk]; break;
            case 1: doc.erase(at, 1 + rng() % 8); break;
            default: doc.insert(at, 1, junk[rng() % sizeof junk]); break;
            }
        }
        const auto before = store->list_conversations().size();
        try {
            const auto ids = import_json(*db, doc);
            ++accepted;
            EXPECT_EQ(store->list_conversations().size(), before + ids.size());
        } catch (const StorageError& e) {
            ++rejected;
            EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument) << e.what();
            EXPECT_EQ(store->list_conversations().size(), before);  // all or nothing
        }
    }
    EXPECT_GT(rejected, 0);
    EXPECT_EQ(db->integrity_check(), "ok");
    std::printf("mangled imports: %d rejected, %d accepted\n", rejected, accepted);
}

}  // namespace
}  // namespace ponder::storage::test
