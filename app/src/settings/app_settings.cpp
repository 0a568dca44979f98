// app_settings.cpp: QSettings-backed preferences with validation of every stored value.
#include "settings/app_settings.h"

namespace ponder {

AppSettings::AppSettings(const QString& iniPath, QObject* parent)
    : QObject(parent), m_settings(std::make_unique<QSettings>(iniPath, QSettings::IniFormat)) {
    // Written on first start so the file exists (and later formats can tell what they read).
    if (!m_settings->contains(QStringLiteral("settingsVersion"))) {
        m_settings->setValue(QStringLiteral("settingsVersion"), 1);
        m_settings->sync();
    }
}

QVariant AppSettings::value(const char* key, const QVariant& fallback) const {
    return m_settings->value(QLatin1String(key), fallback);
}

void AppSettings::store(const char* key, const QVariant& v) {
    if (m_settings->value(QLatin1String(key)) == v) return;
    m_settings->setValue(QLatin1String(key), v);
    m_settings->sync();
    emit changed();
}

void AppSettings::setTheme(const QString& v) {
    if (v == u"system" || v == u"light" || v == u"dark") store("theme", v);
}

void AppSettings::setLanguage(const QString& v) {
    if (v == u"en" || v == u"zh_CN" || v == u"zh_TW") store("language", v);
}

void AppSettings::setBackend(const QString& v) {
    if (v == u"auto" || v == u"cpu" || v == u"vulkan" || v == u"cuda") store("backend", v);
}

GenerationSettings AppSettings::generationDefaults() const {
    GenerationSettings g;
    g.temperature = temperature();
    g.topP = topP();
    g.topK = topK();
    g.minP = minP();
    g.repeatPenalty = repeatPenalty();
    g.seed = quint64(seed());
    g.reasoning = reasoningEnabled();
    g.reasoningBudget = reasoningBudget();
    g.maxTokens = maxTokens();
    return g;
}

}  // namespace ponder
