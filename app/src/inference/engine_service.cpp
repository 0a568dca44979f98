// engine_service.cpp: engine calls on a worker thread, with cancellation and piece coalescing.
#include "inference/engine_service.h"

#include "inference/engine_texts.h"

#include <ponder/engine.h>

#include <QElapsedTimer>
#include <QFileInfo>

#include <atomic>
#include <mutex>
#include <optional>
#include <stop_token>

namespace ponder {

// State touched by the worker thread; the GUI thread only flips the atomics / stop source.
struct EngineService::Shared {
    std::shared_ptr<const Model> model;  // worker thread only
    std::unique_ptr<Session> session;    // worker thread only
    std::atomic<bool> cancelLoad{false};
    std::mutex stopMutex;
    std::stop_source stop;  // the running generation's; guarded by stopMutex
    // The model the token counter uses (it runs beside a generation, on its own thread).
    std::mutex countMutex;
    std::shared_ptr<const Model> countModel;  // guarded by countMutex
    std::atomic<quint64> latestCount{0};      // the newest countTokens() request
};

namespace {

QString qstr(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QString stopReasonName(StopReason r) {
    switch (r) {
    case StopReason::EndOfTurn: return QStringLiteral("end");
    case StopReason::MaxTokens: return QStringLiteral("max_tokens");
    case StopReason::Cancelled: return QStringLiteral("cancelled");
    case StopReason::ContextFull: return QStringLiteral("context_full");
    }
    return {};
}

LoadStage stageOf(const LoadProgress& p) {
    switch (p.phase) {
    case LoadPhase::Reading: return LoadStage::Reading;
    case LoadPhase::Weights:
        return p.backend == BackendKind::Cpu ? LoadStage::PreparingWeights : LoadStage::UploadingWeights;
    case LoadPhase::Finishing: return LoadStage::Finishing;
    }
    return LoadStage::Reading;
}

DeviceOption optionOf(BackendKind backend, int index, const std::string& name, std::uint64_t memory, bool discrete) {
    DeviceOption o;
    o.backend = qstr(to_string(backend));
    o.index = index;
    o.name = qstr(name);
    o.memoryBytes = memory;
    o.discreteGpu = discrete;
    return o;
}

Role engineRole(ChatTurn::Role r) {
    switch (r) {
    case ChatTurn::Role::System: return Role::System;
    case ChatTurn::Role::User: return Role::User;
    case ChatTurn::Role::Assistant: return Role::Assistant;
    }
    return Role::User;
}

}  // namespace

EngineService::EngineService(QObject* parent) : InferenceService(parent), m_shared(std::make_shared<Shared>()) {
    m_thread.setObjectName(QStringLiteral("ponder-engine"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_countThread.setObjectName(QStringLiteral("ponder-token-count"));
    m_countContext = new QObject;
    m_countContext->moveToThread(&m_countThread);
    connect(&m_countThread, &QThread::finished, m_countContext, &QObject::deleteLater);
    m_countThread.start();
    m_deviceThread.setObjectName(QStringLiteral("ponder-devices"));
    m_deviceContext = new QObject;
    m_deviceContext->moveToThread(&m_deviceThread);
    connect(&m_deviceThread, &QThread::finished, m_deviceContext, &QObject::deleteLater);
    m_deviceThread.start();
    connect(this, &InferenceService::modelLoaded, this, [this] { m_hasModel = true; });
    m_thread.start();
    // Generation runs on this thread and the engine's workers: all of them at a slightly lower
    // priority, so the UI thread wins a contended core on machines with few (seen on 2 cores: a
    // 2 ms GUI timer ticked about twice in 80 ms of generation at equal priority).
    QMetaObject::invokeMethod(m_context, [] { lower_current_thread_priority(); });
}

EngineService::~EngineService() {
    m_shared->cancelLoad = true;
    stop();
    m_thread.quit();
    m_thread.wait();
    m_countThread.quit();
    m_countThread.wait();
    m_deviceThread.quit();
    m_deviceThread.wait();
}

void EngineService::loadModel(const LoadRequest& request) {
    m_shared->cancelLoad = false;
    m_hasModel = false;
    auto shared = m_shared;
    QMetaObject::invokeMethod(
        m_context,
        [this, shared, request] {
            LoadOptions options;
            options.path = std::filesystem::path(request.path.toStdString());
            options.backend = parse_backend_kind(request.backend.toStdString()).value_or(BackendKind::Auto);
            options.device_index = request.deviceIndex;
            options.context_length = request.contextLength;
            options.background_threads = true;
            shared->session.reset();
            shared->model.reset();  // free the old weights before mapping new ones
            {
                std::lock_guard lock(shared->countMutex);
                shared->countModel.reset();
            }
            int lastPercent = -1;
            std::optional<LoadStage> lastStage;
            try {
                auto model = load_model_with_progress(options, [&](const LoadProgress& p) {
                    const LoadStage stage = stageOf(p);
                    if (stage != lastStage) {
                        lastStage = stage;
                        emit loadStageChanged(stage);
                    }
                    const int percent = int(p.fraction * 100);
                    if (percent != lastPercent) {
                        lastPercent = percent;
                        emit loadProgress(p.fraction);
                    }
                    return !shared->cancelLoad.load();
                });
                // The session (its KV cache: on a GPU, memory the load did not take) first: if it
                // fails, the model is dropped with it and its memory freed, not left loaded
                // with no way to talk to it.
                shared->session = std::make_unique<Session>(model);
                shared->model = model;
                {
                    std::lock_guard lock(shared->countMutex);
                    shared->countModel = model;
                }
                LoadedModelInfo info;
                info.path = request.path;
                info.name = qstr(model->info().name);
                if (info.name.isEmpty()) info.name = QFileInfo(request.path).completeBaseName();
                info.architecture = qstr(model->info().architecture);
                info.backend = qstr(to_string(model->backend().backend));
                info.deviceName = qstr(model->backend().device_name);
                info.backendReason = qstr(model->backend().reason);
                info.backendReasonCode = int(model->backend().reason_code);
                for (const std::string& a : model->backend().reason_args) info.backendReasonArgs.append(qstr(a));
                info.deviceMemoryBytes = model->backend().device_memory_bytes;
                info.contextLength = model->context_length();
                info.reasoning = model->info().reasoning;
                info.reasoningToggle = model->supports_reasoning_toggle();
                emit modelLoaded(info);
            } catch (const Cancelled&) {
                emit loadCancelled();
            } catch (const std::exception& e) {
                emit failed(engineErrorText(e));
            }
        },
        Qt::QueuedConnection);
}

void EngineService::cancelLoad() { m_shared->cancelLoad = true; }

void EngineService::unloadModel() {
    stop();
    m_hasModel = false;
    auto shared = m_shared;
    QMetaObject::invokeMethod(
        m_context,
        [shared] {
            {
                std::lock_guard lock(shared->countMutex);
                shared->countModel.reset();
            }
            shared->session.reset();
            shared->model.reset();
        },
        Qt::QueuedConnection);
}

void EngineService::countTokens(const QString& text) {
    auto shared = m_shared;
    const quint64 request = ++shared->latestCount;
    QMetaObject::invokeMethod(
        m_countContext,
        [this, shared, text, request] {
            if (request != shared->latestCount.load()) return;  // the user typed on: count the newer text
            std::shared_ptr<const Model> model;
            {
                std::lock_guard lock(shared->countMutex);
                model = shared->countModel;
            }
            if (!model) return;
            const int count = model->count_tokens(text.toStdString());
            emit tokensCounted(text, count);
        },
        Qt::QueuedConnection);
}

void EngineService::listDevices() {
    QMetaObject::invokeMethod(
        m_deviceContext,
        [this] {
            DeviceSurvey survey;
            for (const DeviceInfo& d : list_devices())
                survey.devices.append(optionOf(d.backend, d.index, d.name, d.memory_bytes, d.discrete_gpu));
            const BackendChoice choice = choose_backend(BackendKind::Auto, 0);
            survey.autoPick =
                optionOf(choice.backend, choice.device_index, choice.device_name, choice.device_memory_bytes, false);
            for (const DeviceOption& d : survey.devices)  // the CPU's choice carries no memory figure
                if (d.backend == survey.autoPick.backend && d.index == survey.autoPick.index) survey.autoPick = d;
            survey.autoReasonCode = int(choice.reason_code);
            for (const std::string& a : choice.reason_args) survey.autoReasonArgs.append(qstr(a));
            survey.autoReason = qstr(choice.reason);
            emit devicesListed(survey);
        },
        Qt::QueuedConnection);
}

void EngineService::stop() {
    std::lock_guard lock(m_shared->stopMutex);
    m_shared->stop.request_stop();
}

void EngineService::generate(const QList<ChatTurn>& history, const GenerationSettings& settings) {
    std::stop_token token;
    {
        std::lock_guard lock(m_shared->stopMutex);
        m_shared->stop = std::stop_source();
        token = m_shared->stop.get_token();
    }
    auto shared = m_shared;
    QMetaObject::invokeMethod(
        m_context,
        [this, shared, history, settings, token] {
            if (!shared->session) {
                emit failed(tr("No model is loaded."));
                return;
            }
            std::vector<Message> messages;
            for (const ChatTurn& t : history)
                messages.push_back({engineRole(t.role), t.content.toStdString(), t.reasoning.toStdString()});
            GenerateOptions options;
            options.sampling.temperature = float(settings.temperature);
            options.sampling.top_p = float(settings.topP);
            options.sampling.top_k = settings.topK;
            options.sampling.min_p = float(settings.minP);
            options.sampling.repeat_penalty = float(settings.repeatPenalty);
            options.sampling.seed = settings.seed;
            options.max_tokens = settings.maxTokens;
            options.reasoning = settings.reasoning;
            options.reasoning_budget = settings.reasoningBudget;
            options.continue_last = settings.continueLast;

            // Coalesce pieces: flush on a channel switch or every ~16 ms.
            std::string pending;
            Channel pendingChannel = Channel::Answer;
            QElapsedTimer sinceFlush;
            sinceFlush.start();
            const auto flush = [&] {
                if (pending.empty()) return;
                const QString text = QString::fromStdString(pending);
                pending.clear();
                sinceFlush.restart();
                if (pendingChannel == Channel::Reasoning)
                    emit reasoningPiece(text);
                else
                    emit answerPiece(text);
            };
            try {
                const GenerationStats stats = shared->session->reply(
                    messages, options,
                    [&](const Piece& piece) {
                        if (piece.channel != pendingChannel) flush();
                        pendingChannel = piece.channel;
                        pending.append(piece.text);
                        if (sinceFlush.elapsed() >= 16) flush();
                        return !token.stop_requested();
                    },
                    token);
                flush();
                GenerationSummary summary;
                summary.promptTokens = stats.prompt_tokens;
                summary.generatedTokens = stats.generated_tokens;
                summary.reasoningTokens = stats.reasoning_tokens;
                summary.timeToFirstTokenMs = stats.time_to_first_token_ms;
                summary.tokensPerSecond = stats.generation_tokens_per_s;
                summary.contextUsed = stats.context_used;
                summary.contextSize = stats.context_size;
                summary.stopReason =
                    token.stop_requested() ? QStringLiteral("cancelled") : stopReasonName(stats.stop_reason);
                summary.backend = qstr(stats.backend);
                summary.droppedMessages = stats.dropped_messages;
                summary.reasoningBudgetReached = stats.reasoning_budget_reached;
                emit generationFinished(summary);
            } catch (const std::exception& e) {
                flush();
                emit failed(engineErrorText(e));
            }
        },
        Qt::QueuedConnection);
}

}  // namespace ponder
