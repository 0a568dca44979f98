// session.cpp: Session: prompt -> cached-prefix reuse -> prefill -> sample/stream loop, with the
// context-full policy, the reasoning split and the reasoning budget.
#include "api/session_state.h"

#include "sampling/sampler.h"
#include "util/error.h"
#include "util/log.h"

#include <algorithm>
#include <chrono>
#include <optional>

namespace ponder {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// Shrinks plan.prompt to at most `limit` tokens: whole old turns first, then (no turn left) the
// oldest tokens after the kept prefix. False when even the kept prefix does not fit.
bool fit(Plan& plan, std::size_t limit) {
    while (plan.prompt.size() > limit) {
        if (plan.drop_turn) {
            if (auto shorter = plan.drop_turn()) {
                plan.prompt = std::move(*shorter);
                continue;
            }
            plan.drop_turn = nullptr;
        }
        if (static_cast<std::size_t>(plan.n_keep) + 1 > limit) return false;
        const std::size_t excess = plan.prompt.size() - limit;
        plan.prompt.erase(plan.prompt.begin() + plan.n_keep, plan.prompt.begin() + plan.n_keep + excess);
    }
    return true;
}

}  // namespace

GenerationStats Session::State::generate(Plan& plan, const GenerateOptions& options,
                                         const std::function<bool(const Piece&)>& on_piece, std::stop_token stop) {
    const auto t_start = Clock::now();
    GenerationStats st;
    st.backend = std::string(m.m_backend->name());
    st.context_size = cache.capacity();
    const int capacity = cache.capacity();
    const bool drop_policy = options.context_policy == ContextPolicy::DropOldest;
    // Room kept free after dropping, so that a full context is not re-processed at every token.
    const std::size_t after_drop = static_cast<std::size_t>(capacity - std::max(1, capacity / 4));

    st.prompt_tokens = static_cast<int>(plan.prompt.size());
    if (plan.prompt.empty()) fail("empty prompt: nothing to generate from");
    if (plan.prompt.size() >= static_cast<std::size_t>(capacity)) {
        if (!drop_policy || !fit(plan, after_drop)) {
            PONDER_LOG_WARN("prompt of %zu tokens does not fit the context of %d", plan.prompt.size(), capacity);
            st.stop_reason = StopReason::ContextFull;
            st.context_used = cache.size();
            return st;
        }
    }

    st.reused_tokens = prefill(plan.prompt, stop);
    st.prompt_ms = ms_since(t_start);
    if (!logits_valid) {  // stopped while processing a long prompt
        st.stop_reason = StopReason::Cancelled;
        st.context_used = cache.size();
        return st;
    }
    const int processed = static_cast<int>(plan.prompt.size()) - st.reused_tokens;
    st.prompt_tokens_per_s = st.prompt_ms > 0 ? processed * 1000.0 / st.prompt_ms : 0;
    const auto t_gen = Clock::now();

    Sampler sampler(options.sampling);
    const int window = std::max(0, options.sampling.penalty_window);
    for (std::size_t i = plan.prompt.size() > static_cast<std::size_t>(window) ? plan.prompt.size() - window : 0;
         i < plan.prompt.size(); ++i)
        sampler.accept(plan.prompt[i]);  // penalties see the recent prompt too, as in llama.cpp

    const Tokenizer& tok = *m.m_tokenizer;
    StreamDecoder decoder(tok, StreamDecoder::Options{true, false});
    std::vector<std::int32_t> fed;  // tokens of this reply already in the cache (after the prompt)
    bool stopped_by_caller = false;
    auto emit = [&](Channel channel, std::string_view s) {
        if (s.empty() || stopped_by_caller) return;
        if (on_piece && !on_piece(Piece{channel, s})) stopped_by_caller = true;
    };
    auto route = [&](std::string_view s, std::optional<std::int32_t> id) {
        if (plan.splitter) {
            for (const chat::SplitPiece& p : plan.splitter->feed(s, id)) emit(p.channel, p.text);
        } else {
            emit(Channel::Answer, s);
        }
    };

    // Without penalties the sampler looks at the k best logits only (greedy: one): generation steps
    // then select those on the device instead of copying the whole row (150k floats) to the host.
    // The prompt's last logits (prefill) and re-processed context stay whole rows.
    const int top_k = sampler.candidates_needed(m.m_config.vocab_size, kMaxTopK);
    bool have_top = false;  // the last step was feed_top(): top_ids / top_values, not logits

    st.stop_reason = StopReason::MaxTokens;
    while (true) {
        if (options.max_tokens >= 0 && st.generated_tokens >= options.max_tokens) break;
        if (stop.stop_requested()) {
            st.stop_reason = StopReason::Cancelled;
            break;
        }
        const std::int32_t t = have_top ? sampler.sample_top(top_ids, top_values) : sampler.sample(logits);
        if (st.generated_tokens == 0) st.time_to_first_token_ms = ms_since(t_start);
        if (tok.is_end_of_generation(t)) {
            st.stop_reason = StopReason::EndOfTurn;
            break;
        }
        sampler.accept(t);
        ++st.generated_tokens;
        if (plan.splitter && plan.splitter->in_reasoning()) ++st.reasoning_tokens;
        route(decoder.push(t), t);
        if (stopped_by_caller) {
            st.stop_reason = StopReason::Cancelled;
            break;
        }
        if (options.max_tokens >= 0 && st.generated_tokens >= options.max_tokens) break;

        std::vector<std::int32_t> next{t};
        if (plan.splitter && plan.splitter->budget_reached() && plan.splitter->in_reasoning()) {
            // Reasoning budget spent: close the think block ourselves and let the model answer.
            st.reasoning_budget_reached = true;
            for (const chat::SplitPiece& p : plan.splitter->close_reasoning()) emit(p.channel, p.text);
            const chat::ThinkMarkers& mk = plan.splitter->markers();
            if (mk.close_id >= 0)
                next.push_back(mk.close_id);
            else
                for (std::int32_t id : tok.encode(mk.close, false, true)) next.push_back(id);
            for (std::int32_t id : tok.encode("\n\n", false, false)) next.push_back(id);
        }
        if (next.size() > static_cast<std::size_t>(cache.free())) {
            if (!drop_policy) {
                st.stop_reason = StopReason::ContextFull;
                break;
            }
            // Drop whole old turns first; with none left, the oldest tokens after the kept prefix
            // (prompt and reply alike, as llama.cpp's context shift does). Then re-process what
            // remains; the cache keeps its common prefix.
            std::vector<std::int32_t> tail = fed;
            tail.insert(tail.end(), next.begin(), next.end());
            while (plan.prompt.size() + tail.size() > after_drop && plan.drop_turn) {
                if (auto shorter = plan.drop_turn())
                    plan.prompt = std::move(*shorter);
                else
                    plan.drop_turn = nullptr;
            }
            std::vector<std::int32_t> seq = plan.prompt;
            seq.insert(seq.end(), tail.begin(), tail.end());
            if (seq.size() > after_drop) {
                if (static_cast<std::size_t>(plan.n_keep) + next.size() >= after_drop) {
                    st.stop_reason = StopReason::ContextFull;
                    break;
                }
                const std::size_t excess = seq.size() - after_drop;
                seq.erase(seq.begin() + plan.n_keep, seq.begin() + plan.n_keep + static_cast<std::ptrdiff_t>(excess));
                plan.prompt.assign(seq.begin(), seq.end() - static_cast<std::ptrdiff_t>(next.size()));
                fed.clear();
            }
            PONDER_LOG_DEBUG("context full: continuing with %zu of %d positions after dropping old context", seq.size(),
                             capacity);
            prefill(seq, stop);  // a Stop now ends it after the current chunk (checked above next turn)
            have_top = false;
        } else if (top_k > 0) {
            feed_top(next, top_k);
            have_top = true;
        } else {
            feed(next);
        }
        fed.insert(fed.end(), next.begin(), next.end());
    }
    if (!stopped_by_caller) {
        route(decoder.flush(), std::nullopt);
        if (plan.splitter)
            for (const chat::SplitPiece& p : plan.splitter->finish()) emit(p.channel, p.text);
    }
    st.generation_ms = ms_since(t_gen);
    st.generation_tokens_per_s = st.generation_ms > 0 ? st.generated_tokens * 1000.0 / st.generation_ms : 0;
    st.context_used = cache.size();
    return st;
}

// Allocating and releasing the KV cache and scratch goes through the shared backend, so it is
// serialised with other sessions' steps like forward() is.
Session::Session(std::shared_ptr<const Model> model) {
    if (!model) fail("Session needs a loaded model");
    const LoadedModel& m = loaded_model(*model);
    std::lock_guard lock(m.m_backend_mutex);
    m_state = std::make_unique<State>(std::move(model));
}

Session::~Session() {
    if (!m_state) return;
    const std::shared_ptr<const Model> keep = m_state->model_ref;  // outlives the lock below
    std::lock_guard lock(m_state->m.m_backend_mutex);
    m_state.reset();
}

void Session::clear() {
    m_state->cache.clear();
    m_state->logits_valid = false;
}

int Session::context_used() const { return m_state->cache.size(); }
int Session::context_size() const { return m_state->cache.capacity(); }

GenerationStats Session::complete(std::string_view text, const GenerateOptions& options,
                                  const std::function<bool(const Piece&)>& on_piece, std::stop_token stop) {
    const Tokenizer& tok = *m_state->m.m_tokenizer;
    Plan plan;
    plan.prompt = tok.encode(text, true, true);
    plan.n_keep = (!plan.prompt.empty() && tok.bos() >= 0 && plan.prompt[0] == tok.bos()) ? 1 : 0;
    return m_state->generate(plan, options, on_piece, stop);
}

std::span<const float> SessionAccess::last_logits(const Session& s) {
    if (!s.m_state->logits_valid) return {};
    return s.m_state->logits;
}

std::span<const std::int32_t> SessionAccess::cached_tokens(const Session& s) { return s.m_state->cache.tokens(); }

}  // namespace ponder
