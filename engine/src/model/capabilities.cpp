// capabilities.cpp: a model's needs (plan_weights) against Backend::supports().
#include "model/capabilities.h"

#include "gguf/gguf_file.h"
#include "model/expected_tensors.h"
#include "util/error.h"

#include <algorithm>

namespace ponder {

std::vector<WeightUse> plan_weights(const GgufFile& file, const ModelConfig& c) {
    std::vector<WeightUse> plan;
    // Not a tensor, but a need the backend must be asked about all the same: RoPE with YaRN
    // scaling, or over a range of each head that does not start at dim 0 (deepseek2's rope part).
    if (c.yarn_ext_factor != 0.0f || c.rope_mscale != 1.0f || c.mla())
        plan.push_back({"rotary embedding: YaRN or partial", BackendOp::RopeScaled, DType::F32});
    for (const ExpectedTensor& e : expected_tensors(c)) {
        if (const GgufTensor* t = file.find_tensor(e.name)) {
            plan.push_back({e.name, e.op, t->type});
        } else if (e.name == "output.weight") {
            // Tied embeddings: the token table is also the output matrix.
            if (const GgufTensor* embd = file.find_tensor("token_embd.weight"))
                plan.push_back({"token_embd.weight", BackendOp::MatMul, embd->type});
        }
    }
    return plan;
}

std::vector<MissingCapability> missing_capabilities(const Backend& backend, std::span<const WeightUse> weights,
                                                    DType kv_type) {
    return missing_capabilities([&backend](BackendOp op, DType type) { return backend.supports(op, type); }, weights,
                                kv_type);
}

std::vector<MissingCapability> missing_capabilities(const std::function<bool(BackendOp, DType)>& supports,
                                                    std::span<const WeightUse> weights, DType kv_type) {
    std::vector<MissingCapability> missing;
    auto need = [&](BackendOp op, DType type, const std::string& tensor) {
        if (supports(op, type)) return;
        for (MissingCapability& m : missing)
            if (m.op == op && m.type == type) {
                m.tensors.push_back(tensor);
                return;
            }
        missing.push_back({op, type, {tensor}});
    };
    for (const WeightUse& w : weights) need(w.op, w.type, w.tensor);
    need(BackendOp::StoreKv, kv_type, "KV cache");
    need(BackendOp::Attention, kv_type, "KV cache");
    // What the transformer does to its F32 activations besides the ops on weights.
    for (BackendOp op : {BackendOp::RmsNorm, BackendOp::Add, BackendOp::Rope, BackendOp::Swiglu})
        need(op, DType::F32, "activations");
    // deepseek2 (its per-head and per-expert matrices go through matmul_id): the routing, the
    // weighted sum of the experts and the copy of the rope part into the absorbed queries.
    const bool mla_moe =
        std::any_of(weights.begin(), weights.end(), [](const WeightUse& w) { return w.op == BackendOp::MatMulId; });
    if (mla_moe)
        for (BackendOp op : {BackendOp::MoeRoute, BackendOp::MoeCombine, BackendOp::Copy})
            need(op, DType::F32, "activations");
    return missing;
}

void require_capabilities(const Backend& backend, std::span<const WeightUse> weights, DType kv_type,
                          const std::string& model_name) {
    const std::vector<MissingCapability> missing = missing_capabilities(backend, weights, kv_type);
    if (missing.empty()) return;
    constexpr std::size_t kNamed = 3;  // tensors named per missing capability; the rest counted
    std::string what;
    for (const MissingCapability& m : missing) {
        if (!what.empty()) what += "; ";
        what += strprintf("%s on %s (", std::string(to_string(m.op)).c_str(), std::string(to_string(m.type)).c_str());
        for (std::size_t i = 0; i < m.tensors.size() && i < kNamed; ++i) what += (i ? ", " : "") + m.tensors[i];
        if (m.tensors.size() > kNamed) what += strprintf(" and %zu more tensors", m.tensors.size() - kNamed);
        what += ")";
    }
    fail_coded(ErrorCode::BackendCannotRun, {std::string(backend.name()), backend.device_name(), model_name, what},
               "the %s backend (%s) cannot run %s: it has no %s; choose another device or the CPU",
               std::string(backend.name()).c_str(), backend.device_name().c_str(), model_name.c_str(), what.c_str());
}

}  // namespace ponder
