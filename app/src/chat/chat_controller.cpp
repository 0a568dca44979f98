// chat_controller.cpp: the chat loop: history in, engine request out, streamed pieces to view and store.
#include "chat/chat_controller.h"

#include "settings/app_settings.h"
#include "storage/database.h"
#include "storage/history_store.h"
#include "storage/stream_writer.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcChat, "ponder.chat")

namespace {

// ~30 view updates a second: smooth to the eye, and the GUI thread's work per second stays the
// same at 20 or 5,000 tokens/s.
constexpr int kFlushMs = 33;
}  // namespace

namespace ponder {

namespace {

std::string utf8(const QString& s) { return s.toStdString(); }
QString qstr(const std::string& s) { return QString::fromStdString(s); }

// The figures of a reply that was continued: tokens of both parts, its first token's delay, its
// question's prompt, and one speed over the two parts' generating time. The engine saw the first
// part as prompt this time, so its own count of generated tokens is the continuation's alone.
GenerationSummary continuedFigures(const GenerationSummary& before, const GenerationSummary& now) {
    GenerationSummary out = now;
    out.promptTokens = before.promptTokens;
    out.generatedTokens = before.generatedTokens + now.generatedTokens;
    out.reasoningTokens = before.reasoningTokens + now.reasoningTokens;
    if (before.generatedTokens > 0) out.timeToFirstTokenMs = before.timeToFirstTokenMs;
    const double seconds = (before.tokensPerSecond > 0 ? before.generatedTokens / before.tokensPerSecond : 0) +
                           (now.tokensPerSecond > 0 ? now.generatedTokens / now.tokensPerSecond : 0);
    if (seconds > 0) out.tokensPerSecond = out.generatedTokens / seconds;
    out.reasoningBudgetReached = before.reasoningBudgetReached || now.reasoningBudgetReached;
    return out;
}

ChatTurn::Role toTurnRole(storage::Role r) {
    switch (r) {
    case storage::Role::System: return ChatTurn::Role::System;
    case storage::Role::User: return ChatTurn::Role::User;
    case storage::Role::Assistant: return ChatTurn::Role::Assistant;
    }
    return ChatTurn::Role::User;
}

MessageNode::Status toNodeStatus(storage::MessageStatus s) {
    switch (s) {
    case storage::MessageStatus::Streaming: return MessageNode::Status::Streaming;
    case storage::MessageStatus::Complete: return MessageNode::Status::Done;
    case storage::MessageStatus::Stopped: return MessageNode::Status::Stopped;
    case storage::MessageStatus::Interrupted: return MessageNode::Status::Interrupted;
    case storage::MessageStatus::Failed: return MessageNode::Status::Failed;
    }
    return MessageNode::Status::Done;
}

MessageNode toNode(const storage::Message& m) {
    MessageNode n;
    n.id = m.id;
    n.parentId = m.parent_id.value_or(0);
    n.role = toTurnRole(m.role);
    n.content = qstr(m.content);
    n.reasoning = qstr(m.reasoning);
    n.status = toNodeStatus(m.status);
    n.reasoningMs = m.reasoning_ms;
    if (m.role == storage::Role::Assistant && m.stats.generated_tokens > 0) {
        n.hasStats = true;
        n.stats.promptTokens = m.stats.prompt_tokens;
        n.stats.generatedTokens = m.stats.generated_tokens;
        n.stats.reasoningTokens = m.stats.reasoning_tokens;
        n.stats.timeToFirstTokenMs = m.stats.ttft_ms;
        n.stats.tokensPerSecond = m.stats.tokens_per_s;
        n.stats.backend = qstr(m.stats.backend);
        n.stats.droppedMessages = m.stats.dropped_messages;
        n.stats.reasoningBudgetReached = m.stats.reasoning_budget_reached;
    }
    return n;
}

// The first line of the user's first message, shortened: never the model's reasoning.
QString titleFrom(const QString& text) {
    QString line = text.trimmed().section(u'\n', 0, 0).simplified();
    if (line.size() > 48) line = line.left(47) + QChar(0x2026);
    return line.isEmpty() ? ChatController::tr("New chat") : line;
}

}  // namespace

ChatController::ChatController(storage::Database& db, InferenceService& inference, AppSettings& settings,
                               QObject* parent)
    : QObject(parent), m_db(db), m_store(std::make_unique<storage::HistoryStore>(db)),
      m_writer(std::make_unique<storage::StreamWriter>(db.path())), m_inference(inference), m_settings(settings),
      m_draft(inference), m_modelDefaults(settings) {
    connect(&m_inference, &InferenceService::reasoningPiece, this, &ChatController::onReasoningPiece);
    connect(&m_inference, &InferenceService::answerPiece, this, &ChatController::onAnswerPiece);
    connect(&m_inference, &InferenceService::generationFinished, this, &ChatController::onFinished);
    connect(&m_inference, &InferenceService::failed, this, &ChatController::onFailed);
    // The meter's size is the loaded model's, not the last reply's model's.
    connect(&m_inference, &InferenceService::modelLoaded, this, [this](const LoadedModelInfo& model) {
        m_contextSize = model.contextLength;
        emit contextChanged();
        m_modelDefaults.setModel(model.path, model.name);  // a new chat now starts from its defaults
    });
    connect(&m_chatSettings, &ChatSettings::edited, this, &ChatController::onChatSettingEdited);
    // ModelDefaults passes on every AppSettings change as well, so this one connection re-reads
    // the shown chat's settings when the app's defaults, the model's defaults or the model change.
    connect(&m_modelDefaults, &ModelDefaults::changed, this, &ChatController::reloadChatSettings);
    // Until a model loads, a new chat is for the model loaded last (the app loads it again).
    m_modelDefaults.setModel(m_settings.lastModelPath(), {});
    reloadChatSettings();
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &ChatController::flushPieces);
    m_writer->set_error_handler([](const storage::StorageError& e) {
        qCWarning(lcChat) << "saving the reply failed, will retry:" << e.what();
    });
    refreshConversations();
}

ChatController::~ChatController() {
    if (m_streamId != 0) m_inference.stop();
    try {
        m_writer->flush();
    } catch (const storage::StorageError& e) {
        qCWarning(lcChat) << "could not save the last reply:" << e.what();
    }
}

void ChatController::setError(const QString& message) {
    if (m_lastError == message) return;
    m_lastError = message;
    emit lastErrorChanged();
}

void ChatController::clearError() { setError({}); }

void ChatController::setContextUsed(int used) {
    // Stored figures and estimates can exceed the window (the engine shifts long chats): never
    // show more than there is.
    if (m_contextSize > 0) used = std::min(used, m_contextSize);
    if (used == m_contextUsed) return;
    m_contextUsed = used;
    emit contextChanged();
}

int ChatController::storedContextUse() const {
    const QList<MessageNode> path = m_messages.visiblePath();
    for (auto it = path.crbegin(); it != path.crend(); ++it)
        if (it->hasStats) return it->stats.promptTokens + it->stats.generatedTokens;
    return 0;
}

void ChatController::leaveShownConversation() {
    if (busy()) {
        // Every piece is already with the writer; the view's buffer is for the chat being left.
        m_pendingAnswer.clear();
        m_pendingReasoning.clear();
        m_flushTimer.stop();
    }
    flushHistory();  // what is read next (an answer so far, its figures) comes from the store
}

void ChatController::loadConversation(qint64 id) {
    leaveShownConversation();
    QList<MessageNode> nodes;
    qint64 leaf = 0;
    QString title;
    try {
        const auto conv = m_store->conversation(id);
        if (!conv) {
            setError(tr("That conversation no longer exists."));
            return;
        }
        title = qstr(conv->title);
        leaf = conv->current_leaf_id.value_or(0);
        for (const storage::Message& m : m_store->messages(id)) nodes.append(toNode(m));
    } catch (const storage::StorageError& e) {
        setError(qstr(e.what()));
        return;
    }
    m_conversationId = id;
    m_title = title;
    m_pendingFields.reset();
    m_messages.setMessages(nodes, leaf);
    setContextUsed(busy() && m_streamConversationId == id ? m_contextBase + m_streamPieces : storedContextUse());
    reloadChatSettings();
    emit conversationChanged();
}

// Switching chats never stops a running answer: it goes on into the store (the sidebar marks its
// chat, and Stop stays one click away), and shows again, still growing, when its chat is opened.
void ChatController::openConversation(qint64 id) {
    if (id == m_conversationId) return;
    loadConversation(id);
}

void ChatController::newConversation() {
    leaveShownConversation();
    m_conversationId = 0;
    m_title.clear();
    m_pendingFields.reset();
    m_messages.clear();
    setContextUsed(0);
    reloadChatSettings();
    emit conversationChanged();
}

bool ChatController::ensureConversation(const QString& firstText) {
    if (m_conversationId != 0) return true;
    try {
        m_conversationId = m_store->create_conversation(utf8(titleFrom(firstText)), startingSettings(true));
    } catch (const storage::StorageError& e) {
        setError(qstr(e.what()));
        return false;
    }
    m_title = titleFrom(firstText);
    m_pendingFields.reset();
    emit conversationChanged();
    return true;
}

bool ChatController::send(const QString& text) {
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() || busy()) return false;
    if (!requireModel()) return false;
    clearError();
    if (!ensureConversation(trimmed)) return false;
    const QList<MessageNode> path = m_messages.visiblePath();
    const std::optional<qint64> user = addUserMessage(path.isEmpty() ? 0 : path.back().id, trimmed);
    if (!user) return false;
    const bool started = startReply(*user);
    refreshConversations();
    return started;
}

std::optional<qint64> ChatController::addUserMessage(qint64 parent, const QString& text) {
    MessageNode user;
    try {
        user.id = m_store->add_message(m_conversationId, parent ? std::optional<std::int64_t>(parent) : std::nullopt,
                                       storage::Role::User, utf8(text));
    } catch (const storage::StorageError& e) {
        setError(qstr(e.what()));
        return std::nullopt;
    }
    user.parentId = parent;
    user.content = text;
    m_messages.addNode(user);
    return user.id;
}

bool ChatController::requireModel() {
    if (m_inference.hasModel()) return true;
    setError(tr("Load a model first: choose one from the list at the top, or drop a .gguf file onto the window."));
    return false;
}

bool ChatController::regenerate(int row) {
    if (busy()) return false;
    const MessageNode* n = m_messages.node(m_messages.idAt(row));
    if (!n || n->role != ChatTurn::Role::Assistant || n->parentId == 0) return false;
    if (!requireModel()) return false;
    clearError();
    return startReply(n->parentId);
}

bool ChatController::editAndResend(int row, const QString& text) {
    const QString trimmed = text.trimmed();
    if (busy() || trimmed.isEmpty()) return false;
    const MessageNode* n = m_messages.node(m_messages.idAt(row));
    if (!n || n->role != ChatTurn::Role::User) return false;
    if (!requireModel()) return false;
    clearError();
    const std::optional<qint64> user = addUserMessage(n->parentId, trimmed);
    return user && startReply(*user);
}

void ChatController::switchBranch(int row, int delta) {
    if (busy() || !m_messages.switchBranch(row, delta)) return;
    try {
        const qint64 leaf = m_store->select_message(m_messages.idAt(row));
        // The store follows the branch chosen last time below it; the meter, the branch now shown.
        m_messages.showPath(leaf);
        setContextUsed(storedContextUse());
    } catch (const storage::StorageError& e) {
        setError(qstr(e.what()));
    }
}

QList<ChatTurn> ChatController::historyTo(qint64 parentId) const {
    QList<ChatTurn> history;
    const QString system = m_chatSettings.systemPrompt();
    if (!system.trimmed().isEmpty()) history.append({ChatTurn::Role::System, system, {}});
    for (const MessageNode& n : m_messages.pathTo(parentId)) {
        // Failed or empty replies are not part of what the model should see.
        if (n.role == ChatTurn::Role::Assistant && n.content.isEmpty()) continue;
        // Earlier reasoning stays out of the next prompt (it is stored and shown, not re-read).
        history.append({n.role, n.content, {}});
    }
    return history;
}

bool ChatController::startReply(qint64 parentId) {
    const QList<ChatTurn> history = historyTo(parentId);
    MessageNode reply;
    try {
        reply.id = m_store->start_assistant_message(m_conversationId, parentId, utf8(m_settings.lastModelPath()));
    } catch (const storage::StorageError& e) {
        setError(qstr(e.what()));
        return false;
    }
    reply.parentId = parentId;
    reply.role = ChatTurn::Role::Assistant;
    reply.status = MessageNode::Status::Streaming;
    m_messages.addNode(reply);
    m_streamId = reply.id;
    m_streamConversationId = m_conversationId;
    // Until the engine reports exact figures: what the chat used so far, the new question at about
    // four characters a token, and one token per piece.
    const MessageNode* question = m_messages.node(parentId);
    m_contextBase = storedContextUse() + (question ? int(question->content.size() / 4) + 1 : 0);
    m_streamPieces = 0;
    setContextUsed(m_contextBase);
    m_answerStarted = false;
    m_reasoningSeen = false;
    m_stopRequested = false;
    m_reasoningMsBefore = 0;
    m_statsBefore.reset();
    m_streamClock.start();
    emit busyChanged();
    emit readingPromptChanged();
    m_inference.generate(history, effectiveSettings());
    return true;
}

bool ChatController::continueReply(int row) {
    if (busy()) return false;
    const qint64 id = m_messages.idAt(row);
    const MessageNode* n = m_messages.node(id);
    if (!n || n->role != ChatTurn::Role::Assistant || n->parentId == 0) return false;
    if (n->status != MessageNode::Status::Stopped && n->status != MessageNode::Status::Interrupted) return false;
    // Only the newest reply of the shown branch: one with answers below it is not "cut short".
    const QList<MessageNode> path = m_messages.visiblePath();
    if (path.isEmpty() || path.back().id != id) return false;
    if (!requireModel()) return false;
    clearError();
    flushHistory();
    QList<ChatTurn> history = historyTo(n->parentId);
    history.append({ChatTurn::Role::Assistant, n->content, n->reasoning});
    const bool hadAnswer = !n->content.isEmpty();
    const bool hadReasoning = !n->reasoning.isEmpty();
    const qint64 reasoningMs = n->reasoningMs;
    const std::optional<GenerationSummary> statsBefore = n->hasStats ? std::optional(n->stats) : std::nullopt;
    const int usedBefore = storedContextUse();
    try {
        // Back to Streaming, so that a crash while it goes on marks it Interrupted again; the
        // text stays and the writer appends to it. (finish_message sets any status.)
        const std::optional<storage::Message> stored = m_store->message(id);
        if (!stored) return false;
        m_store->finish_message(id, storage::MessageStatus::Streaming, stored->stats);
    } catch (const storage::StorageError& e) {
        setError(qstr(e.what()));
        return false;
    }
    loadConversation(m_conversationId);  // shows it as streaming again, its blocks open for more
    m_streamId = id;
    m_streamConversationId = m_conversationId;
    m_contextBase = usedBefore;
    m_streamPieces = 0;
    m_answerStarted = hadAnswer;
    m_reasoningSeen = hadReasoning;
    m_stopRequested = false;
    m_reasoningMsBefore = reasoningMs;  // thinking goes on from where it stopped
    m_statsBefore = statsBefore;        // and its figures count what came before
    m_streamClock.start();
    emit busyChanged();
    emit readingPromptChanged();
    GenerationSettings settings = effectiveSettings();
    settings.continueLast = true;
    m_inference.generate(history, settings);
    return true;
}

void ChatController::stop() {
    if (!busy()) return;
    // Stop acts at once: the batch waiting for the next flush is shown now, and pieces still queued
    // behind the Stop (made before the engine saw it) are dropped, from the view and the store
    // alike, so the answer shown is exactly the answer stored.
    m_stopRequested = true;
    m_inference.stop();
    flushPieces();
}

void ChatController::flushPieces() {
    m_flushTimer.stop();
    if (m_streamId == 0) return;
    if (!m_pendingReasoning.isEmpty()) {
        m_messages.appendReasoning(m_streamId, m_pendingReasoning);
        m_pendingReasoning.clear();
        if (!m_answerStarted) m_messages.setReasoningMs(m_streamId, m_reasoningMsBefore + m_streamClock.elapsed());
    }
    if (!m_pendingAnswer.isEmpty()) {
        m_messages.appendContent(m_streamId, m_pendingAnswer);
        m_pendingAnswer.clear();
    }
    if (m_streamConversationId == m_conversationId) setContextUsed(m_contextBase + m_streamPieces);
}

void ChatController::onReasoningPiece(const QString& text) {
    if (m_streamId == 0 || m_stopRequested) return;
    m_reasoningSeen = true;
    if (++m_streamPieces == 1) emit readingPromptChanged();
    m_pendingReasoning += text;
    m_writer->append(m_streamId, utf8(text), {});
    m_writer->set_reasoning_ms(m_streamId, m_reasoningMsBefore + m_streamClock.elapsed());
    if (!m_flushTimer.isActive()) m_flushTimer.start();
}

void ChatController::onAnswerPiece(const QString& text) {
    if (m_streamId == 0 || m_stopRequested) return;
    if (!m_answerStarted) {
        flushPieces();  // the reasoning ends here: show all of it with its final duration
        m_answerStarted = true;
        if (m_reasoningSeen) {
            m_messages.setReasoningMs(m_streamId, m_reasoningMsBefore + m_streamClock.elapsed());
            m_writer->set_reasoning_ms(m_streamId, m_reasoningMsBefore + m_streamClock.elapsed());
        }
    }
    if (++m_streamPieces == 1) emit readingPromptChanged();
    m_pendingAnswer += text;
    m_writer->append(m_streamId, {}, utf8(text));
    if (!m_flushTimer.isActive()) m_flushTimer.start();
}

void ChatController::onFinished(const GenerationSummary& summary) {
    if (m_streamId == 0) return;
    flushPieces();
    const qint64 id = m_streamId;
    const bool stopped = m_stopRequested || summary.stopReason == u"cancelled";
    const GenerationSummary figures = m_statsBefore ? continuedFigures(*m_statsBefore, summary) : summary;
    m_statsBefore.reset();
    storage::MessageStats stats;
    stats.prompt_tokens = figures.promptTokens;
    stats.generated_tokens = figures.generatedTokens;
    stats.reasoning_tokens = figures.reasoningTokens;
    stats.ttft_ms = figures.timeToFirstTokenMs;
    stats.tokens_per_s = figures.tokensPerSecond;
    stats.backend = utf8(figures.backend);
    stats.dropped_messages = figures.droppedMessages;
    stats.reasoning_budget_reached = figures.reasoningBudgetReached;
    m_writer->finish(id, stopped ? storage::MessageStatus::Stopped : storage::MessageStatus::Complete, stats);
    m_messages.setStats(id, figures);
    m_messages.setStatus(id, stopped ? MessageNode::Status::Stopped : MessageNode::Status::Done);
    if (m_streamConversationId == m_conversationId) {  // else the figures belong to a chat not shown
        m_contextUsed = summary.contextUsed;
        if (summary.contextSize > 0) m_contextSize = summary.contextSize;
        emit contextChanged();
    }
    m_streamId = 0;
    emit busyChanged();
    emit readingPromptChanged();
    refreshConversations();
    emit replyFinished(id);
}

void ChatController::onFailed(const QString& message) {
    if (m_streamId == 0) return;  // a load failure: ModelLibrary shows it
    flushPieces();
    setError(message);
    const qint64 id = m_streamId;
    m_writer->finish(id, storage::MessageStatus::Failed, {}, utf8(message));
    m_messages.setStatus(id, MessageNode::Status::Failed);
    m_streamId = 0;
    emit busyChanged();
    emit readingPromptChanged();
    emit replyFinished(id);
}

void ChatController::copyText(const QString& text) const {
    if (QClipboard* clipboard = QGuiApplication::clipboard()) clipboard->setText(text);
}

void ChatController::flushHistory() {
    try {
        m_writer->flush();
    } catch (const storage::StorageError& e) {
        setError(qstr(e.what()));
    }
}

}  // namespace ponder
