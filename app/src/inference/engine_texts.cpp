// engine_texts.cpp: BackendReason / ErrorCode to translated sentences. The engine stays free of
// Qt and of translations; it hands over a code and the values to put in.
#include "inference/engine_texts.h"

#include <ponder/engine.h>

#include <QCoreApplication>

namespace ponder {

namespace {

// The translation context of these sentences (lupdate reads EngineTexts::tr calls).
class EngineTexts {
    Q_DECLARE_TR_FUNCTIONS(EngineTexts)
};
QString qstr(const std::string& s) { return QString::fromStdString(s); }

// Only the fields of the code in hand are read; missing ones read as empty rather than crash.
QString arg(const QStringList& args, int i) { return args.value(i); }

QString memoryText(quint64 bytes) {
    if (bytes >= (quint64(1) << 30))
        return EngineTexts::tr("%1 GiB").arg(double(bytes) / double(quint64(1) << 30), 0, 'f', 1);
    return EngineTexts::tr("%1 MiB").arg(double(bytes) / double(1 << 20), 0, 'f', 0);
}

QString backendName(const QString& backend) {
    if (backend == u"cpu") return EngineTexts::tr("CPU");
    if (backend == u"vulkan") return QStringLiteral("Vulkan");
    if (backend == u"cuda") return QStringLiteral("CUDA");
    return backend;
}

// The driver's fixed sentences that reach the reasons (vk_instance.cpp), in the user's language;
// anything else (a driver's own message, an error name) stays as the engine wrote it.
QString driverText(const QString& english) {
    if (english == u"no Vulkan driver found") return EngineTexts::tr("no Vulkan driver found");
    if (english == u"the Vulkan loader is older than 1.2")
        return EngineTexts::tr("the Vulkan loader is older than 1.2");
    if (english == u"the Vulkan loader lacks Vulkan 1.2 instance functions")
        return EngineTexts::tr("the Vulkan loader lacks Vulkan 1.2 instance functions");
    return english;
}

// Why the backend was chosen; empty for a code this app does not know.
QString whyText(BackendReason code, const QStringList& a) {
    switch (code) {
    case BackendReason::Other: return {};
    case BackendReason::AutoDiscreteGpu: return EngineTexts::tr("auto: discrete GPU");
    case BackendReason::AutoIntegratedGpu: return EngineTexts::tr("auto: integrated GPU");
    case BackendReason::AutoSoftwareGpuOnly:
        return EngineTexts::tr("auto: the only Vulkan device, %1, is a software renderer").arg(arg(a, 0));
    case BackendReason::AutoNoGpu: return EngineTexts::tr("auto: no GPU can be used: %1").arg(driverText(arg(a, 0)));
    case BackendReason::NoGpuBackendBuilt: return EngineTexts::tr("auto: this build has no GPU backend");
    case BackendReason::Requested: return EngineTexts::tr("requested");
    case BackendReason::RequestedDeviceMissing:
        return EngineTexts::tr("device %1 requested, but only %2 found").arg(arg(a, 0), arg(a, 1));
    case BackendReason::GpuUnavailable:
        return EngineTexts::tr("%1 requested, but it cannot be used: %2")
            .arg(backendName(arg(a, 0)), driverText(arg(a, 1)));
    case BackendReason::BackendNotBuilt:
        return EngineTexts::tr("%1 requested, but this build has no %1 backend").arg(backendName(arg(a, 0)));
    case BackendReason::TooLittleMemory:
        return EngineTexts::tr("auto: %1 needs about %2 at context %3, %4 has %5")
            .arg(arg(a, 0), arg(a, 1), arg(a, 2), arg(a, 3), arg(a, 4));
    case BackendReason::GpuUnusable:
        return EngineTexts::tr("auto: the %1 device cannot be used: %2").arg(backendName(arg(a, 0)), arg(a, 1));
    case BackendReason::GpuCannotRun:
        return EngineTexts::tr("auto: %1 cannot run %2 on %3").arg(arg(a, 0), arg(a, 1), arg(a, 2));
    }
    return {};
}

// "Vulkan: llvmpipe, 15.6 GiB (requested)": the device, then why; the English text for an
// unknown code.
QString choiceText(const QString& backend, const QString& deviceName, quint64 memoryBytes, int code,
                   const QStringList& args, const QString& english) {
    const QString why = whyText(static_cast<BackendReason>(code), args);
    if (why.isEmpty()) return english.isEmpty() ? backend : english;
    const QString device =
        memoryBytes > 0 ? EngineTexts::tr("%1: %2, %3").arg(backendName(backend), deviceName, memoryText(memoryBytes))
                        : EngineTexts::tr("%1: %2").arg(backendName(backend), deviceName);
    return EngineTexts::tr("%1 (%2)").arg(device, why);
}

}  // namespace

QString backendReasonText(const LoadedModelInfo& model) {
    return choiceText(model.backend, model.deviceName, model.deviceMemoryBytes, model.backendReasonCode,
                      model.backendReasonArgs, model.backendReason);
}

QString autoChoiceText(const DeviceSurvey& survey) {
    // The CPU's own memory is not part of the sentence (it is RAM, shown in the list).
    const DeviceOption& d = survey.autoPick;
    return choiceText(d.backend, d.name, d.backend == u"cpu" ? 0 : d.memoryBytes, survey.autoReasonCode,
                      survey.autoReasonArgs, survey.autoReason);
}

QString deviceOptionText(const DeviceOption& device) {
    const QString backend = backendName(device.backend);
    if (device.memoryBytes == 0) return EngineTexts::tr("%1 · %2").arg(backend, device.name);
    return EngineTexts::tr("%1 · %2 · %3").arg(backend, device.name, memoryText(device.memoryBytes));
}

QString deviceMemoryText(quint64 bytes) { return memoryText(bytes); }

QString deviceNumberText(const QString& backend, int index) {
    return EngineTexts::tr("%1 device %2").arg(backendName(backend)).arg(index);
}

QString missingDeviceText(const QString& backend, int index) {
    return EngineTexts::tr("%1 (not found)").arg(deviceNumberText(backend, index));
}

QString engineErrorText(const std::exception& error) {
    const auto* e = dynamic_cast<const Error*>(&error);
    const QString english = QString::fromUtf8(error.what());
    if (!e) return english;
    QStringList a;
    for (const std::string& s : e->args) a.append(qstr(s));
    switch (e->code) {
    case ErrorCode::Other: break;
    case ErrorCode::FileUnreadable: return EngineTexts::tr("Cannot open %1: %2").arg(arg(a, 0), arg(a, 1));
    case ErrorCode::UnsupportedArchitecture:
        return EngineTexts::tr(
                   "%1 is a model of the “%2” architecture, which Ponder cannot run yet "
                   "(supported: llama, qwen2, qwen3, deepseek2).")
            .arg(arg(a, 0), arg(a, 1));
    case ErrorCode::BackendCannotRun:
        return EngineTexts::tr("The %1 backend (%2) cannot run %3: it has no %4. Choose another device or the CPU.")
            .arg(backendName(arg(a, 0)), arg(a, 1), arg(a, 2), arg(a, 3));
    case ErrorCode::TooLittleMemory:
        return EngineTexts::tr("%1 needs about %2 at context %3, but %4 has %5. Choose a shorter context or the CPU.")
            .arg(arg(a, 0), arg(a, 1), arg(a, 2), arg(a, 3), arg(a, 4));
    }
    return english;
}

}  // namespace ponder
