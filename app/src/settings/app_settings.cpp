// app_settings.cpp: QSettings-backed preferences with validation of every stored value.
#include "settings/app_settings.h"

#include <QCryptographicHash>

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

namespace {
// A model's group in the INI file. Paths hold '/' (QSettings' group separator) and characters
// INI keys escape badly, so the key is a hash of the path; the path itself is stored inside.
QString modelGroup(const QString& modelPath) {
    const QByteArray hash = QCryptographicHash::hash(modelPath.toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
    return QStringLiteral("modelDefaults/") + QString::fromLatin1(hash);
}
}  // namespace

ModelDefaultValues AppSettings::modelDefaults(const QString& modelPath) const {
    ModelDefaultValues d;
    if (modelPath.isEmpty()) return d;
    m_settings->beginGroup(modelGroup(modelPath));
    // A hash collision (or a hand-edited file) must not hand one model's defaults to another.
    if (m_settings->value(QStringLiteral("path")).toString() == modelPath) {
        if (m_settings->contains(QStringLiteral("systemPrompt")))
            d.systemPrompt = m_settings->value(QStringLiteral("systemPrompt")).toString();
        if (m_settings->contains(QStringLiteral("temperature")))
            d.temperature = qBound(0.0, m_settings->value(QStringLiteral("temperature")).toDouble(), 2.0);
        if (m_settings->contains(QStringLiteral("topP")))
            d.topP = qBound(0.0, m_settings->value(QStringLiteral("topP")).toDouble(), 1.0);
        if (m_settings->contains(QStringLiteral("topK")))
            d.topK = qBound(0, m_settings->value(QStringLiteral("topK")).toInt(), 1000);
        if (m_settings->contains(QStringLiteral("contextLength")))
            d.contextLength = qBound(256, m_settings->value(QStringLiteral("contextLength")).toInt(), 1 << 20);
    }
    m_settings->endGroup();
    return d;
}

void AppSettings::setModelDefaults(const QString& modelPath, const ModelDefaultValues& values) {
    if (modelPath.isEmpty() || modelDefaults(modelPath) == values) return;
    const QString group = modelGroup(modelPath);
    m_settings->remove(group);
    if (!values.empty()) {
        m_settings->beginGroup(group);
        m_settings->setValue(QStringLiteral("path"), modelPath);
        if (values.systemPrompt) m_settings->setValue(QStringLiteral("systemPrompt"), *values.systemPrompt);
        if (values.temperature)
            m_settings->setValue(QStringLiteral("temperature"), qBound(0.0, *values.temperature, 2.0));
        if (values.topP) m_settings->setValue(QStringLiteral("topP"), qBound(0.0, *values.topP, 1.0));
        if (values.topK) m_settings->setValue(QStringLiteral("topK"), qBound(0, *values.topK, 1000));
        if (values.contextLength)
            m_settings->setValue(QStringLiteral("contextLength"), qBound(256, *values.contextLength, 1 << 20));
        m_settings->endGroup();
    }
    m_settings->sync();
    emit changed();
}

void AppSettings::moveModelDefaults(const QString& fromPath, const QString& toPath) {
    if (fromPath == toPath) return;
    const ModelDefaultValues d = modelDefaults(fromPath);
    if (d.empty()) return;
    setModelDefaults(fromPath, {});
    setModelDefaults(toPath, d);
}

int AppSettings::contextLengthFor(const QString& modelPath) const {
    return modelDefaults(modelPath).contextLength.value_or(contextLength());
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
