// consistency.h: checks a model file's hyper-parameters, vocabulary and tensor directory against
// each other before any weight is used (uploaded, repacked or read), so a sloppy or hostile file
// fails at once with one message naming the file, the key or tensor and both numbers, instead of
// half-way through a multi-gigabyte upload or later in a forward pass.
#pragma once

#include "model/config.h"

namespace ponder {

class GgufFile;

// The three checks below, in that order (before the tokenizer is built, so that an out-of-range
// special-token id is reported as such). Throws ponder::Error.
void check_model_consistency(const GgufFile& file, const ModelConfig& config);

// Hyper-parameters against each other: the head dimension implied by embedding_length /
// head_count when attention.key_length is absent must be exact.
void check_hyperparameters(const GgufFile& file, const ModelConfig& config);

// Vocabulary: `n_tokens` (the length of tokenizer.ggml.tokens) against token_embd rows and
// <arch>.vocab_size; every tokenizer.ggml.*_token_id in range (-1 and 0xFFFFFFFF mean "none").
void check_vocabulary(const GgufFile& file, const ModelConfig& config, int n_tokens);

// Tensor directory: every tensor the architecture needs (model/expected_tensors.h) is present
// with the shape the hyper-parameters give (projections from head counts and head dimensions,
// deepseek2's low-rank and latent widths, per-head and per-expert stacks, feed-forward and expert
// sizes, norm sizes, rope_freqs from the RoPE dimension count), norms and biases are F32, and no
// tensor is left over (a layer beyond block_count, a name the architecture does not use, a
// deepseek2 expert tensor in a leading dense layer). bind_weights() runs it as well, so no tensor
// is ever mapped with a shape it does not have.
void check_tensor_shapes(const GgufFile& file, const ModelConfig& config);

}  // namespace ponder
