// capabilities.h: does a backend have every op a model needs, on the types its tensors and KV
// cache have? Asked by load_model() after the backend is created and before any weight is
// uploaded, so a model a device cannot run is refused with its tensors named, never half-loaded.
#pragma once

#include "backend/backend.h"
#include "model/weights.h"

#include <span>
#include <string>
#include <vector>

namespace ponder {

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

// Throws ponder::Error naming the missing ops, types and (up to a few) tensors, e.g. "the vulkan
// backend (llvmpipe) cannot run model.gguf: matmul on IQ4_XS (blk.0.ffn_down.weight and 27 more
// tensors); choose another device or the CPU".
void require_capabilities(const Backend& backend, std::span<const WeightUse> weights, DType kv_type,
                          const std::string& model_name);

}  // namespace ponder
