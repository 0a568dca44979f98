// reasoning.cpp: think-marker discovery, history stripping and the streaming ReasoningSplitter.
#include "chat/reasoning.h"

#include "chat/jinja/value.h"
#include "util/utf8.h"

#include <algorithm>

namespace ponder::chat {
namespace {

const std::vector<ThinkMarkers>& marker_table() {
    static const std::vector<ThinkMarkers> table = {
        {"<think>", "</think>"},            // DeepSeek-R1 and distills, Qwen3, QwQ, Qwen3.5
        {"<seed:think>", "</seed:think>"},  // ByteDance Seed-OSS
        {"[THINK]", "[/THINK]"},            // Mistral Magistral / Ministral reasoning
        {"<thinking>", "</thinking>"},
        {"<|begin_of_thought|>", "<|end_of_thought|>"},
        {"<|START_THINKING|>", "<|END_THINKING|>"},                           // Command R7B
        {"<|channel>thought", "<channel|>"},                                  // Gemma 4
        {"\xE2\x97\x81think\xE2\x96\xB7", "\xE2\x97\x81/think\xE2\x96\xB7"},  // Kimi: "◁think▷"
    };
    return table;
}

// Length of the longest suffix of `text` that is a proper prefix of `marker`.
std::size_t partial_marker_suffix(std::string_view text, std::string_view marker) {
    for (std::size_t k = std::min(text.size(), marker.size() - 1); k > 0; --k)
        if (text.substr(text.size() - k) == marker.substr(0, k)) return k;
    return 0;
}

// Bytes of leading Python whitespace; stops early (returning `complete` = false) at an
// incomplete UTF-8 sequence.
std::size_t leading_space(std::string_view s, bool& complete) {
    std::size_t pos = 0;
    complete = true;
    while (pos < s.size()) {
        if (utf8::complete_prefix_length(s.substr(pos)) == 0) {
            complete = false;
            return pos;
        }
        std::size_t next = pos;
        const char32_t c = utf8::decode(s, next);
        if (!jinja::is_py_space(c)) return pos;
        pos = next;
    }
    return pos;
}

// Splits trailing whitespace off `s` (returns where it begins).
std::size_t trailing_space_start(std::string_view s) {
    std::size_t keep = 0;
    for (std::size_t pos = 0; pos < s.size();) {
        const char32_t c = utf8::decode(s, pos);
        if (!jinja::is_py_space(c)) keep = pos;
    }
    return keep;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

std::span<const ThinkMarkers> known_think_markers() { return marker_table(); }

std::optional<ThinkMarkers> discover_think_markers(std::span<const std::string> token_texts,
                                                   std::string_view template_source) {
    auto id_of = [&](const std::string& text) -> std::int32_t {
        for (std::size_t k = 0; k < token_texts.size(); ++k)
            if (token_texts[k] == text) return static_cast<std::int32_t>(k);
        return -1;
    };
    for (const ThinkMarkers& m : marker_table()) {
        ThinkMarkers found = m;
        found.open_id = id_of(m.open);
        found.close_id = id_of(m.close);
        if (found.open_id >= 0 && found.close_id >= 0) return found;
    }
    for (const ThinkMarkers& m : marker_table()) {
        if (template_source.find(m.open) == std::string_view::npos ||
            template_source.find(m.close) == std::string_view::npos)
            continue;
        ThinkMarkers found = m;
        found.open_id = id_of(m.open);
        found.close_id = id_of(m.close);
        return found;
    }
    return std::nullopt;
}

bool prompt_opens_think_block(std::string_view prompt, const ThinkMarkers& markers) {
    if (markers.open.empty() || markers.close.empty()) return false;
    const std::size_t open = prompt.rfind(markers.open);
    if (open == std::string_view::npos) return false;
    return prompt.find(markers.close, open + markers.open.size()) == std::string_view::npos;
}

std::string strip_reasoning(std::string_view text, const ThinkMarkers& markers) {
    if (markers.open.empty() || markers.close.empty()) return std::string(text);
    std::string out(text);
    bool cut = false;
    // An unterminated leading block "...</think>" (the prompt opened it): keep what follows.
    const std::size_t first_close = out.find(markers.close);
    const std::size_t first_open = out.find(markers.open);
    if (first_close != std::string::npos && (first_open == std::string::npos || first_close < first_open)) {
        out.erase(0, first_close + markers.close.size());
        cut = true;
    }
    for (;;) {
        const std::size_t open = out.find(markers.open);
        if (open == std::string::npos) break;
        const std::size_t close = out.find(markers.close, open + markers.open.size());
        if (close == std::string::npos) {
            out.erase(open);  // an unfinished block at the end is reasoning too
        } else {
            out.erase(open, close + markers.close.size() - open);
        }
        cut = true;
    }
    if (!cut) return out;
    return jinja::py_strip_ws(out);
}

ReasoningSplitter::ReasoningSplitter(ThinkMarkers markers, bool prompt_opened, int reasoning_budget)
    : m_markers(std::move(markers)), m_budget(reasoning_budget) {
    if (m_markers.open.empty() || m_markers.close.empty()) {
        m_state = State::Answer;
        return;
    }
    m_state = prompt_opened ? State::Reasoning : State::MaybeOpen;
    m_reasoning_seen = prompt_opened;
}

Channel ReasoningSplitter::channel() const {
    return m_state == State::Reasoning ? Channel::Reasoning : Channel::Answer;
}

bool ReasoningSplitter::budget_reached() const {
    return m_budget >= 0 && m_state == State::Reasoning && m_reasoning_tokens >= m_budget;
}

void ReasoningSplitter::emit(std::vector<SplitPiece>& out, Channel channel, std::string_view text) {
    if (text.empty()) return;
    if (!out.empty() && out.back().channel == channel)
        out.back().text.append(text);
    else
        out.push_back({channel, std::string(text)});
}

void ReasoningSplitter::enter_answer(std::vector<SplitPiece>&) {
    m_state = State::Answer;
    m_channel_started = false;
    m_held_space.clear();
}

std::vector<SplitPiece> ReasoningSplitter::feed(std::string_view text, std::optional<std::int32_t> token_id) {
    std::vector<SplitPiece> out;
    const bool ids_known = m_markers.open_id >= 0 || m_markers.close_id >= 0;
    m_by_id = token_id.has_value() && ids_known;
    if (m_by_id && (*token_id == m_markers.open_id || *token_id == m_markers.close_id)) {
        // A marker token: everything before it is settled, then the marker acts. The token's text
        // may carry bytes a decoder held back from earlier tokens: those go before the marker.
        const bool open = *token_id == m_markers.open_id;
        const std::string& marker = open ? m_markers.open : m_markers.close;
        const std::size_t at = text.find(marker);
        const std::string_view before = at == std::string_view::npos ? text : text.substr(0, at);
        const std::string_view after =
            at == std::string_view::npos ? std::string_view() : text.substr(at + marker.size());
        m_pending.append(before);
        if (open && (m_state == State::MaybeOpen || (m_state == State::Reasoning && !m_channel_started))) {
            process(out, false);
            if (m_state == State::MaybeOpen || (m_state == State::Reasoning && !m_channel_started)) {
                m_pending.clear();  // only whitespace can be pending here
                m_state = State::Reasoning;
                m_reasoning_seen = true;
                m_channel_started = false;
                m_held_space.clear();
            } else {
                if (at != std::string_view::npos) m_pending.append(marker);  // the answer had begun: plain text
            }
        } else if (!open && m_state == State::Reasoning) {
            process(out, /*at_end=*/true);
            enter_answer(out);
        } else if (!open && m_state == State::AfterClose) {
            m_pending.clear();
            enter_answer(out);
        } else {
            if (at != std::string_view::npos) m_pending.append(marker);  // a marker where it means nothing
        }
        m_pending.append(after);
        process(out, false);
        return out;
    }
    m_pending.append(text);
    process(out, false);
    if (m_state == State::Reasoning) ++m_reasoning_tokens;
    return out;
}

std::vector<SplitPiece> ReasoningSplitter::finish() {
    std::vector<SplitPiece> out;
    process(out, true);
    m_held_space.clear();
    return out;
}

std::vector<SplitPiece> ReasoningSplitter::close_reasoning() {
    std::vector<SplitPiece> out;
    if (m_state != State::Reasoning) return out;
    process(out, false);
    if (m_state == State::Reasoning) {
        // Held-back text (a partial marker, a partial character) is reasoning after all.
        std::size_t skip = 0;
        if (!m_channel_started) {
            bool complete;
            skip = leading_space(m_pending, complete);
        }
        const std::string_view rest = std::string_view(m_pending).substr(skip);
        const std::size_t body = trailing_space_start(rest);
        if (body > 0) emit(out, Channel::Reasoning, m_held_space + std::string(rest.substr(0, body)));
        m_pending.clear();
        m_held_space.clear();
        m_state = State::AfterClose;
        m_channel_started = false;
    }
    return out;
}

void ReasoningSplitter::process(std::vector<SplitPiece>& out, bool at_end) {
    const bool scan = !m_by_id;
    for (;;) {
        switch (m_state) {
        case State::Answer: {
            if (m_reasoning_seen && !m_channel_started) {
                bool complete;
                const std::size_t n = leading_space(m_pending, complete);
                m_pending.erase(0, n);
                if (m_pending.empty() || !complete) {
                    if (at_end) m_pending.clear();
                    return;
                }
                m_channel_started = true;
            }
            const std::size_t n = at_end ? m_pending.size() : utf8::complete_prefix_length(m_pending);
            emit(out, Channel::Answer, std::string_view(m_pending).substr(0, n));
            m_pending.erase(0, n);
            return;
        }
        case State::MaybeOpen:
        case State::AfterClose: {
            const std::string& marker = m_state == State::MaybeOpen ? m_markers.open : m_markers.close;
            bool complete;
            const std::size_t ws = leading_space(m_pending, complete);
            const std::string_view rest = std::string_view(m_pending).substr(ws);
            if (scan && starts_with(rest, marker)) {
                m_pending.erase(0, ws + marker.size());
                if (m_state == State::MaybeOpen) {
                    m_state = State::Reasoning;
                    m_reasoning_seen = true;
                    m_channel_started = false;
                    m_held_space.clear();
                } else {
                    enter_answer(out);
                }
                continue;
            }
            const bool could_be_marker = rest.empty() || (scan && marker.substr(0, rest.size()) == rest);
            if (!at_end && (!complete || could_be_marker)) return;  // wait for more text
            if (m_state == State::AfterClose) m_pending.erase(0, ws);
            enter_answer(out);
            continue;
        }
        case State::Reasoning: {
            if (!m_channel_started) {
                bool complete;
                const std::size_t ws = leading_space(m_pending, complete);
                m_pending.erase(0, ws);
                // A model that repeats the open marker the prompt already wrote.
                if (scan && starts_with(m_pending, m_markers.open)) {
                    m_pending.erase(0, m_markers.open.size());
                    continue;
                }
                const bool could_be_open =
                    scan && !m_pending.empty() && m_markers.open.substr(0, m_pending.size()) == m_pending;
                if (m_pending.empty() || !complete || (could_be_open && !at_end)) {
                    if (at_end) m_pending.clear();
                    return;
                }
            }
            const std::size_t close = scan ? m_pending.find(m_markers.close) : std::string::npos;
            std::size_t take;
            if (close != std::string::npos) {
                take = close;
            } else if (at_end) {
                take = m_pending.size();
            } else {
                take = m_pending.size() - (scan ? partial_marker_suffix(m_pending, m_markers.close) : 0);
                take = utf8::complete_prefix_length(std::string_view(m_pending).substr(0, take));
            }
            const std::string_view chunk = std::string_view(m_pending).substr(0, take);
            const std::size_t body = trailing_space_start(chunk);
            if (body > 0) {
                emit(out, Channel::Reasoning, m_held_space + std::string(chunk.substr(0, body)));
                m_held_space.clear();
                m_channel_started = true;
            }
            m_held_space.append(chunk.substr(body));
            if (close != std::string::npos) {
                m_pending.erase(0, close + m_markers.close.size());
                enter_answer(out);
                continue;
            }
            m_pending.erase(0, take);
            if (at_end) m_held_space.clear();
            return;
        }
        }
    }
}

}  // namespace ponder::chat
