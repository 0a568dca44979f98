// search_test.cpp: full-text search: ranking, prefixes, phrases, reasoning and titles, Chinese
// queries of every length, snippets, odd query text, and what is (not) indexed.
#include "storage_fixture.h"

#include "storage/search.h"

#include <random>

namespace ponder::storage::test {
namespace {

class SearchTest : public StorageTest {
protected:
    std::int64_t answer(std::int64_t conversation, const std::string& content, const std::string& reasoning = {}) {
        const auto u = store->add_message(conversation, std::nullopt, Role::User, "question");
        const auto a = store->start_assistant_message(conversation, u);
        detail::Statement st(db->handle(), "UPDATE messages SET content = ?2, reasoning = ?3 WHERE id = ?1");
        st.bind(1, a).bind(2, content).bind(3, reasoning).run();
        store->finish_message(a, MessageStatus::Complete, {});
        return a;
    }
    std::vector<std::int64_t> message_ids(const std::vector<SearchHit>& hits) {
        std::vector<std::int64_t> out;
        for (const auto& h : hits)
            if (h.message_id) out.push_back(*h.message_id);
        return out;
    }
};

TEST_F(SearchTest, FindsWordsCaseInsensitivelyWithPrefixesAndAllTerms) {
    const auto c = store->create_conversation("chat");
    const auto q = answer(c, "Quantization shrinks model weights to 4 bits.");
    const auto k = answer(c, "The KV cache stores keys and values.");
    EXPECT_EQ(message_ids(search(*db, "quantization")), std::vector<std::int64_t>{q});
    EXPECT_EQ(message_ids(search(*db, "QUANTIZ")), std::vector<std::int64_t>{q});   // prefix
    EXPECT_EQ(message_ids(search(*db, "quantiz*")), std::vector<std::int64_t>{q});  // prefix, star syntax
    EXPECT_EQ(message_ids(search(*db, "cache keys")), std::vector<std::int64_t>{k});
    EXPECT_TRUE(search(*db, "cache quantization").empty());  // every term must match
    EXPECT_EQ(message_ids(search(*db, "\"keys and values\"")), std::vector<std::int64_t>{k});
    EXPECT_TRUE(search(*db, "\"values and keys\"").empty());
    EXPECT_TRUE(search(*db, "").empty());
    EXPECT_TRUE(search(*db, "   ").empty());
}

TEST_F(SearchTest, RanksMoreRelevantMessagesFirst) {
    const auto c = store->create_conversation("chat");
    const auto once = answer(c, "A long text that mentions entropy once among many other unrelated words here.");
    const auto often = answer(c, "Entropy, entropy, entropy: entropy everywhere.");
    const auto hits = search(*db, "entropy");
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(*hits[0].message_id, often);
    EXPECT_EQ(*hits[1].message_id, once);
    EXPECT_LE(hits[0].score, hits[1].score);
}

TEST_F(SearchTest, ReasoningOnlyWhenAskedAndTitlesFirst) {
    const auto c = store->create_conversation("Notes on thermodynamics");
    const auto m = answer(c, "The answer text.", "Let me recall the Carnot cycle first.");
    EXPECT_TRUE(search(*db, "carnot").empty());
    auto hits = search(*db, "carnot", {.include_reasoning = true});
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].field, SearchField::Reasoning);
    EXPECT_EQ(*hits[0].message_id, m);
    EXPECT_EQ(hits[0].conversation_id, c);
    EXPECT_EQ(hits[0].conversation_title, "Notes on thermodynamics");

    answer(c, "thermodynamics in the answer too");
    hits = search(*db, "thermodynamics");
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits[0].field, SearchField::Title);
    EXPECT_FALSE(hits[0].message_id);
    EXPECT_EQ(hits[1].field, SearchField::Content);
    EXPECT_EQ(search(*db, "thermodynamics", {.include_titles = false}).size(), 1u);
    store->rename_conversation(c, "Renamed");
    EXPECT_EQ(search(*db, "thermodynamics").size(), 1u);  // the old title left the index
    EXPECT_EQ(search(*db, "renamed").size(), 1u);
}

TEST_F(SearchTest, ChineseQueriesOfAnyLength) {
    const auto c = store->create_conversation("中文聊天");
    const auto qc = answer(c, "量子计算利用量子比特的叠加态来并行处理信息。");
    const auto ml = answer(c, "机器学习模型需要大量的数据进行训练。");
    EXPECT_EQ(message_ids(search(*db, "量子计算")), std::vector<std::int64_t>{qc});  // trigram index
    EXPECT_EQ(message_ids(search(*db, "叠加态")), std::vector<std::int64_t>{qc});    // exactly 3 chars
    EXPECT_EQ(message_ids(search(*db, "量子")), std::vector<std::int64_t>{qc});      // 2 chars: LIKE pass
    EXPECT_EQ(message_ids(search(*db, "数据")), std::vector<std::int64_t>{ml});
    EXPECT_EQ(message_ids(search(*db, "叠")), std::vector<std::int64_t>{qc});  // 1 char
    EXPECT_EQ(search(*db, "量").size(), 2u);                                   // 量子 and 大量
    EXPECT_EQ(search(*db, "的").size(), 2u);
    EXPECT_EQ(message_ids(search(*db, "机器学习 数据")), std::vector<std::int64_t>{ml});  // long AND short
    EXPECT_TRUE(search(*db, "量子 数据").empty());
    EXPECT_EQ(message_ids(search(*db,
                                 "量子\xE3\x80\x80"
                                 "比特")),
              std::vector<std::int64_t>{qc});  // U+3000 space
    const auto title_hits = search(*db, "聊天");
    ASSERT_FALSE(title_hits.empty());
    EXPECT_EQ(title_hits[0].field, SearchField::Title);
}

TEST_F(SearchTest, SnippetsHighlightMatchesWithConfigurableMarkers) {
    const auto c = store->create_conversation("chat");
    std::string long_text;
    for (int i = 0; i < 40; ++i) long_text += "filler words ";
    long_text += "the Needle is here\nand more ";
    for (int i = 0; i < 40; ++i) long_text += "trailing words ";
    answer(c, long_text);
    const auto hits = search(*db, "needle", {.highlight_open = "<b>", .highlight_close = "</b>", .snippet_chars = 60});
    ASSERT_EQ(hits.size(), 1u);
    const std::string& s = hits[0].snippet;
    EXPECT_NE(s.find("<b>Needle</b>"), std::string::npos) << s;  // original case kept
    EXPECT_EQ(s.rfind("\xE2\x80\xA6", 0), 0u) << s;              // starts with an ellipsis
    EXPECT_EQ(s.find('\n'), std::string::npos) << s;             // flattened
    EXPECT_LT(s.size(), 120u) << s;
    const auto cjk = answer(c, "量子计算利用量子比特");
    const auto cjk_hits = search(*db, "量子");
    ASSERT_EQ(cjk_hits.size(), 1u);
    EXPECT_EQ(*cjk_hits[0].message_id, cjk);
    EXPECT_EQ(cjk_hits[0].snippet, "\x02量子\x03计算利用\x02量子\x03比特");  // default markers STX/ETX
}

TEST_F(SearchTest, OddQueryTextNeverThrowsAndIsTakenLiterally) {
    const auto c = store->create_conversation("chat");
    const auto pct = answer(c, "It grew by 5% (AND then NEAR zero) a_b");
    answer(c, "It grew by 50 percent");
    for (const char* q : {"\"", "\"\"", "AND", "OR NOT", "(", ")", "*", "NEAR(", "{content}:", "col:umn", "'", "\\",
                          "%", "_", "\xff\xfe", "a\"b"})
        EXPECT_NO_THROW(search(*db, q)) << q;
    EXPECT_EQ(message_ids(search(*db, "5%")), std::vector<std::int64_t>{pct});  // % is not a wildcard
    EXPECT_EQ(message_ids(search(*db, "a_b")), std::vector<std::int64_t>{pct});
    EXPECT_EQ(message_ids(search(*db, "(AND then NEAR")), std::vector<std::int64_t>{pct});
}

TEST_F(SearchTest, RandomQueryBytesNeverThrow) {
    const auto c = store->create_conversation("chat \"quoted\" 量子");
    answer(c, "some text with \"quotes\" and 量子计算 and NEAR(a b) AND OR NOT *", "reasoning 推理");
    const std::string alphabet[] = {"a",       "b",         "\"",   "*",    "(",   ")",  ":",
                                    "{",       "}",         "-",    "^",    "+",   " ",  "\t",
                                    "%",       "_",         "\\",   "'",    "量",  "子", "\xE3\x80\x80",
                                    "\xff",    "\x80",      "\xC3", "NEAR", "AND", "OR", "NOT",
                                    "content", "reasoning", "\x02", "\x00"};
    std::mt19937 rng(7);
    for (int i = 0; i < 2000; ++i) {
        std::string q;
        const int len = static_cast<int>(rng() % 12);
        for (int j = 0; j < len; ++j) q += alphabet[rng() % std::size(alphabet)];
        EXPECT_NO_THROW(search(*db, q, {.include_reasoning = (i % 2) == 0})) << q;
    }
}

TEST_F(SearchTest, StreamingIsNotIndexedUntilFinishedAndDeletedIsGone) {
    const auto c = store->create_conversation("chat");
    const auto u = store->add_message(c, std::nullopt, Role::User, "question");
    const auto a = store->start_assistant_message(c, u);
    detail::exec(db->handle(), "UPDATE messages SET content = 'half written aurora' WHERE status = 'streaming'", "t");
    EXPECT_TRUE(search(*db, "aurora").empty());
    store->finish_message(a, MessageStatus::Stopped, {});
    EXPECT_EQ(search(*db, "aurora").size(), 1u);
    store->update_message_content(a, "edited borealis");
    EXPECT_TRUE(search(*db, "aurora").empty());
    EXPECT_EQ(search(*db, "borealis").size(), 1u);
    store->delete_message(a);
    EXPECT_TRUE(search(*db, "borealis").empty());
    detail::exec(db->handle(), "INSERT INTO message_fts(message_fts) VALUES ('integrity-check')", "fts check");
}

TEST_F(SearchTest, LimitCapsTheNumberOfHits) {
    const auto c = store->create_conversation("chat");
    for (int i = 0; i < 12; ++i) answer(c, "repeated phrase number " + std::to_string(i));
    EXPECT_EQ(search(*db, "repeated", {.limit = 5}).size(), 5u);
    EXPECT_EQ(search(*db, "re", {.limit = 5}).size(), 5u);  // short-term path too
    EXPECT_EQ(search(*db, "repeated").size(), 12u);
    EXPECT_TRUE(search(*db, "repeated", {.limit = 0}).empty());
}

TEST_F(SearchTest, CommonTermsWithThousandsOfMatchesStillRankAndLimit) {
    const auto c = store->create_conversation("many");
    detail::exec(db->handle(), "BEGIN", "t");
    detail::Statement st(db->handle(),
                         "INSERT INTO messages (conversation_id, role, content, created_at, updated_at) "
                         "VALUES (?1, 'assistant', ?2, 0, 0)");
    for (int i = 0; i < 1500; ++i) {
        st.reset();
        st.bind(1, c).bind(2, "common word number " + std::to_string(i) + " with some padding text").run();
    }
    st.reset();
    st.bind(1, c).bind(2, "common common common common").run();  // newest and most relevant
    const auto best = sqlite3_last_insert_rowid(db->handle());
    detail::exec(db->handle(), "COMMIT", "t");
    const auto hits = search(*db, "common", {.include_titles = false, .limit = 20});
    ASSERT_EQ(hits.size(), 20u);
    EXPECT_EQ(*hits[0].message_id, best);
    for (std::size_t i = 1; i < hits.size(); ++i) EXPECT_LE(hits[i - 1].score, hits[i].score);
    for (const auto& h : hits)
        EXPECT_NE(h.snippet.find("\x02"
                                 "common"
                                 "\x03"),
                  std::string::npos)
            << h.snippet;
}

}  // namespace
}  // namespace ponder::storage::test
