// chat_settings.cpp: ChatController's per-chat generation settings (stored with the conversation) over app defaults.
#include "chat/chat_controller.h"

#include "settings/app_settings.h"
#include "storage/database.h"
#include "storage/history_store.h"

namespace ponder {

namespace {
std::string utf8(const QString& s) { return s.toStdString(); }
QString qstr(const std::string& s) { return QString::fromStdString(s); }
}  // namespace

QVariantMap ChatController::chatSettings() const {
    QVariantMap map{
        {QStringLiteral("systemPrompt"), m_settings.systemPrompt()},
        {QStringLiteral("temperature"), m_settings.temperature()},
        {QStringLiteral("topP"), m_settings.topP()},
        {QStringLiteral("topK"), m_settings.topK()},
        {QStringLiteral("minP"), m_settings.minP()},
        {QStringLiteral("repeatPenalty"), m_settings.repeatPenalty()},
        {QStringLiteral("seed"), m_settings.seed()},
        {QStringLiteral("reasoningEnabled"), m_settings.reasoningEnabled()},
        {QStringLiteral("reasoningBudget"), m_settings.reasoningBudget()},
        {QStringLiteral("maxTokens"), m_settings.maxTokens()},
    };
    if (m_conversationId == 0) {
        for (auto it = m_pendingSettings.begin(); it != m_pendingSettings.end(); ++it) map.insert(it.key(), it.value());
        return map;
    }
    std::optional<storage::Conversation> conv;
    try {
        conv = m_store->conversation(m_conversationId);
    } catch (const storage::StorageError&) {}
    if (!conv) return map;
    const storage::ConversationSettings& s = conv->settings;
    if (!s.system_prompt.empty()) map.insert(QStringLiteral("systemPrompt"), qstr(s.system_prompt));
    if (s.sampling.temperature) map.insert(QStringLiteral("temperature"), *s.sampling.temperature);
    if (s.sampling.top_p) map.insert(QStringLiteral("topP"), *s.sampling.top_p);
    if (s.sampling.top_k) map.insert(QStringLiteral("topK"), *s.sampling.top_k);
    if (s.sampling.min_p) map.insert(QStringLiteral("minP"), *s.sampling.min_p);
    if (s.sampling.repeat_penalty) map.insert(QStringLiteral("repeatPenalty"), *s.sampling.repeat_penalty);
    if (s.sampling.seed) map.insert(QStringLiteral("seed"), qint64(*s.sampling.seed));
    if (s.sampling.max_tokens) map.insert(QStringLiteral("maxTokens"), *s.sampling.max_tokens);
    map.insert(QStringLiteral("reasoningEnabled"), s.reasoning_enabled);
    map.insert(QStringLiteral("reasoningBudget"), s.reasoning_budget);
    return map;
}

void ChatController::setChatSetting(const QString& key, const QVariant& value) {
    if (m_conversationId == 0) {
        m_pendingSettings.insert(key, value);
        emit chatSettingsChanged();
        return;
    }
    try {
        auto conv = m_store->conversation(m_conversationId);
        if (!conv) return;
        storage::ConversationSettings s = conv->settings;
        if (key == u"systemPrompt")
            s.system_prompt = utf8(value.toString());
        else if (key == u"temperature")
            s.sampling.temperature = qBound(0.0, value.toDouble(), 2.0);
        else if (key == u"topP")
            s.sampling.top_p = qBound(0.0, value.toDouble(), 1.0);
        else if (key == u"topK")
            s.sampling.top_k = qBound(0, value.toInt(), 1000);
        else if (key == u"minP")
            s.sampling.min_p = qBound(0.0, value.toDouble(), 1.0);
        else if (key == u"repeatPenalty")
            s.sampling.repeat_penalty = qBound(0.5, value.toDouble(), 2.0);
        else if (key == u"seed")
            s.sampling.seed = qMax<qint64>(0, value.toLongLong());
        else if (key == u"maxTokens")
            s.sampling.max_tokens = value.toInt() <= 0 ? -1 : value.toInt();
        else if (key == u"reasoningEnabled")
            s.reasoning_enabled = value.toBool();
        else if (key == u"reasoningBudget")
            s.reasoning_budget = qMax(-1, value.toInt());
        else
            return;
        m_store->set_settings(m_conversationId, s);
    } catch (const storage::StorageError& e) {
        setError(qstr(e.what()));
        return;
    }
    emit chatSettingsChanged();
}

void ChatController::resetChatSettings() {
    m_pendingSettings.clear();
    if (m_conversationId != 0) {
        try {
            auto conv = m_store->conversation(m_conversationId);
            if (conv) {
                storage::ConversationSettings s;
                s.model = conv->settings.model;
                m_store->set_settings(m_conversationId, s);
            }
        } catch (const storage::StorageError& e) {
            setError(qstr(e.what()));
        }
    }
    emit chatSettingsChanged();
}

GenerationSettings ChatController::effectiveSettings() const {
    const QVariantMap cs = chatSettings();
    GenerationSettings g = m_settings.generationDefaults();
    g.temperature = cs.value(QStringLiteral("temperature")).toDouble();
    g.topP = cs.value(QStringLiteral("topP")).toDouble();
    g.topK = cs.value(QStringLiteral("topK")).toInt();
    g.minP = cs.value(QStringLiteral("minP")).toDouble();
    g.repeatPenalty = cs.value(QStringLiteral("repeatPenalty")).toDouble();
    g.seed = quint64(cs.value(QStringLiteral("seed")).toLongLong());
    g.reasoning = cs.value(QStringLiteral("reasoningEnabled")).toBool();
    g.reasoningBudget = cs.value(QStringLiteral("reasoningBudget")).toInt();
    g.maxTokens = cs.value(QStringLiteral("maxTokens")).toInt();
    return g;
}

}  // namespace ponder
