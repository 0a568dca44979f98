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
    // Memory estimate on the device the engine would choose.
    qint64 memoryBytes = 0;
    QString deviceName;
    QString fit;  // "gpu" (fits on GPU), "cpu" (runs on CPU), "none" (does not fit)
};

// Engine calls behind std::function so tests can script them. inspect throws std::exception
// (ponder::Error) with the reader's message for a bad file.
struct ModelProbe {
    std::function<ModelFacts(const QString& path, const QString& backend, int contextLength)> inspect;
};

// The real probe: ponder::inspect_model, estimate_memory_bytes, choose_backend, list_devices.
ModelProbe engineModelProbe();

}  // namespace ponder
