// capabilities.cpp: a model's needs against Backend::supports().
#include "model/capabilities.h"

#include "util/error.h"

#include <algorithm>

namespace ponder {

std::vector<MissingCapability> missing_capabilities(const Backend& backend, std::span<const WeightUse> weights,
                                                    DType kv_type) {
    std::vector<MissingCapability> missing;
    auto need = [&](BackendOp op, DType type, const std::string& tensor) {
        if (backend.supports(op, type)) return;
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
    const bool mla_moe = std::any_of(weights.begin(), weights.end(), [](const WeightUse& w) { return w.op == BackendOp::MatMulId; });
    if (mla_moe)
        for (BackendOp op : {BackendOp::MoeRoute, BackendOp::MoeCombine, BackendOp::Copy}) need(op, DType::F32, "activations");
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
