// transformer.h: the llama/qwen2/qwen3/deepseek2 forward pass, written once against the Backend interface.
#pragma once

#include "backend/backend.h"
#include "kv_cache/kv_cache.h"
#include "model/config.h"
#include "model/deepseek2_blocks.h"
#include "model/weights.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stop_token>

namespace ponder {

// One conversation's view of a model: scratch activations for up to `max_batch` tokens per step.
// Longer inputs are processed in chunks of max_batch (prompt processing), one token per step
// during generation. Not thread-safe; the backend is shared, so callers serialise forward().
class Transformer {
public:
    Transformer(Backend& backend, const ModelConfig& config, const ModelWeights& weights, int max_batch);
    ~Transformer();
    Transformer(const Transformer&) = delete;
    Transformer& operator=(const Transformer&) = delete;

    // Runs `tokens` at positions cache.size() .. cache.size() + n - 1, appends them to the cache and
    // writes the logits of the last position into `logits` (vocab_size floats).
    // Requires tokens.size() <= cache.free(); throws ponder::Error otherwise.
    // A stop request is honoured between chunks of max_batch tokens: then it returns false, the
    // cache holds the chunks processed so far and `logits` is not written.
    bool forward(std::span<const std::int32_t> tokens, KvCache& cache, std::span<float> logits,
                 std::stop_token stop = {});

    // forward(), but instead of the whole logits row the last position's k = ids.size() best
    // logits (1 <= k <= kMaxTopK), best first with ties by lower id (Backend::top_k): generation
    // then copies 2k numbers to the host, not vocab_size (Sampler::candidates_needed says when
    // that is all the sampler needs).
    bool forward_top_k(std::span<const std::int32_t> tokens, KvCache& cache, std::span<std::int32_t> ids,
                       std::span<float> values, std::stop_token stop = {});

    int max_batch() const { return m_max_batch; }

private:
    // The chunked steps of forward() / forward_top_k(); read_last queues what the last step hands
    // back (before its finish()).
    bool run(std::span<const std::int32_t> tokens, KvCache& cache, std::stop_token stop,
             const std::function<void()>& read_last);
    void step(std::span<const std::int32_t> tokens, int first_pos, KvCache& cache, bool want_logits);

    Backend& m_backend;
    const ModelConfig& m_config;
    const ModelWeights& m_weights;
    int m_max_batch;
    // Scratch, each [max_batch, width]: x is the residual stream.
    Tensor m_x, m_xn, m_q, m_k, m_v, m_attn, m_gate, m_up;
    Tensor m_last;                           // [1, dim]
    Tensor m_logits;                         // [1, vocab]
    Tensor m_top_ids, m_top_values;          // [1, kMaxTopK]: forward_top_k's selection
    Tensor m_ffn_out;                        // [max_batch, dim]: MoE layers' output (deepseek2)
    std::unique_ptr<Deepseek2Blocks> m_ds2;  // MLA attention + MoE FFN (deepseek2 only)
    // The step's inputs in device memory, uploaded once per step before its ops (backend.h,
    // "Replay"): token ids [max_batch, 1] and positions.
    Tensor m_ids;
    StepPositions m_pos;
};

}  // namespace ponder
