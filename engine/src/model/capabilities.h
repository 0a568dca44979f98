// capabilities.h: does a backend have every op a model needs, on the types its tensors and KV
// cache have? Asked by load_model() after the backend is created and before any weight is
// uploaded, so a model a device cannot run is refused with its tensors named, never half-loaded.
#pragma once

#include "backend/backend.h"
#include "model/config.h"

#include <functional>

#include <span>
#include <string>
#include <vector>

namespace ponder {

class GgufFile;

// What the transformer does with one tensor of the file: the (op, type) a backend must support.
struct WeightUse {
    std::string tensor;  // "blk.0.attn_q.weight"
    BackendOp op;
    DType type;
};

// Every use bind_weights() will make of the file's tensors (their ops from the architecture's
// table, model/expected_tensors.h), without touching a backend: for the capability check before
// loading. Expects a file that check_tensor_shapes() accepted; tensors absent from it are left out.
std::vector<WeightUse> plan_weights(const GgufFile& file, const ModelConfig& config);

// One (op, type) pair the backend lacks and the tensors that need it ("KV cache" and
// "activations" stand for the cache and the F32 activations).
struct MissingCapability {
    BackendOp op;
    DType type;
    std::vector<std::string> tensors;
};

// Everything `backend` lacks to run a model with these weight uses and this KV cache type, in
// the order first needed; empty when it can run it.
std::vector<MissingCapability> missing_capabilities(const Backend& backend, std::span<const WeightUse> weights,
                                                    DType kv_type);
// The same against a bare supports(op, type) (the fuzzer asks the CPU backend's rules without
// creating a backend and its threads).
std::vector<MissingCapability> missing_capabilities(const std::function<bool(BackendOp, DType)>& supports,
                                                    std::span<const WeightUse> weights, DType kv_type);

// Throws ponder::Error naming the missing ops, types and (up to a few) tensors, e.g. "the vulkan
// backend (llvmpipe) cannot run model.gguf: matmul on IQ4_XS (blk.0.ffn_down.weight and 27 more
// tensors); choose another device or the CPU".
void require_capabilities(const Backend& backend, std::span<const WeightUse> weights, DType kv_type,
                          const std::string& model_name);

}  // namespace ponder
