// fake_inference_service.h: a scripted InferenceService for tests and screenshots (timers, no engine).
#pragma once

#include "inference/inference_service.h"

#include <QStringList>
#include <QTimer>

namespace ponder {

// Streams a fixed script of reasoning pieces then answer pieces, one per timer tick, so the
// event loop turns between pieces exactly as it does with the real engine. Loads take
// loadSteps ticks and can be made to fail; a generation can be made to fail after N pieces.
class FakeInferenceService : public InferenceService {
    Q_OBJECT
public:
    explicit FakeInferenceService(QObject* parent = nullptr);

    // The script. Defaults: three reasoning pieces, three answer pieces, 10 ms apart.
    QStringList reasoningScript;
    QStringList answerScript;
    int intervalMs = 10;
    int loadSteps = 4;            // ticks a load takes (progress 1/loadSteps each)
    QString loadError;            // non-empty: the load fails with this message
    bool reasoningToggle = true;  // the loaded model's template can switch thinking off
    int failAfterPieces = -1;     // >= 0: generate() fails with generationError after that many pieces
    QString generationError = QStringLiteral("the model stopped responding");
    int droppedMessages = 0;  // reported with every finished reply (context trimmed)
    bool reasoningBudgetReached = false;
    // The device line's parts, as the engine reports them (BackendReason as int).
    int backendReasonCode = 0;
    QStringList backendReasonArgs;
    // What listDevices reports (after one tick): by default a software Vulkan device and the
    // CPU, with auto on the CPU because the only Vulkan device is a software renderer.
    DeviceSurvey devices;
    // countTokens answers with the number of space-separated words, after countDelayMs.
    int countDelayMs = 0;

    void loadModel(const LoadRequest& request) override;
    void cancelLoad() override;
    void unloadModel() override;
    bool hasModel() const override { return m_loaded; }
    void generate(const QList<ChatTurn>& history, const GenerationSettings& settings) override;
    void stop() override;
    void countTokens(const QString& text) override;
    void listDevices() override;

    bool isGenerating() const { return m_generating; }
    const QList<ChatTurn>& lastHistory() const { return m_lastHistory; }
    const GenerationSettings& lastSettings() const { return m_lastSettings; }
    int generateCalls() const { return m_generateCalls; }
    int countCalls() const { return m_countCalls; }
    int listDevicesCalls() const { return m_listDevicesCalls; }
    const LoadRequest& lastLoadRequest() const { return m_request; }

private:
    void tickLoad();
    void tickGenerate();
    void finish(const QString& reason);
    int reasoningPieces() const;  // reasoning pieces this generation streams

    QTimer m_loadTimer;
    QTimer m_genTimer;
    LoadRequest m_request;
    int m_loadStep = 0;
    bool m_loaded = false;
    bool m_generating = false;
    int m_piece = 0;
    int m_generateCalls = 0;
    int m_countCalls = 0;
    int m_listDevicesCalls = 0;
    QList<ChatTurn> m_lastHistory;
    GenerationSettings m_lastSettings;
};

}  // namespace ponder
