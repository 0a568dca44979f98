// session_state.h: Session's private state and the generation plan shared by complete() and reply().
#pragma once

#include "api/loaded_model.h"
#include "api/prompt_tokens.h"
#include "chat/reasoning.h"
#include "kv_cache/kv_cache.h"
#include "model/transformer.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stop_token>
#include <vector>

namespace ponder {

// What a generation starts from, and how to make it shorter when the context is full.
struct Plan {
    std::vector<std::int32_t> prompt;
    int n_keep = 0;  // leading tokens that are never dropped (BOS, system prompt)
    // The prompt with one more old turn dropped; nullopt when no turn is left to drop.
    std::function<std::optional<std::vector<std::int32_t>>()> drop_turn;
    std::optional<chat::ReasoningSplitter> splitter;  // reply(): routes reasoning vs answer
};

struct Session::State {
    std::shared_ptr<const Model> model_ref;
    const LoadedModel& m;
    KvCache cache;
    Transformer tf;
    std::vector<float> logits;
    bool logits_valid = false;  // logits belong to the last cached position
    // Generation steps that need only the k best logits (Sampler::candidates_needed) fetch just
    // those, selected on the device: then `top_ids`/`top_values` belong to the last position and
    // `logits` does not (logits_valid is false).
    std::vector<std::int32_t> top_ids;
    std::vector<float> top_values;
    std::shared_ptr<const ControlTexts> control_texts;  // built by the first reply()

    const std::shared_ptr<const ControlTexts>& controls() {
        if (!control_texts) control_texts = std::make_shared<const ControlTexts>(*m.m_tokenizer);
        return control_texts;
    }

    explicit State(std::shared_ptr<const Model> model)
        : model_ref(std::move(model)), m(loaded_model(*model_ref)),
          cache(*m.m_backend, m.m_config.n_layers, m.m_context_length, m.m_config.kv_dim(), m.m_config.head_dim,
                m.m_kv_type, m.m_config.mla()),
          tf(*m.m_backend, m.m_config, m.m_weights, std::min(512, m.m_context_length)), logits(m.m_config.vocab_size) {}

    // Makes the cache hold exactly `seq` (reusing its common prefix) with the logits of seq's last
    // position ready. Returns the number of reused tokens.
    // A stop request between chunks of a long prompt leaves logits_valid false.
    int prefill(std::span<const std::int32_t> seq, std::stop_token stop = {}) {
        int reuse = cache.common_prefix(seq);
        if (reuse == static_cast<int>(seq.size()) && reuse == cache.size() && logits_valid) return reuse;
        reuse = std::min(reuse, static_cast<int>(seq.size()) - 1);  // recompute at least the last one
        cache.truncate(reuse);
        logits_valid = false;
        feed(seq.subspan(reuse), stop);
        return reuse;
    }

    void feed(std::span<const std::int32_t> tokens, std::stop_token stop = {}) {
        logits_valid = false;
        std::lock_guard lock(m.m_backend_mutex);
        logits_valid = tf.forward(tokens, cache, logits, stop);
    }

    // feed(), keeping only the k best logits of the last position (in top_ids / top_values).
    void feed_top(std::span<const std::int32_t> tokens, int k) {
        logits_valid = false;
        top_ids.resize(static_cast<std::size_t>(k));
        top_values.resize(static_cast<std::size_t>(k));
        std::lock_guard lock(m.m_backend_mutex);
        tf.forward_top_k(tokens, cache, top_ids, top_values);
    }

    GenerationStats generate(Plan& plan, const GenerateOptions& options,
                             const std::function<bool(const Piece&)>& on_piece, std::stop_token stop);
};

}  // namespace ponder
