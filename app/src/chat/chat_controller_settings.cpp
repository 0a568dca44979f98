// chat_controller_settings.cpp: ChatController's per-chat settings: app defaults, then the model's
// defaults (a new chat), then what the chat stored; edits are written to the chat one field at a time.
#include "chat/chat_controller.h"

#include "settings/app_settings.h"
#include "storage/database.h"
#include "storage/history_store.h"

namespace ponder {

namespace {

std::string utf8(const QString& s) { return s.toStdString(); }
QString qstr(const std::string& s) { return QString::fromStdString(s); }

ChatSettingValues appDefaults(const AppSettings& a) {
    ChatSettingValues v;
    v.systemPrompt = a.systemPrompt();
    v.temperature = a.temperature();
    v.topP = a.topP();
    v.topK = a.topK();
    v.minP = a.minP();
    v.repeatPenalty = a.repeatPenalty();
    v.seed = a.seed();
    v.maxTokens = a.maxTokens();
    v.reasoningEnabled = a.reasoningEnabled();
    v.reasoningBudget = a.reasoningBudget();
    return v;
}

// What the chat stored over the defaults: unset sampling values and an empty prompt mean "default".
void applyStored(ChatSettingValues& v, const storage::ConversationSettings& s) {
    if (!s.system_prompt.empty()) v.systemPrompt = qstr(s.system_prompt);
    if (s.sampling.temperature) v.temperature = *s.sampling.temperature;
    if (s.sampling.top_p) v.topP = *s.sampling.top_p;
    if (s.sampling.top_k) v.topK = *s.sampling.top_k;
    if (s.sampling.min_p) v.minP = *s.sampling.min_p;
    if (s.sampling.repeat_penalty) v.repeatPenalty = *s.sampling.repeat_penalty;
    if (s.sampling.seed) v.seed = *s.sampling.seed;
    if (s.sampling.max_tokens) v.maxTokens = *s.sampling.max_tokens;
    v.reasoningEnabled = s.reasoning_enabled;
    v.reasoningBudget = s.reasoning_budget;
}

// One field of `v` into the stored settings, as the user's explicit choice.
void storeField(storage::ConversationSettings& s, const ChatSettingValues& v, ChatSettings::Field field) {
    using F = ChatSettings::Field;
    switch (field) {
    case F::SystemPrompt: s.system_prompt = utf8(v.systemPrompt); break;
    case F::Temperature: s.sampling.temperature = v.temperature; break;
    case F::TopP: s.sampling.top_p = v.topP; break;
    case F::TopK: s.sampling.top_k = v.topK; break;
    case F::MinP: s.sampling.min_p = v.minP; break;
    case F::RepeatPenalty: s.sampling.repeat_penalty = v.repeatPenalty; break;
    case F::Seed: s.sampling.seed = v.seed; break;
    case F::MaxTokens: s.sampling.max_tokens = v.maxTokens; break;
    case F::ReasoningEnabled: s.reasoning_enabled = v.reasoningEnabled; break;
    case F::ReasoningBudget: s.reasoning_budget = v.reasoningBudget; break;
    }
}

}  // namespace

// A new chat stores the app's reasoning switch and budget (the stored ones always win, so the
// defaults must be written: the budget chosen under "Use as defaults" was once lost as -1) and the
// model's own defaults, so the chat keeps them whatever the model's defaults become later. With
// `withChoices`, the fields the user set before the first message go over them.
storage::ConversationSettings ChatController::startingSettings(bool withChoices) const {
    storage::ConversationSettings cs;
    cs.reasoning_enabled = m_settings.reasoningEnabled();
    cs.reasoning_budget = m_settings.reasoningBudget();
    const ModelDefaultValues d = m_modelDefaults.values();
    if (d.systemPrompt) cs.system_prompt = utf8(*d.systemPrompt);
    cs.sampling.temperature = d.temperature;
    cs.sampling.top_p = d.topP;
    cs.sampling.top_k = d.topK;
    if (withChoices)
        for (int i = 0; i < ChatSettings::kFieldCount; ++i)
            if (m_pendingFields.test(i)) storeField(cs, m_chatSettings.values(), ChatSettings::Field(i));
    return cs;
}

void ChatController::reloadChatSettings() {
    ChatSettingValues v = appDefaults(m_settings);
    if (m_conversationId == 0) {
        applyStored(v, startingSettings(false));
        // Fields set before the chat exists are kept, whatever the defaults do meanwhile.
        for (int i = 0; i < ChatSettings::kFieldCount; ++i)
            if (m_pendingFields.test(i)) ChatSettings::copyField(v, m_chatSettings.values(), ChatSettings::Field(i));
    } else {
        try {
            if (const auto conv = m_store->conversation(m_conversationId)) applyStored(v, conv->settings);
        } catch (const storage::StorageError& e) {
            setError(qstr(e.what()));
        }
    }
    m_chatSettings.assign(v);
}

void ChatController::onChatSettingEdited(ChatSettings::Field field) {
    if (m_conversationId == 0) {
        m_pendingFields.set(int(field));  // stored when the first message creates the chat
        return;
    }
    try {
        auto conv = m_store->conversation(m_conversationId);
        if (!conv) return;
        storage::ConversationSettings s = conv->settings;
        storeField(s, m_chatSettings.values(), field);
        m_store->set_settings(m_conversationId, s);
    } catch (const storage::StorageError& e) {
        setError(qstr(e.what()));
        reloadChatSettings();  // show what is stored, not what could not be saved
    }
}

void ChatController::resetChatSettings() {
    m_pendingFields.reset();
    if (m_conversationId != 0) {
        try {
            if (auto conv = m_store->conversation(m_conversationId)) {
                storage::ConversationSettings s = startingSettings(false);
                s.model = conv->settings.model;
                m_store->set_settings(m_conversationId, s);
            }
        } catch (const storage::StorageError& e) {
            setError(qstr(e.what()));
        }
    }
    reloadChatSettings();
}

GenerationSettings ChatController::effectiveSettings() const {
    const ChatSettingValues& cs = m_chatSettings.values();
    GenerationSettings g = m_settings.generationDefaults();
    g.temperature = cs.temperature;
    g.topP = cs.topP;
    g.topK = cs.topK;
    g.minP = cs.minP;
    g.repeatPenalty = cs.repeatPenalty;
    g.seed = quint64(cs.seed);
    g.reasoning = cs.reasoningEnabled;
    g.reasoningBudget = cs.reasoningBudget;
    g.maxTokens = cs.maxTokens;
    return g;
}

}  // namespace ponder
