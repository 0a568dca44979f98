// reasoning_test.cpp: think-marker discovery and the streaming reasoning/answer splitter.
#include "chat/reasoning.h"
#include "chat/chat_template.h"
#include "util/utf8.h"

#include <gtest/gtest.h>

namespace {

using ponder::Channel;
using ponder::chat::ReasoningSplitter;
using ponder::chat::SplitPiece;
using ponder::chat::ThinkMarkers;

const ThinkMarkers kThink{"<think>", "</think>"};

struct Collected {
    std::string reasoning, answer;
    bool pieces_ok = true;  // every piece non-empty, valid UTF-8
};

void collect(Collected& c, const std::vector<SplitPiece>& pieces) {
    for (const SplitPiece& p : pieces) {
        if (p.text.empty() || !ponder::utf8::is_valid(p.text)) c.pieces_ok = false;
        (p.channel == Channel::Reasoning ? c.reasoning : c.answer) += p.text;
    }
}

Collected run(ReasoningSplitter s, const std::vector<std::string>& pieces) {
    Collected c;
    for (const std::string& p : pieces) collect(c, s.feed(p));
    collect(c, s.finish());
    return c;
}

// Every way to cut `stream` into two pieces, plus byte-by-byte.
std::vector<std::vector<std::string>> all_splits(const std::string& stream) {
    std::vector<std::vector<std::string>> out;
    for (std::size_t k = 0; k <= stream.size(); ++k) out.push_back({stream.substr(0, k), stream.substr(k)});
    std::vector<std::string> bytes;
    for (char ch : stream) bytes.emplace_back(1, ch);
    out.push_back(bytes);
    return out;
}

TEST(ReasoningSplitter, ModelOpenedBlockAtEverySplitPoint) {
    // Qwen3-style: the model writes the open marker itself. Multi-byte text on both channels.
    const std::string stream = "<think>\n\xE6\x80\x9D\xE8\x80\x83 2+2\n</think>\n\nIt is 4 \xF0\x9F\x99\x82";
    for (const auto& pieces : all_splits(stream)) {
        const Collected c = run(ReasoningSplitter(kThink, false), pieces);
        EXPECT_EQ(c.reasoning, "\xE6\x80\x9D\xE8\x80\x83 2+2")
            << pieces.size() << " pieces, first '" << pieces[0] << "'";
        EXPECT_EQ(c.answer, "It is 4 \xF0\x9F\x99\x82") << "first piece '" << pieces[0] << "'";
        EXPECT_TRUE(c.pieces_ok) << "first piece '" << pieces[0] << "'";
    }
}

TEST(ReasoningSplitter, PromptOpenedBlockAtEverySplitPoint) {
    // DeepSeek-R1 distill templates end the prompt with "<think>\n": output starts inside the block.
    const std::string stream = "First, add.\n\nSo 4.\n</think>\n\nThe answer is 4.";
    for (const auto& pieces : all_splits(stream)) {
        const Collected c = run(ReasoningSplitter(kThink, true), pieces);
        EXPECT_EQ(c.reasoning, "First, add.\n\nSo 4.");
        EXPECT_EQ(c.answer, "The answer is 4.");
        EXPECT_TRUE(c.pieces_ok);
    }
}

TEST(ReasoningSplitter, RepeatedOpenMarkerAfterPromptOpenedIsDropped) {
    const Collected c = run(ReasoningSplitter(kThink, true), {"<thi", "nk>\nhm", "</think>ok"});
    EXPECT_EQ(c.reasoning, "hm");
    EXPECT_EQ(c.answer, "ok");
}

TEST(ReasoningSplitter, MarkersInsideTheAnswerStayAnswerText) {
    const std::string answer = "Use tags:\n```html\n<think>x</think>\n```";
    const Collected c = run(ReasoningSplitter(kThink, false), {"<think>", "plan", "</think>", "\n\n", answer});
    EXPECT_EQ(c.reasoning, "plan");
    EXPECT_EQ(c.answer, answer);
}

TEST(ReasoningSplitter, ModelThatDoesNotOpenTheBlockAnswersDirectly) {
    const Collected c = run(ReasoningSplitter(kThink, false), {"  Hello", " <think> world"});
    EXPECT_EQ(c.reasoning, "");
    EXPECT_EQ(c.answer, "  Hello <think> world");
}

TEST(ReasoningSplitter, MissingEndMarkerKeepsTextOnTheReasoningChannel) {
    ReasoningSplitter s(kThink, true);
    Collected c;
    collect(c, s.feed("still thinking"));
    collect(c, s.feed(" </thi"));  // a partial marker is held back...
    EXPECT_EQ(c.reasoning, "still thinking");
    collect(c, s.finish());  // ...and at the end it is just text
    EXPECT_EQ(c.reasoning, "still thinking </thi");
    EXPECT_EQ(c.answer, "");
    EXPECT_TRUE(s.in_reasoning());
}

TEST(ReasoningSplitter, NonReasoningModelPassesTextThroughUnchanged) {
    const std::string stream = "\n  Plain answer with <think> and caf\xC3\xA9.\n";
    for (const auto& pieces : all_splits(stream)) {
        const Collected c = run(ReasoningSplitter(), pieces);
        EXPECT_EQ(c.answer, stream);
        EXPECT_EQ(c.reasoning, "");
        EXPECT_TRUE(c.pieces_ok);
    }
}

TEST(ReasoningSplitter, NeverSplitsAMultiByteCharacter) {
    ReasoningSplitter s(kThink, true);
    Collected c;
    collect(c, s.feed("a\xE2"));  // first byte of "€"
    EXPECT_EQ(c.reasoning, "a");
    collect(c, s.feed("\x82"));
    EXPECT_EQ(c.reasoning, "a");
    collect(c, s.feed("\xAC"));
    EXPECT_EQ(c.reasoning, "a\xE2\x82\xAC");
    EXPECT_TRUE(c.pieces_ok);
}

TEST(ReasoningSplitter, BudgetReachedClosesTheBlock) {
    ReasoningSplitter s(kThink, true, 3);
    Collected c;
    collect(c, s.feed("one"));
    collect(c, s.feed(" two"));
    EXPECT_FALSE(s.budget_reached());
    collect(c, s.feed(" </th"));  // a held-back partial marker becomes reasoning when forced closed
    EXPECT_TRUE(s.budget_reached());
    EXPECT_EQ(s.reasoning_tokens(), 3);
    collect(c, s.close_reasoning());
    EXPECT_FALSE(s.in_reasoning());
    EXPECT_FALSE(s.budget_reached());
    EXPECT_EQ(c.reasoning, "one two </th");
    // The engine's injected close marker, if fed back, is swallowed; then the answer follows.
    collect(c, s.feed("\n</"));
    collect(c, s.feed("think>"));
    collect(c, s.feed("\n\nDone."));
    collect(c, s.finish());
    EXPECT_EQ(c.answer, "Done.");
    EXPECT_EQ(c.reasoning, "one two </th");
}

TEST(ReasoningSplitter, ZeroBudgetIsReachedImmediately) {
    ReasoningSplitter s(kThink, true, 0);
    EXPECT_TRUE(s.budget_reached());
    EXPECT_TRUE(s.close_reasoning().empty());
    Collected c;
    collect(c, s.feed("Answer."));
    EXPECT_EQ(c.answer, "Answer.");
}

TEST(ReasoningSplitter, SingleTokenMarkersMatchById) {
    ThinkMarkers m = kThink;
    m.open_id = 10;
    m.close_id = 11;
    ReasoningSplitter s(m, false);
    Collected c;
    collect(c, s.feed("<think>", 10));
    collect(c, s.feed("quoting </think> as text", 5));  // not the marker token: reasoning text
    collect(c, s.feed("</think>", 11));
    collect(c, s.feed("\nAns", 7));
    collect(c, s.finish());
    EXPECT_EQ(c.reasoning, "quoting </think> as text");
    EXPECT_EQ(c.answer, "Ans");
}

TEST(ReasoningSplitter, MarkerTokenTextCarryingEarlierBytes) {
    // A stream decoder may hand over held-back bytes together with the marker token's text.
    ThinkMarkers m = kThink;
    m.open_id = 10;
    m.close_id = 11;
    ReasoningSplitter s(m, true);
    Collected c;
    collect(c, s.feed("caf", 5));
    collect(c, s.feed("\xC3", 6));             // first byte of "é": held
    collect(c, s.feed("\xA9</think>\n", 11));  // rest of "é" arrives with the close marker
    collect(c, s.feed("Hi", 7));
    collect(c, s.feed("<think>", 10));  // after the block closed: plain answer text
    collect(c, s.finish());
    EXPECT_EQ(c.reasoning, "caf\xC3\xA9");
    EXPECT_EQ(c.answer, "Hi<think>");
    EXPECT_TRUE(c.pieces_ok);
}

TEST(ReasoningSplitter, MarkerTokensWithEmptyTextStillSwitch) {
    // Decoders that render special tokens as "" still switch channels by id.
    ThinkMarkers m = kThink;
    m.open_id = 10;
    m.close_id = 11;
    ReasoningSplitter s(m, false);
    Collected c;
    collect(c, s.feed("", 10));
    collect(c, s.feed("r", 5));
    collect(c, s.feed("", 11));
    collect(c, s.feed("a", 6));
    collect(c, s.finish());
    EXPECT_EQ(c.reasoning, "r");
    EXPECT_EQ(c.answer, "a");
}

TEST(ThinkMarkers, DiscoveredFromVocabularyThenTemplate) {
    const std::vector<std::string> vocab = {"a", "<think>", "b", "</think>"};
    auto m = ponder::chat::discover_think_markers(vocab, "");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->open, "<think>");
    EXPECT_EQ(m->open_id, 1);
    EXPECT_EQ(m->close_id, 3);

    m = ponder::chat::discover_think_markers({}, "{{ '[THINK]' + t + '[/THINK]' }}");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->close, "[/THINK]");
    EXPECT_EQ(m->close_id, -1);

    const std::vector<std::string> plain = {"<|begin_of_text|>", "hello"};
    EXPECT_FALSE(ponder::chat::discover_think_markers(plain, "{{ messages }}"));
}

TEST(ThinkMarkers, PromptOpensBlock) {
    using ponder::chat::prompt_opens_think_block;
    EXPECT_TRUE(prompt_opens_think_block("<｜User｜>hi<｜Assistant｜><think>\n", kThink));
    EXPECT_FALSE(prompt_opens_think_block("<|im_start|>assistant\n<think>\n\n</think>\n\n", kThink));
    EXPECT_FALSE(prompt_opens_think_block("<|im_start|>assistant\n", kThink));
}

TEST(ThinkMarkers, StripReasoningFromHistory) {
    using ponder::chat::strip_reasoning;
    EXPECT_EQ(strip_reasoning("<think>\nwork\n</think>\n\nThe answer is 4.", kThink), "The answer is 4.");
    EXPECT_EQ(strip_reasoning("work\n</think>\n\nThe answer.", kThink), "The answer.");
    EXPECT_EQ(strip_reasoning("  untouched  ", kThink), "  untouched  ");

    const ponder::Message history[] = {
        {ponder::Role::User, "Q", ""},
        {ponder::Role::Assistant, "<think>r</think>A", "r"},
    };
    auto plain = ponder::chat::to_chat_messages(history, false);
    ASSERT_EQ(plain.size(), 2u);
    EXPECT_EQ(plain[0].role, "user");
    EXPECT_EQ(plain[1].role, "assistant");
    EXPECT_EQ(plain[1].content, "A");
    EXPECT_FALSE(plain[1].reasoning_content);
    auto kept = ponder::chat::to_chat_messages(history, true);
    EXPECT_EQ(kept[1].reasoning_content.value_or(""), "r");
}

}  // namespace

namespace {

// The whole-text answer the streaming splitter must reproduce, written from the rules in reasoning.h.
Collected split_whole(const std::string& text, bool prompt_opened) {
    auto is_ws = [](char c) { return c == ' ' || c == '\n' || c == '\t'; };
    auto lstrip = [&](std::string s) {
        std::size_t k = 0;
        while (k < s.size() && is_ws(s[k])) ++k;
        return s.substr(k);
    };
    auto rstrip = [&](std::string s) {
        while (!s.empty() && is_ws(s.back())) s.pop_back();
        return s;
    };
    Collected c;
    std::string rest = text;
    if (!prompt_opened) {
        const std::string head = lstrip(rest);
        if (head.rfind("<think>", 0) != 0) {
            c.answer = text;
            return c;
        }
        rest = head.substr(7);
    }
    // Repeated open markers at the start of the block are dropped (a model echoing the prompt's).
    for (rest = lstrip(rest); rest.rfind("<think>", 0) == 0; rest = lstrip(rest.substr(7))) {}
    const std::size_t close = rest.find("</think>");
    if (close == std::string::npos) {
        c.reasoning = rstrip(lstrip(rest));
        return c;
    }
    c.reasoning = rstrip(lstrip(rest.substr(0, close)));
    c.answer = lstrip(rest.substr(close + 8));
    return c;
}

TEST(ReasoningSplitter, RandomStreamsMatchTheWholeTextSplit) {
    const char* parts[] = {"<think>", "</think>", "<", "</", "</thi",        "think>",           ">",
                           " ",       "\n",       "a", "bc", "\xE6\x80\x9D", "\xF0\x9F\x99\x82", "<th",
                           "x</",     "\t"};
    std::uint64_t seed = 99;
    auto rnd = [&seed](std::size_t n) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::size_t>((seed >> 33) % n);
    };
    for (int round = 0; round < 2000; ++round) {
        std::string text;
        const std::size_t n = rnd(12);
        for (std::size_t k = 0; k < n; ++k) text += parts[rnd(std::size(parts))];
        // Cut anywhere, including inside multi-byte characters and markers.
        std::vector<std::string> pieces;
        for (std::size_t pos = 0; pos < text.size();) {
            const std::size_t len = 1 + rnd(5);
            pieces.push_back(text.substr(pos, len));
            pos += len;
        }
        for (const bool opened : {false, true}) {
            const Collected want = split_whole(text, opened);
            const Collected got = run(ReasoningSplitter(kThink, opened), pieces);
            ASSERT_EQ(got.reasoning, want.reasoning) << "text '" << text << "' opened=" << opened;
            ASSERT_EQ(got.answer, want.answer) << "text '" << text << "' opened=" << opened;
            ASSERT_TRUE(got.pieces_ok) << "text '" << text << "'";
        }
    }
}

}  // namespace
