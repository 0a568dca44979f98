// chat_controller.h: what QML calls to chat: send/stop/regenerate/edit, conversations, search, per-chat settings.
#pragma once

#include "chat/chat_settings.h"
#include "chat/conversation_list_model.h"
#include "chat/draft_token_counter.h"
#include "chat/message_model.h"
#include "inference/inference_service.h"
#include "settings/model_defaults.h"

#include <QtQml/qqmlregistration.h>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <bitset>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace ponder::storage {
struct ConversationSettings;
class Database;
class HistoryStore;
class StreamWriter;
}  // namespace ponder::storage

namespace ponder {

class AppSettings;

// Owns the item models (GUI thread) and drives one InferenceService. Every message is written to
// the history database as it happens: the user's text at once, the reply's text through the
// storage StreamWriter (which commits off this thread every ~100 ms), its final state at the end.
class ChatController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created in main.cpp")
    Q_PROPERTY(ponder::MessageModel* messages READ messages CONSTANT)
    Q_PROPERTY(ponder::ConversationListModel* conversations READ conversations CONSTANT)
    Q_PROPERTY(qint64 conversationId READ conversationId NOTIFY conversationChanged)
    Q_PROPERTY(QString title READ title NOTIFY conversationChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    // The chat whose answer is being generated (0 = none); it goes on while another chat is shown.
    Q_PROPERTY(qint64 generatingConversationId READ generatingConversationId NOTIFY busyChanged)
    // An answer is being generated and nothing of it has come yet: the engine is reading the
    // prompt (the whole conversation again after a restart, which takes a while on a slow device).
    Q_PROPERTY(bool readingPrompt READ readingPrompt NOTIFY readingPromptChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
    Q_PROPERTY(QString searchQuery READ searchQuery WRITE setSearchQuery NOTIFY searchQueryChanged)
    // The shown chat's settings (a new chat's before its first message); edits are stored with it.
    Q_PROPERTY(ponder::ChatSettings* chatSettings READ chatSettings CONSTANT)
    // The defaults of the model a new chat uses (Settings: "Defaults for this model").
    Q_PROPERTY(ponder::ModelDefaults* modelDefaults READ modelDefaults CONSTANT)
    Q_PROPERTY(int contextUsed READ contextUsed NOTIFY contextChanged)
    Q_PROPERTY(int contextSize READ contextSize NOTIFY contextChanged)
    // The message being typed, in tokens (the composer shows it against the space left).
    Q_PROPERTY(ponder::DraftTokenCounter* draft READ draft CONSTANT)
public:
    ChatController(storage::Database& db, InferenceService& inference, AppSettings& settings,
                   QObject* parent = nullptr);
    ~ChatController() override;

    MessageModel* messages() { return &m_messages; }
    ConversationListModel* conversations() { return &m_conversations; }
    DraftTokenCounter* draft() { return &m_draft; }
    qint64 conversationId() const { return m_conversationId; }
    QString title() const { return m_title; }
    bool busy() const { return m_streamId != 0; }
    bool readingPrompt() const { return busy() && m_streamPieces == 0; }
    qint64 generatingConversationId() const { return m_streamId != 0 ? m_streamConversationId : 0; }
    QString lastError() const { return m_lastError; }
    QString searchQuery() const { return m_searchQuery; }
    void setSearchQuery(const QString& query);
    ChatSettings* chatSettings() { return &m_chatSettings; }
    ModelDefaults* modelDefaults() { return &m_modelDefaults; }
    int contextUsed() const { return m_contextUsed; }
    int contextSize() const { return m_contextSize; }

    // Sends text as the user's next message and starts the reply. False (and lastError set) when
    // it cannot start, e.g. no model is loaded; the caller keeps the text in the input then.
    Q_INVOKABLE bool send(const QString& text);
    Q_INVOKABLE void stop();
    // A new reply to the same question as the assistant message in `row`, as a new branch.
    Q_INVOKABLE bool regenerate(int row);
    // The user message in `row`, edited: a new branch under the same parent, then a reply.
    Q_INVOKABLE bool editAndResend(int row, const QString& text);
    Q_INVOKABLE void switchBranch(int row, int delta);
    // Goes on with the stopped or interrupted answer in `row` (the newest of its branch): the text
    // so far stays, the model's continuation is appended to the same message and stored as it
    // streams. False when it cannot (busy, no model, not such an answer).
    Q_INVOKABLE bool continueReply(int row);
    // Deletes the message in `row` with everything below it on every branch; the view shows the
    // branch that remains. False while an answer is being generated in this chat.
    Q_INVOKABLE bool deleteMessage(int row);
    Q_INVOKABLE void openConversation(qint64 id);
    Q_INVOKABLE void newConversation();
    Q_INVOKABLE void renameConversation(qint64 id, const QString& title);
    Q_INVOKABLE void setPinned(qint64 id, bool pinned);
    Q_INVOKABLE void deleteConversation(qint64 id);
    // Writes the conversation (active branch, with reasoning) as Markdown to a local file.
    Q_INVOKABLE bool exportConversation(qint64 id, const QUrl& target);
    // JSON backup (chat_export.cpp): the whole message tree with reasoning and settings, one chat
    // or every chat; import adds a file's chats as new ones (all or none) and returns how many.
    Q_INVOKABLE bool exportConversationJson(qint64 id, const QUrl& target);
    Q_INVOKABLE bool exportAllJson(const QUrl& target);
    Q_INVOKABLE int importJson(const QUrl& source);
    // Back to what a new chat with the current model starts from (its defaults over the app's).
    Q_INVOKABLE void resetChatSettings();
    Q_INVOKABLE void clearError();
    // Shows a message from start-up (e.g. the history database had to be set aside) in the banner.
    void showStartupNotice(const QString& message) { setError(message); }
    // Waits until every streamed piece is committed (tests; quitting).
    Q_INVOKABLE void flushHistory();
    Q_INVOKABLE void refreshConversations();
    Q_INVOKABLE void copyText(const QString& text) const;  // to the system clipboard

    // The request the next reply would use (chat settings over app defaults).
    GenerationSettings effectiveSettings() const;

Q_SIGNALS:
    void readingPromptChanged();
    void conversationChanged();
    void busyChanged();
    void lastErrorChanged();
    void searchQueryChanged();
    void contextChanged();
    void replyFinished(qint64 messageId);

private:
    void onReasoningPiece(const QString& text);
    void onAnswerPiece(const QString& text);
    void onFinished(const GenerationSummary& summary);
    void onFailed(const QString& message);
    void flushPieces();  // hands the buffered pieces to the view
    bool startReply(qint64 parentId);
    QList<ChatTurn> historyTo(qint64 parentId) const;  // system prompt + the path to parentId
    // Stores the user's text under parent (0 = first message) and shows it; nullopt (error set) on failure.
    std::optional<qint64> addUserMessage(qint64 parent, const QString& text);
    bool writeExport(const QUrl& target, const std::function<std::string()>& make);
    bool requireModel();  // false, with the "load a model first" error, when none is loaded
    void setError(const QString& message);
    bool ensureConversation(const QString& firstText);
    void loadConversation(qint64 id);
    void leaveShownConversation();
    void setContextUsed(int used);
    // chat_controller_settings.cpp: the shown chat's settings from the defaults and the store.
    void reloadChatSettings();
    void onChatSettingEdited(ChatSettings::Field field);
    storage::ConversationSettings startingSettings(bool withChoices) const;  // a new chat's stored settings
    int storedContextUse() const;  // the shown chat's use after its last answer (0: none yet)

    storage::Database& m_db;
    std::unique_ptr<storage::HistoryStore> m_store;
    std::unique_ptr<storage::StreamWriter> m_writer;
    InferenceService& m_inference;
    AppSettings& m_settings;
    MessageModel m_messages;
    ConversationListModel m_conversations;
    DraftTokenCounter m_draft;
    qint64 m_conversationId = 0;
    QString m_title;
    QString m_lastError;
    QString m_searchQuery;
    ChatSettings m_chatSettings;
    ModelDefaults m_modelDefaults;
    std::bitset<ChatSettings::kFieldCount> m_pendingFields;  // chosen before the first message creates the chat
    qint64 m_streamId = 0;                                   // assistant message being generated; 0 = idle
    qint64 m_streamConversationId = 0;
    QElapsedTimer m_streamClock;
    bool m_answerStarted = false;
    bool m_reasoningSeen = false;
    bool m_stopRequested = false;                    // the user pressed Stop: the reply ends as "stopped"
    qint64 m_reasoningMsBefore = 0;                  // a continued reply's thinking time before this stream
    std::optional<GenerationSummary> m_statsBefore;  // a continued reply's figures before this stream
    // Pieces reach the view at most every kFlushMs, whatever the engine's rate.
    QString m_pendingReasoning;
    QString m_pendingAnswer;
    QTimer m_flushTimer;
    int m_contextUsed = 0;  // of the shown chat: exact after a reply, estimated while one streams
    int m_contextBase = 0;  // the streaming chat's use before the current reply's pieces
    int m_streamPieces = 0;
    int m_contextSize = 0;
};

}  // namespace ponder
