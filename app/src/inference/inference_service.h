// inference_service.h: the one seam between the UI and an inference engine, plus the value types that cross it.
#pragma once

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

namespace ponder {

// One turn of the conversation as the engine sees it. Reasoning is carried but the engine's
// templates normally drop it from the next prompt.
struct ChatTurn {
    enum class Role { System, User, Assistant };
    Role role = Role::User;
    QString content;
    QString reasoning;
};

// Sampling and context knobs for one request (per chat, defaulting to the app-wide settings).
struct GenerationSettings {
    double temperature = 0.6;
    double topP = 0.95;
    int topK = 40;
    double minP = 0.05;
    double repeatPenalty = 1.0;
    quint64 seed = 0;          // 0 = random
    int maxTokens = -1;        // -1 = until end of turn
    bool reasoning = true;     // only honoured by models that can switch thinking off
    int reasoningBudget = -1;  // -1 = unlimited
    // The history's last turn is the assistant's cut-short reply: go on from it; the pieces are
    // only the new text, to be appended to that reply.
    bool continueLast = false;
};

// Where and how a model should be loaded.
struct LoadRequest {
    QString path;
    QString backend = QStringLiteral("auto");  // "auto", "cpu", "vulkan", "cuda"
    int deviceIndex = 0;
    int contextLength = 4096;
};

// What the service reports once a model is ready.
struct LoadedModelInfo {  // not engine's ponder::LoadedModel (engine/src/api/loaded_model.h)
    QString path;
    QString name;
    QString architecture;
    QString backend;  // e.g. "cpu"
    QString deviceName;
    QString backendReason;  // why this backend/device was chosen, for the status bar
    int contextLength = 0;
    bool reasoning = false;
    bool reasoningToggle = false;  // the template honours "reasoning off"
    // backendReason in parts, so the app words it in the user's language (see backend_text.h):
    // the engine's BackendReason as an int (0 = none: show backendReason), its arguments, and the
    // GPU's memory (0 for the CPU).
    int backendReasonCode = 0;
    QStringList backendReasonArgs;
    quint64 deviceMemoryBytes = 0;
};

// What a load is doing, for the progress line (the engine's LoadPhase, with where weights go).
enum class LoadStage {
    Reading,           // parsing and checking the file
    PreparingWeights,  // the CPU maps (or repacks) the weights
    UploadingWeights,  // the weights are copied to the GPU's memory
    Finishing,         // chat template and the rest
};

// One device the engine can run on, as the device picker lists it.
struct DeviceOption {
    QString backend;  // "cpu", "vulkan", "cuda"
    int index = 0;    // within its backend
    QString name;
    quint64 memoryBytes = 0;  // device memory (system RAM for the CPU)
    bool discreteGpu = false;
};

// Every device the engine finds (CPU last) and what `auto` would pick, and why (the engine's
// BackendReason as an int with its arguments; reason is the English text, for unknown codes).
struct DeviceSurvey {
    QList<DeviceOption> devices;
    DeviceOption autoPick;
    int autoReasonCode = 0;
    QStringList autoReasonArgs;
    QString autoReason;
};

// Figures for one finished (or stopped) generation.
struct GenerationSummary {
    int promptTokens = 0;
    int generatedTokens = 0;
    int reasoningTokens = 0;
    double timeToFirstTokenMs = 0;
    double tokensPerSecond = 0;
    int contextUsed = 0;
    int contextSize = 0;
    QString stopReason;  // "end", "max_tokens", "cancelled", "context_full"
    QString backend;
    int droppedMessages = 0;              // oldest messages left out so the prompt fits the context
    bool reasoningBudgetReached = false;  // the budget ended the thinking (the engine closed it)
};

// The engine seam. Implementations never block the calling (GUI) thread: work runs elsewhere
// and results come back as signals, which are delivered on the thread that owns the service.
// Tests use FakeInferenceService; the app uses EngineService.
class InferenceService : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~InferenceService() override = default;

    virtual void loadModel(const ponder::LoadRequest& request) = 0;  // emits loadProgress…, then modelLoaded or failed
    virtual void cancelLoad() = 0;                                   // the pending load ends with failed("cancelled")
    virtual void unloadModel() = 0;
    virtual bool hasModel() const = 0;
    // Streams reasoningPiece/answerPiece, then generationFinished (also after stop()) or failed.
    virtual void generate(const QList<ponder::ChatTurn>& history, const ponder::GenerationSettings& settings) = 0;
    virtual void stop() = 0;  // ends the running generation soon
    // Counts the tokens `text` would take as a message with the loaded model, off the calling
    // thread (also while a reply is generated); answers with tokensCounted(text, count). Without
    // a model nothing is answered. Only the latest request matters: older ones may be skipped.
    virtual void countTokens(const QString& text) = 0;
    // Asks the engine which devices it finds (slow-ish: a GPU driver is opened), off the calling
    // thread; answers with devicesListed.
    virtual void listDevices() = 0;

Q_SIGNALS:
    void loadProgress(double fraction);
    void loadStageChanged(ponder::LoadStage stage);  // before the progress of the new stage
    void modelLoaded(const ponder::LoadedModelInfo& model);
    void loadCancelled();
    void reasoningPiece(const QString& text);
    void answerPiece(const QString& text);
    void generationFinished(const ponder::GenerationSummary& summary);
    void failed(const QString& message);
    void tokensCounted(const QString& text, int count);
    void devicesListed(const ponder::DeviceSurvey& survey);
};

}  // namespace ponder

Q_DECLARE_METATYPE(ponder::ChatTurn)
Q_DECLARE_METATYPE(ponder::GenerationSettings)
Q_DECLARE_METATYPE(ponder::LoadRequest)
Q_DECLARE_METATYPE(ponder::LoadedModelInfo)
Q_DECLARE_METATYPE(ponder::GenerationSummary)
Q_DECLARE_METATYPE(ponder::LoadStage)
Q_DECLARE_METATYPE(ponder::DeviceSurvey)
