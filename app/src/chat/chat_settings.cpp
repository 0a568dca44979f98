// chat_settings.cpp: ChatSettings' ranges, change signals and field copies.
#include "chat/chat_settings.h"

#include <utility>

#include <QtGlobal>

namespace ponder {

ChatSettings::ChatSettings(QObject* parent) : QObject(parent) {}

// The ranges the engine accepts; the same ones AppSettings applies to the app's defaults.
ChatSettingValues ChatSettings::clamped(ChatSettingValues v) {
    v.temperature = qBound(0.0, v.temperature, 2.0);
    v.topP = qBound(0.0, v.topP, 1.0);
    v.topK = qBound(0, v.topK, 1000);
    v.minP = qBound(0.0, v.minP, 1.0);
    v.repeatPenalty = qBound(0.5, v.repeatPenalty, 2.0);
    v.seed = qMax<qint64>(0, v.seed);
    v.maxTokens = v.maxTokens <= 0 ? -1 : v.maxTokens;
    v.reasoningBudget = qMax(-1, v.reasoningBudget);
    return v;
}

void ChatSettings::copyField(ChatSettingValues& to, const ChatSettingValues& from, Field field) {
    switch (field) {
    case Field::SystemPrompt: to.systemPrompt = from.systemPrompt; break;
    case Field::Temperature: to.temperature = from.temperature; break;
    case Field::TopP: to.topP = from.topP; break;
    case Field::TopK: to.topK = from.topK; break;
    case Field::MinP: to.minP = from.minP; break;
    case Field::RepeatPenalty: to.repeatPenalty = from.repeatPenalty; break;
    case Field::Seed: to.seed = from.seed; break;
    case Field::MaxTokens: to.maxTokens = from.maxTokens; break;
    case Field::ReasoningEnabled: to.reasoningEnabled = from.reasoningEnabled; break;
    case Field::ReasoningBudget: to.reasoningBudget = from.reasoningBudget; break;
    }
}

void ChatSettings::emitChanged(Field field) {
    switch (field) {
    case Field::SystemPrompt: emit systemPromptChanged(); break;
    case Field::Temperature: emit temperatureChanged(); break;
    case Field::TopP: emit topPChanged(); break;
    case Field::TopK: emit topKChanged(); break;
    case Field::MinP: emit minPChanged(); break;
    case Field::RepeatPenalty: emit repeatPenaltyChanged(); break;
    case Field::Seed: emit seedChanged(); break;
    case Field::MaxTokens: emit maxTokensChanged(); break;
    case Field::ReasoningEnabled: emit reasoningEnabledChanged(); break;
    case Field::ReasoningBudget: emit reasoningBudgetChanged(); break;
    }
}

void ChatSettings::assign(const ChatSettingValues& values) {
    const ChatSettingValues next = clamped(values);
    const ChatSettingValues before = m_v;
    m_v = next;
    for (int i = 0; i < kFieldCount; ++i) {
        const auto field = Field(i);
        ChatSettingValues probe = before;
        copyField(probe, next, field);
        if (!(probe == before)) emitChanged(field);
    }
}

template <class T>
void ChatSettings::edit(T ChatSettingValues::*member, std::type_identity_t<T> value, Field field) {
    ChatSettingValues next = m_v;
    next.*member = std::move(value);
    const ChatSettingValues v = clamped(next);
    if (v == m_v) return;
    m_v = v;
    emitChanged(field);
    emit edited(field);
}

void ChatSettings::setSystemPrompt(const QString& v) { edit(&ChatSettingValues::systemPrompt, v, Field::SystemPrompt); }
void ChatSettings::setTemperature(double v) { edit(&ChatSettingValues::temperature, v, Field::Temperature); }
void ChatSettings::setTopP(double v) { edit(&ChatSettingValues::topP, v, Field::TopP); }
void ChatSettings::setTopK(int v) { edit(&ChatSettingValues::topK, v, Field::TopK); }
void ChatSettings::setMinP(double v) { edit(&ChatSettingValues::minP, v, Field::MinP); }
void ChatSettings::setRepeatPenalty(double v) { edit(&ChatSettingValues::repeatPenalty, v, Field::RepeatPenalty); }
void ChatSettings::setSeed(qint64 v) { edit(&ChatSettingValues::seed, v, Field::Seed); }
void ChatSettings::setMaxTokens(int v) { edit(&ChatSettingValues::maxTokens, v, Field::MaxTokens); }
void ChatSettings::setReasoningEnabled(bool v) {
    edit(&ChatSettingValues::reasoningEnabled, v, Field::ReasoningEnabled);
}
void ChatSettings::setReasoningBudget(int v) { edit(&ChatSettingValues::reasoningBudget, v, Field::ReasoningBudget); }

}  // namespace ponder
