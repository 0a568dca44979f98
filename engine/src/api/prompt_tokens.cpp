// prompt_tokens.cpp: finds where message text sits in a rendered chat prompt and keeps it plain.
//
// Why: the rendered prompt is tokenized with parse_special so that the template's markup
// (<|im_start|>, <|eot_id|>, <｜Assistant｜>) becomes control tokens; text the user typed or pasted
// must not, or a message could end its own turn or fake a system turn.
//
// How the message text is located, in order of preference:
// 1. Sentinels: the affected messages are rendered with their text replaced by unique markers. The
//    result is accepted only if every marker occurs exactly once and putting the real text back
//    gives exactly the normal rendering (so a template that tests or transforms content is caught).
// 2. Search: each affected text is looked up verbatim (then trimmed, for templates that trim) in
//    the normal rendering, starting where the rendering of the earlier messages ends.
// 3. Neutralising: control-token text in the affected messages gets a WORD JOINER (U+2060) after
//    its first character, so it can no longer match. This alters what the model reads slightly;
//    it is only reached for templates that rewrite message text beyond trimming.
//
// Only messages that contain control-token text take this path; all others are tokenized exactly as
// before (encode(render(...), false, true)), which the llama.cpp reference test checks.
#include "api/prompt_tokens.h"

#include "util/error.h"
#include "util/log.h"

#include <algorithm>
#include <exception>
#include <optional>

namespace ponder {

ControlTexts::ControlTexts(const Tokenizer& tokenizer) : m_tokenizer(&tokenizer) {
    for (std::int32_t id = 0; id < tokenizer.vocab_size(); ++id) {
        const TokenType t = tokenizer.token_type(id);
        if (!tokenizer.is_control(id) || t == TokenType::UserDefined) continue;
        const std::string_view text = tokenizer.token_text(id);
        if (text.empty()) continue;
        m_longest_first.push_back(id);
        m_first_byte[static_cast<unsigned char>(text[0])] = true;
        m_sorted.push_back(text);
    }
    std::sort(m_sorted.begin(), m_sorted.end());
    std::stable_sort(m_longest_first.begin(), m_longest_first.end(), [&](std::int32_t a, std::int32_t b) {
        return tokenizer.token_text(a).size() > tokenizer.token_text(b).size();
    });
}

bool ControlTexts::occurs_in(std::string_view text) const {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!m_first_byte[static_cast<unsigned char>(text[i])]) continue;
        // Is some text a prefix of `key`? Every such text is <= key, so the greatest text <= key is
        // one, or else all of them are prefixes of the part that text shares with key: narrow to it.
        std::string_view key = text.substr(i);
        while (!key.empty()) {
            auto it = std::upper_bound(m_sorted.begin(), m_sorted.end(), key);
            if (it == m_sorted.begin()) break;
            const std::string_view t = *--it;
            if (key.starts_with(t)) return true;
            std::size_t common = 0;
            while (common < t.size() && common < key.size() && t[common] == key[common]) ++common;
            key = key.substr(0, common);
        }
    }
    return false;
}

std::vector<std::int32_t> encode_with_plain_spans(const Tokenizer& tokenizer, const ControlTexts& controls,
                                                  std::string_view text, std::span<const PlainSpan> plain) {
    // Fragments cover the text in order: control tokens (token >= 0), template text, plain text.
    struct Fragment {
        std::int32_t token;
        std::size_t begin, end;
        bool plain;
    };
    std::vector<Fragment> fragments;
    std::size_t pos = 0;
    for (const PlainSpan& s : plain) {
        if (s.begin < pos || s.end < s.begin || s.end > text.size())
            fail("prompt tokens: plain spans must be sorted, disjoint and inside the text");
        if (s.begin > pos) fragments.push_back({-1, pos, s.begin, false});
        if (s.end > s.begin) fragments.push_back({-1, s.begin, s.end, true});
        pos = s.end;
    }
    if (pos < text.size()) fragments.push_back({-1, pos, text.size(), false});

    // Longest control text first over the template text, as the tokenizer resolves overlaps.
    std::vector<Fragment> next;
    for (std::int32_t id : controls.longest_first()) {
        const std::string_view needle = tokenizer.token_text(id);
        if (text.find(needle) == std::string_view::npos) continue;
        next.clear();
        for (const Fragment& f : fragments) {
            if (f.token >= 0 || f.plain) {
                next.push_back(f);
                continue;
            }
            const std::string_view part = text.substr(f.begin, f.end - f.begin);
            std::size_t at = 0;
            for (std::size_t hit; (hit = part.find(needle, at)) != std::string_view::npos; at = hit + needle.size()) {
                if (hit > at) next.push_back({-1, f.begin + at, f.begin + hit, false});
                next.push_back({id, 0, 0, false});
            }
            if (at < part.size()) next.push_back({-1, f.begin + at, f.end, false});
        }
        fragments.swap(next);
    }

    // Each run of text between control tokens is encoded in one piece (parse_special off: UserDefined
    // tokens such as <think> still match, as they would in encode(text, false, true)), so merges
    // across a span edge and SentencePiece's space after a control token come out as for plain text.
    std::vector<std::int32_t> ids;
    ids.reserve(text.size() / 3 + 2);
    for (std::size_t i = 0; i < fragments.size();) {
        if (fragments[i].token >= 0) {
            ids.push_back(fragments[i++].token);
            continue;
        }
        const std::size_t begin = fragments[i].begin;
        std::size_t end = fragments[i].end;
        while (++i < fragments.size() && fragments[i].token < 0) end = fragments[i].end;
        const std::vector<std::int32_t> part = tokenizer.encode(text.substr(begin, end - begin), false, false);
        ids.insert(ids.end(), part.begin(), part.end());
    }
    return ids;
}

namespace {

// The message texts that must stay plain, in the order templates usually write them.
struct Affected {
    std::size_t message;
    bool reasoning;  // else content
};

std::string& field(std::vector<chat::ChatMessage>& msgs, const Affected& a) {
    return a.reasoning ? *msgs[a.message].reasoning_content : msgs[a.message].content;
}

std::size_t count_of(std::string_view hay, std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t at = hay.find(needle); at != std::string_view::npos; at = hay.find(needle, at + needle.size()))
        ++n;
    return n;
}

// 1. Sentinels. Returns the spans, or nullopt when the template does not pass them through unchanged.
std::optional<std::vector<PlainSpan>> spans_by_sentinel(const std::vector<chat::ChatMessage>& messages,
                                                        const std::vector<Affected>& affected,
                                                        bool add_generation_prompt, const RenderMessages& render,
                                                        const std::string& normal) {
    // Markers made of text no message or rendering contains (U+E000 is a private-use character).
    std::string base = "\xEE\x80\x80ponder-plain-";
    auto clashes = [&](const std::string& b) {
        if (normal.find(b) != std::string::npos) return true;
        return std::any_of(messages.begin(), messages.end(), [&](const chat::ChatMessage& m) {
            return m.content.find(b) != std::string::npos ||
                   (m.reasoning_content && m.reasoning_content->find(b) != std::string::npos);
        });
    };
    while (clashes(base)) base += "x";
    std::vector<chat::ChatMessage> marked = messages;
    std::vector<std::string> markers;
    for (std::size_t k = 0; k < affected.size(); ++k) {
        markers.push_back(base + std::to_string(k) + "\xEE\x80\x80");
        field(marked, affected[k]) = markers.back();
    }
    std::string out;
    try {
        out = render(std::move(marked), add_generation_prompt);
    } catch (const std::exception& e) {
        PONDER_LOG_DEBUG("prompt tokens: rendering with markers failed (%s)", e.what());
        return std::nullopt;
    }
    // Marker positions in the marked rendering, in text order.
    std::vector<std::pair<std::size_t, std::size_t>> found;  // (position, affected index)
    for (std::size_t k = 0; k < markers.size(); ++k) {
        if (count_of(out, markers[k]) != 1) return std::nullopt;
        found.emplace_back(out.find(markers[k]), k);
    }
    std::sort(found.begin(), found.end());
    std::string rebuilt;
    std::vector<PlainSpan> spans;
    std::size_t pos = 0;
    for (const auto& [at, k] : found) {
        rebuilt.append(out, pos, at - pos);
        const std::string& real = affected[k].reasoning ? *messages[affected[k].message].reasoning_content
                                                        : messages[affected[k].message].content;
        spans.push_back({rebuilt.size(), rebuilt.size() + real.size()});
        rebuilt += real;
        pos = at + markers[k].size();
    }
    rebuilt.append(out, pos, std::string::npos);
    if (rebuilt != normal) return std::nullopt;
    return spans;
}

std::string_view trimmed(std::string_view s) {
    const auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && ws(s.front())) s.remove_prefix(1);
    while (!s.empty() && ws(s.back())) s.remove_suffix(1);
    return s;
}

// 2. Search, each text after where the earlier messages' rendering stops matching the prompt.
std::optional<std::vector<PlainSpan>> spans_by_search(const std::vector<chat::ChatMessage>& messages,
                                                      const std::vector<Affected>& affected,
                                                      const RenderMessages& render, const std::string& normal) {
    std::vector<PlainSpan> spans;
    for (const Affected& a : affected) {
        std::size_t from = 0;
        try {
            const std::string before =
                render(std::vector<chat::ChatMessage>(messages.begin(),
                                                      messages.begin() + static_cast<std::ptrdiff_t>(a.message)),
                       false);
            while (from < before.size() && from < normal.size() && before[from] == normal[from]) ++from;
        } catch (const std::exception&) {
            // Templates may refuse a partial conversation; search from the start then.
        }
        const std::string& real = a.reasoning ? *messages[a.message].reasoning_content : messages[a.message].content;
        std::string_view needle = real;
        std::size_t at = normal.find(needle, from);
        if (at == std::string::npos) {
            needle = trimmed(real);
            at = needle.empty() ? std::string::npos : normal.find(needle, from);
        }
        if (at == std::string::npos) return std::nullopt;
        spans.push_back({at, at + needle.size()});
    }
    std::sort(spans.begin(), spans.end(), [](const PlainSpan& x, const PlainSpan& y) { return x.begin < y.begin; });
    for (std::size_t i = 1; i < spans.size(); ++i)
        if (spans[i].begin < spans[i - 1].end) return std::nullopt;
    return spans;
}

// 3. Neutralising: a WORD JOINER after the first byte of each control text (all control texts
// start with an ASCII byte or a full character boundary in practice; the check below guarantees
// we only split after an ASCII byte).
std::string neutralised(std::string_view text, const Tokenizer& tokenizer, const ControlTexts& controls) {
    std::string out(text);
    for (std::int32_t id : controls.longest_first()) {
        const std::string_view needle = tokenizer.token_text(id);
        if (static_cast<unsigned char>(needle[0]) >= 0x80) continue;
        for (std::size_t at = out.find(needle); at != std::string::npos; at = out.find(needle, at + 1))
            out.insert(at + 1, "\xE2\x81\xA0");
    }
    return out;
}

}  // namespace

PromptTokens tokenize_prompt(const Tokenizer& tokenizer, const ControlTexts& controls,
                             std::vector<chat::ChatMessage> messages, bool add_generation_prompt,
                             const RenderMessages& render) {
    std::vector<Affected> affected;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const chat::ChatMessage& m = messages[i];
        if (m.reasoning_content && controls.occurs_in(*m.reasoning_content)) affected.push_back({i, true});
        if (controls.occurs_in(m.content)) affected.push_back({i, false});
    }
    PromptTokens result;
    if (affected.empty()) {
        result.text = render(std::move(messages), add_generation_prompt);
        result.ids = tokenizer.encode(result.text, false, true);
        return result;
    }
    result.protected_text = true;
    result.text = render(messages, add_generation_prompt);
    std::optional<std::vector<PlainSpan>> spans =
        spans_by_sentinel(messages, affected, add_generation_prompt, render, result.text);
    if (!spans) spans = spans_by_search(messages, affected, render, result.text);
    if (spans) {
        result.ids = encode_with_plain_spans(tokenizer, controls, result.text, *spans);
        return result;
    }
    PONDER_LOG_WARN(
        "prompt tokens: the chat template rewrites message text; control-token text in messages "
        "is broken up with a word joiner instead");
    for (const Affected& a : affected) field(messages, a) = neutralised(field(messages, a), tokenizer, controls);
    result.text = render(std::move(messages), add_generation_prompt);
    result.ids = tokenizer.encode(result.text, false, true);
    return result;
}

}  // namespace ponder
