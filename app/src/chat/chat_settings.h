// chat_settings.h: one chat's generation settings as typed properties (QML edits them in Settings).
#pragma once

#include <type_traits>

#include <QtQml/qqmlregistration.h>
#include <QObject>
#include <QString>

namespace ponder {

// The values behind ChatSettings, as a plain struct so the controller can compute them from the
// app's defaults, the model's defaults and the stored chat without a QObject.
struct ChatSettingValues {
    QString systemPrompt;
    double temperature = 0.6;
    double topP = 0.95;
    int topK = 40;
    double minP = 0.05;
    double repeatPenalty = 1.0;
    qint64 seed = 0;     // 0 = random
    int maxTokens = -1;  // -1 = no limit
    bool reasoningEnabled = true;
    int reasoningBudget = -1;  // -1 = no budget
    bool operator==(const ChatSettingValues&) const = default;
};

// The shown chat's settings. A setter clamps the value to its range, and when that changes it
// emits the property's own signal and `edited(field)`, on which ChatController stores that one
// field with the chat. `assign` (the controller showing another chat, or the defaults changing)
// emits the property signals only: nothing is stored for values the user did not choose.
class ChatSettings : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by ChatController")
    Q_PROPERTY(QString systemPrompt READ systemPrompt WRITE setSystemPrompt NOTIFY systemPromptChanged)
    Q_PROPERTY(double temperature READ temperature WRITE setTemperature NOTIFY temperatureChanged)
    Q_PROPERTY(double topP READ topP WRITE setTopP NOTIFY topPChanged)
    Q_PROPERTY(int topK READ topK WRITE setTopK NOTIFY topKChanged)
    Q_PROPERTY(double minP READ minP WRITE setMinP NOTIFY minPChanged)
    Q_PROPERTY(double repeatPenalty READ repeatPenalty WRITE setRepeatPenalty NOTIFY repeatPenaltyChanged)
    Q_PROPERTY(qint64 seed READ seed WRITE setSeed NOTIFY seedChanged)
    Q_PROPERTY(int maxTokens READ maxTokens WRITE setMaxTokens NOTIFY maxTokensChanged)
    Q_PROPERTY(bool reasoningEnabled READ reasoningEnabled WRITE setReasoningEnabled NOTIFY reasoningEnabledChanged)
    Q_PROPERTY(int reasoningBudget READ reasoningBudget WRITE setReasoningBudget NOTIFY reasoningBudgetChanged)
public:
    enum class Field {
        SystemPrompt,
        Temperature,
        TopP,
        TopK,
        MinP,
        RepeatPenalty,
        Seed,
        MaxTokens,
        ReasoningEnabled,
        ReasoningBudget,
    };
    Q_ENUM(Field)
    static constexpr int kFieldCount = 10;

    explicit ChatSettings(QObject* parent = nullptr);

    const ChatSettingValues& values() const { return m_v; }
    // Shows `values` (clamped) without storing anything; each property that changes emits its signal.
    void assign(const ChatSettingValues& values);
    // Copies one field from `from` into `to` (the controller keeps fields chosen before a chat exists).
    static void copyField(ChatSettingValues& to, const ChatSettingValues& from, Field field);
    static ChatSettingValues clamped(ChatSettingValues v);

    QString systemPrompt() const { return m_v.systemPrompt; }
    double temperature() const { return m_v.temperature; }
    double topP() const { return m_v.topP; }
    int topK() const { return m_v.topK; }
    double minP() const { return m_v.minP; }
    double repeatPenalty() const { return m_v.repeatPenalty; }
    qint64 seed() const { return m_v.seed; }
    int maxTokens() const { return m_v.maxTokens; }
    bool reasoningEnabled() const { return m_v.reasoningEnabled; }
    int reasoningBudget() const { return m_v.reasoningBudget; }

    void setSystemPrompt(const QString& v);
    void setTemperature(double v);
    void setTopP(double v);
    void setTopK(int v);
    void setMinP(double v);
    void setRepeatPenalty(double v);
    void setSeed(qint64 v);
    void setMaxTokens(int v);
    void setReasoningEnabled(bool v);
    void setReasoningBudget(int v);

Q_SIGNALS:
    void systemPromptChanged();
    void temperatureChanged();
    void topPChanged();
    void topKChanged();
    void minPChanged();
    void repeatPenaltyChanged();
    void seedChanged();
    void maxTokensChanged();
    void reasoningEnabledChanged();
    void reasoningBudgetChanged();
    void edited(ponder::ChatSettings::Field field);  // the user set it (not emitted by assign)

private:
    void emitChanged(Field field);
    // Sets one field to `value` and stores it when the clamped result differs.
    template <class T>
    void edit(T ChatSettingValues::*member, std::type_identity_t<T> value, Field field);
    ChatSettingValues m_v;
};

}  // namespace ponder
