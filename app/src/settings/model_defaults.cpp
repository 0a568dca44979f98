// model_defaults.cpp: saving, wording and forgetting the defaults of the model in use.
#include "settings/model_defaults.h"

#include "chat/chat_settings.h"
#include "settings/app_settings.h"

#include <QFileInfo>
#include <QLocale>
#include <QStringList>

namespace ponder {

ModelDefaults::ModelDefaults(AppSettings& settings, QObject* parent) : QObject(parent), m_settings(settings) {
    connect(&m_settings, &AppSettings::changed, this, &ModelDefaults::changed);
}

void ModelDefaults::setModel(const QString& path, const QString& name) {
    const QString shown = name.isEmpty() ? QFileInfo(path).completeBaseName() : name;
    if (path == m_path && shown == m_name) return;
    m_path = path;
    m_name = shown;
    emit changed();
}

ModelDefaultValues ModelDefaults::values() const { return m_settings.modelDefaults(m_path); }

bool ModelDefaults::saved() const {
    const ModelDefaultValues d = values();
    return d.systemPrompt || d.temperature || d.topP || d.topK;
}

QString ModelDefaults::summary() const {
    if (!available()) return tr("Load a model to give it its own defaults.");
    const ModelDefaultValues d = values();
    const QLocale locale;
    QStringList parts;
    if (d.temperature) parts.append(tr("temperature %1").arg(locale.toString(*d.temperature, 'g', 3)));
    if (d.topP) parts.append(tr("top-p %1").arg(locale.toString(*d.topP, 'g', 3)));
    if (d.topK) parts.append(tr("top-k %1").arg(*d.topK));
    if (d.systemPrompt) parts.append(tr("its own system prompt"));
    if (parts.isEmpty()) return tr("Nothing saved: new chats with %1 start from the app's defaults.").arg(m_name);
    return tr("New chats with %1 start with %2.").arg(m_name, parts.join(tr(", ")));
}

int ModelDefaults::contextLength() const { return values().contextLength.value_or(0); }

void ModelDefaults::setContextLength(int tokens) {
    if (!available()) return;
    ModelDefaultValues d = values();
    if (tokens <= 0)
        d.contextLength.reset();
    else
        d.contextLength = tokens;
    m_settings.setModelDefaults(m_path, d);
}

void ModelDefaults::saveFrom(ChatSettings* chat) {
    if (!available() || !chat) return;
    ModelDefaultValues d = values();
    const ChatSettingValues& v = chat->values();
    // An empty prompt is "none chosen" in a stored chat as well (it falls back to the app's), so
    // it is not saved as a choice a new chat could not keep.
    if (v.systemPrompt.trimmed().isEmpty())
        d.systemPrompt.reset();
    else
        d.systemPrompt = v.systemPrompt;
    d.temperature = v.temperature;
    d.topP = v.topP;
    d.topK = v.topK;
    m_settings.setModelDefaults(m_path, d);
}

void ModelDefaults::forget() {
    if (available()) m_settings.setModelDefaults(m_path, {});
}

}  // namespace ponder
