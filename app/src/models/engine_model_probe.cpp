// engine_model_probe.cpp: ModelProbe backed by the engine's header reader and memory estimate.
#include "models/model_probe.h"

#include <ponder/engine.h>

#include <algorithm>

namespace ponder {

namespace {

ModelFacts probe(const QString& path, const QString& backend, int contextLength) {
    const ModelInfo info = inspect_model(std::filesystem::path(path.toStdString()));
    ModelFacts f;
    f.path = path;
    f.name = QString::fromStdString(info.name);
    f.architecture = QString::fromStdString(info.architecture);
    f.supported = info.architecture_supported;
    f.fileBytes = qint64(info.file_bytes);
    f.parameterCount = qint64(info.parameter_count);
    f.quantization = QString::fromStdString(info.quantization);
    f.contextLength = info.context_length;
    f.reasoning = info.reasoning;
    f.splitCount = info.split_count;
    const int ctx = info.context_length > 0 ? std::min(contextLength, info.context_length) : contextLength;
    f.memoryBytes = qint64(estimate_memory_bytes(info, ctx));
    const BackendKind kind = parse_backend_kind(backend.toStdString()).value_or(BackendKind::Auto);
    const BackendChoice choice = choose_backend(kind, 0);
    f.deviceName = QString::fromStdString(choice.device_name);
    std::uint64_t deviceMemory = 0, ram = 0;
    for (const DeviceInfo& d : list_devices()) {
        if (d.backend == choice.backend && d.index == choice.device_index) deviceMemory = d.memory_bytes;
        if (d.backend == BackendKind::Cpu) ram = d.memory_bytes;
    }
    const auto need = std::uint64_t(f.memoryBytes);
    // note: leave 10% headroom for the OS, the driver and the app itself.
    if (choice.backend != BackendKind::Cpu && need <= deviceMemory / 10 * 9)
        f.fit = QStringLiteral("gpu");
    else if (ram == 0 || need <= ram / 10 * 9)
        f.fit = QStringLiteral("cpu");
    else
        f.fit = QStringLiteral("none");
    return f;
}

}  // namespace

ModelProbe engineModelProbe() { return ModelProbe{&probe}; }

}  // namespace ponder
