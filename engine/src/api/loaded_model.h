// loaded_model.h: the engine's Model implementation (what load_model returns) and internal access
// for tools and tests (logits of a token sequence, tokenization, a session's last logits).
#pragma once

#include "backend/backend.h"
#include "chat/chat_template.h"
#include "chat/reasoning.h"
#include "gguf/gguf_file.h"
#include "model/config.h"
#include "model/weights.h"
#include "tokenizer/tokenizer.h"

#include <ponder/engine.h>

#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace ponder {

class KvCache;
class Transformer;

class LoadedModel final : public Model {
public:
    const ModelInfo& info() const override { return m_info; }
    const BackendChoice& backend() const override { return m_choice; }
    int context_length() const override { return m_context_length; }
    bool supports_reasoning_toggle() const override;
    int count_tokens(std::string_view text) const override;

    ModelInfo m_info;
    BackendChoice m_choice;
    int m_context_length = 0;
    KvCacheType m_kv_type = KvCacheType::F16;
    std::optional<GgufFile> m_file;  // owns the mapping the CPU weights point into
    ModelConfig m_config;
    std::unique_ptr<Backend> m_backend;  // declared before the weights that live in it
    ModelWeights m_weights;
    std::unique_ptr<Tokenizer> m_tokenizer;
    chat::SelectedTemplate m_template;
    std::optional<chat::ThinkMarkers> m_think;
    double m_load_ms = 0;
    // Sessions of one model may run on different threads; the backend runs one step at a time.
    mutable std::mutex m_backend_mutex;
};

const LoadedModel& loaded_model(const Model& model);

// Tokenizes like llama.cpp text prompts (add_special per vocabulary when add_special, special-token
// text parsed when parse_special).
std::vector<std::int32_t> tokenize(const Model& model, std::string_view text, bool add_special, bool parse_special);

// Runs `tokens` from position 0 in a fresh context and returns the last position's logits.
std::vector<float> eval_logits(const Model& model, std::span<const std::int32_t> tokens);

// A bare context over a model (no template, no sampler): feed token ids, read logits. For tools,
// tests and benchmarks that need positions and logits directly.
class EvalContext {
public:
    EvalContext(std::shared_ptr<const Model> model, int capacity, int max_batch = 512);
    ~EvalContext();
    // Appends tokens (in chunks of max_batch) and returns the logits of the last one; the span
    // stays valid until the next call.
    std::span<const float> eval(std::span<const std::int32_t> tokens);
    void truncate(int n);  // forget positions >= n
    int size() const;
    int capacity() const;
    const LoadedModel& model() const { return m_m; }

private:
    std::shared_ptr<const Model> m_ref;
    const LoadedModel& m_m;
    std::unique_ptr<KvCache> m_cache;
    std::unique_ptr<Transformer> m_tf;
    std::vector<float> m_logits;
};

// Read access to a session's state for tests and tools.
struct SessionAccess {
    static std::span<const float> last_logits(const Session& session);  // empty before any step
    static std::span<const std::int32_t> cached_tokens(const Session& session);
};

}  // namespace ponder
