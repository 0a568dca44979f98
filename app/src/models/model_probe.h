// model_probe.h: what the model library asks the engine about a file (inspection and memory fit), as a seam.
#pragma once

#include <QString>

#include <functional>

namespace ponder {

// The import card's facts about one model file, already in display-ready units.
struct ModelFacts {
    QString path;
    QString name;
    QString architecture;
    bool supported = false;
    qint64 fileBytes = 0;
    qint64 parameterCount = 0;
    QString quantization;
    int contextLength = 0;
    bool reasoning = false;
    int splitCount = 1;
    // Memory estimate (weights + KV cache at the context it would load with + work buffers) on
    // the device the engine would choose for the saved backend and device.
    qint64 memoryBytes = 0;
    QString deviceName;  // that device, with its memory: "llvmpipe (LLVM 15.0.6, 256 bits), 15.6 GiB"
    // "gpu" (fits on the GPU), "cpu" (runs on the CPU: no GPU, or `auto` found it too small),
    // "refused" (the GPU the user chose is too small: the load would refuse), "none" (does not
    // fit in RAM either)
    QString fit;
};

// Engine calls behind std::function so tests can script them. inspect throws std::exception
// (ponder::Error) with the reader's message for a bad file.
struct ModelProbe {
    std::function<ModelFacts(const QString& path, const QString& backend, int deviceIndex, int contextLength)> inspect;
};

// The real probe: ponder::inspect_model, estimate_memory_bytes, choose_backend, list_devices.
ModelProbe engineModelProbe();

}  // namespace ponder
