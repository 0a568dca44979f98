// engine_model_probe.cpp: ModelProbe backed by the engine's header reader and memory estimate.
#include "models/model_probe.h"

#include "inference/engine_texts.h"

#include <ponder/engine.h>

#include <algorithm>

namespace ponder {

namespace {

ModelFacts probe(const QString& path, const QString& backend, int deviceIndex, int contextLength) {
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
    // The context the load will use: the setting, clamped to the trained context as load_model does.
    const int ctx = info.context_length > 0 ? std::max(1, std::min(contextLength, info.context_length)) : contextLength;
    f.memoryBytes = qint64(estimate_memory_bytes(info, ctx));
    const BackendKind kind = parse_backend_kind(backend.toStdString()).value_or(BackendKind::Auto);
    const BackendChoice choice = choose_backend(kind, deviceIndex);
    std::uint64_t ram = 0;
    for (const DeviceInfo& d : list_devices())
        if (d.backend == BackendKind::Cpu) ram = d.memory_bytes;
    const auto need = std::uint64_t(f.memoryBytes);
    const bool onGpu = choice.backend != BackendKind::Cpu;
    f.deviceName = QString::fromStdString(choice.device_name);
    if (onGpu && choice.device_memory_bytes > 0)
        f.deviceName = QStringLiteral("%1, %2").arg(f.deviceName, deviceMemoryText(choice.device_memory_bytes));
    // The GPU rule is load_model's own (it refuses, or `auto` falls back to the CPU, only when the
    // estimate exceeds the device's memory), so the card says where the load will really go.
    if (onGpu && (choice.device_memory_bytes == 0 || need <= choice.device_memory_bytes))
        f.fit = QStringLiteral("gpu");
    else if (onGpu && kind != BackendKind::Auto)
        f.fit = QStringLiteral("refused");
    // note: on the CPU leave 10% headroom for the OS and the app itself.
    else if (ram == 0 || need <= ram / 10 * 9)
        f.fit = QStringLiteral("cpu");
    else
        f.fit = QStringLiteral("none");
    return f;
}

}  // namespace

ModelProbe engineModelProbe() { return ModelProbe{&probe}; }

}  // namespace ponder
