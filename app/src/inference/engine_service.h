// engine_service.h: the real InferenceService: Ponder's engine (engine.h) on its own thread.
#pragma once

#include "inference/inference_service.h"

#include <QThread>

#include <memory>

namespace ponder {

// Everything the engine does (loading, prompt processing, decoding) runs on a private QThread;
// the GUI thread only posts requests and receives queued signals. Pieces are coalesced so that a
// fast model sends at most ~60 updates per second instead of one signal per token.
class EngineService : public InferenceService {
    Q_OBJECT
public:
    explicit EngineService(QObject* parent = nullptr);
    ~EngineService() override;  // stops generation, cancels a load, joins the thread

    void loadModel(const LoadRequest& request) override;
    void cancelLoad() override;
    void unloadModel() override;
    bool hasModel() const override { return m_hasModel; }
    void generate(const QList<ChatTurn>& history, const GenerationSettings& settings) override;
    void stop() override;
    void countTokens(const QString& text) override;
    void listDevices() override;

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
    QThread m_thread;
    QObject* m_context = nullptr;  // lives on m_thread; requests are posted to it
    bool m_hasModel = false;
    // Token counts while typing run here, so they answer at once even while a reply is generated.
    QThread m_countThread;
    QObject* m_countContext = nullptr;
    // Device surveys open the GPU driver (hundreds of ms): on their own thread, so neither the
    // GUI nor a running load or reply waits for them.
    QThread m_deviceThread;
    QObject* m_deviceContext = nullptr;
};

}  // namespace ponder
