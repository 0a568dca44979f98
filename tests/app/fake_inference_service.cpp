// fake_inference_service.cpp: timer-driven scripted streaming for tests and screenshots.
#include "fake_inference_service.h"

#include <ponder/engine.h>

#include <QFileInfo>

namespace ponder {

FakeInferenceService::FakeInferenceService(QObject* parent) : InferenceService(parent) {
    reasoningScript = {QStringLiteral("The user greets me. "), QStringLiteral("I should answer "),
                       QStringLiteral("politely.")};
    answerScript = {QStringLiteral("Hello"), QStringLiteral("! How can "), QStringLiteral("I help?")};
    const DeviceOption lavapipe{QStringLiteral("vulkan"), 0, QStringLiteral("llvmpipe (LLVM 15.0.6, 256 bits)"),
                                quint64(16) << 30, false};
    const DeviceOption cpu{QStringLiteral("cpu"), 0, QStringLiteral("Test CPU (2 threads)"), quint64(8) << 30, false};
    devices.devices = {lavapipe, cpu};
    devices.autoPick = cpu;
    devices.autoReasonCode = int(BackendReason::AutoSoftwareGpuOnly);
    devices.autoReasonArgs = {lavapipe.name};
    devices.autoReason =
        QStringLiteral("CPU: Test CPU (auto: the only Vulkan device, llvmpipe, is a software renderer)");
    connect(&m_loadTimer, &QTimer::timeout, this, &FakeInferenceService::tickLoad);
    connect(&m_genTimer, &QTimer::timeout, this, &FakeInferenceService::tickGenerate);
}

void FakeInferenceService::loadModel(const LoadRequest& request) {
    m_request = request;
    m_loadStep = 0;
    m_loaded = false;
    m_loadTimer.start(intervalMs);
}

void FakeInferenceService::cancelLoad() {
    if (!m_loadTimer.isActive()) return;
    m_loadTimer.stop();
    emit loadCancelled();
}

void FakeInferenceService::unloadModel() {
    m_loadTimer.stop();
    stop();
    m_loaded = false;
}

void FakeInferenceService::listDevices() {
    ++m_listDevicesCalls;
    QTimer::singleShot(intervalMs, this, [this] { emit devicesListed(devices); });
}

void FakeInferenceService::tickLoad() {
    ++m_loadStep;
    // The engine's stages: reading first, the weights (to the GPU when one was asked for) next.
    if (m_loadStep == 1) emit loadStageChanged(LoadStage::Reading);
    if (m_loadStep == 2)
        emit loadStageChanged(m_request.backend == u"cpu" || m_request.backend == u"auto"
                                  ? LoadStage::PreparingWeights
                                  : LoadStage::UploadingWeights);
    if (m_loadStep == loadSteps) emit loadStageChanged(LoadStage::Finishing);
    emit loadProgress(double(m_loadStep) / std::max(1, loadSteps));
    if (m_loadStep < loadSteps) return;
    m_loadTimer.stop();
    if (!loadError.isEmpty()) {
        emit failed(loadError);
        return;
    }
    m_loaded = true;
    LoadedModelInfo info;
    info.path = m_request.path;
    info.name = QFileInfo(m_request.path).completeBaseName();
    info.architecture = QStringLiteral("llama");
    info.backend = QStringLiteral("cpu");
    info.deviceName = QStringLiteral("Test CPU");
    info.backendReason = QStringLiteral("CPU: Test CPU (auto: no GPU found)");
    info.contextLength = m_request.contextLength;
    info.reasoning = true;
    info.reasoningToggle = reasoningToggle;
    info.backendReasonCode = backendReasonCode;
    info.backendReasonArgs = backendReasonArgs;
    emit modelLoaded(info);
}

void FakeInferenceService::generate(const QList<ChatTurn>& history, const GenerationSettings& settings) {
    ++m_generateCalls;
    m_lastHistory = history;
    m_lastSettings = settings;
    if (!m_loaded) {
        emit failed(tr("No model is loaded."));
        return;
    }
    m_piece = 0;
    m_generating = true;
    m_genTimer.start(intervalMs);
}

void FakeInferenceService::countTokens(const QString& text) {
    ++m_countCalls;
    if (!m_loaded) return;
    const int count = int(text.split(u' ', Qt::SkipEmptyParts).size());
    QTimer::singleShot(countDelayMs, this, [this, text, count] { emit tokensCounted(text, count); });
}

void FakeInferenceService::stop() {
    if (m_generating) finish(QStringLiteral("cancelled"));
}

void FakeInferenceService::tickGenerate() {
    if (failAfterPieces >= 0 && m_piece >= failAfterPieces) {
        m_genTimer.stop();
        m_generating = false;
        emit failed(generationError);
        return;
    }
    const int nReasoning = reasoningPieces();
    if (m_piece < nReasoning) {
        emit reasoningPiece(reasoningScript[m_piece++]);
        return;
    }
    const int answerIndex = m_piece - nReasoning;
    if (answerIndex < answerScript.size()) {
        ++m_piece;
        emit answerPiece(answerScript[answerIndex]);
        return;
    }
    finish(QStringLiteral("end"));
}

int FakeInferenceService::reasoningPieces() const {
    // Continuing a reply that already has answer text goes on with the answer only.
    const bool continuingAnswer =
        m_lastSettings.continueLast && !m_lastHistory.isEmpty() && !m_lastHistory.back().content.isEmpty();
    return m_lastSettings.reasoning && !continuingAnswer ? int(reasoningScript.size()) : 0;
}

void FakeInferenceService::finish(const QString& reason) {
    m_genTimer.stop();
    m_generating = false;
    GenerationSummary summary;
    const int nReasoning = reasoningPieces();
    summary.generatedTokens = m_piece;
    summary.reasoningTokens = std::min(m_piece, nReasoning);
    summary.promptTokens = 12;
    summary.timeToFirstTokenMs = intervalMs;
    summary.tokensPerSecond = intervalMs > 0 ? 1000.0 / intervalMs : 0;
    summary.contextUsed = 12 + m_piece;
    summary.contextSize = m_request.contextLength;
    summary.stopReason = reason;
    summary.backend = QStringLiteral("cpu");
    summary.droppedMessages = droppedMessages;
    summary.reasoningBudgetReached = reasoningBudgetReached;
    emit generationFinished(summary);
}

}  // namespace ponder
