// app_settings.h: app-wide preferences (theme, font, language, backend, generation and per-model defaults) in an INI file.
#pragma once

#include "inference/inference_service.h"
#include "settings/model_default_values.h"

#include <QtQml/qqmlregistration.h>
#include <QObject>
#include <QSettings>

#include <memory>

namespace ponder {

// Every property is persisted at once. One `changed` signal serves all of them: settings change
// rarely and the QML bindings that read them are cheap.
class AppSettings : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created in main.cpp")
    Q_PROPERTY(QString theme READ theme WRITE setTheme NOTIFY changed)           // "system", "light", "dark"
    Q_PROPERTY(int fontSize READ fontSize WRITE setFontSize NOTIFY changed)      // points, 9..24
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY changed)  // "en", "zh_CN", "zh_TW"
    Q_PROPERTY(QString backend READ backend WRITE setBackend NOTIFY changed)     // "auto", "cpu", "vulkan", "cuda"
    Q_PROPERTY(int deviceIndex READ deviceIndex WRITE setDeviceIndex NOTIFY changed)
    Q_PROPERTY(int contextLength READ contextLength WRITE setContextLength NOTIFY changed)
    Q_PROPERTY(QString systemPrompt READ systemPrompt WRITE setSystemPrompt NOTIFY changed)
    Q_PROPERTY(double temperature READ temperature WRITE setTemperature NOTIFY changed)
    Q_PROPERTY(double topP READ topP WRITE setTopP NOTIFY changed)
    Q_PROPERTY(int topK READ topK WRITE setTopK NOTIFY changed)
    Q_PROPERTY(double minP READ minP WRITE setMinP NOTIFY changed)
    Q_PROPERTY(double repeatPenalty READ repeatPenalty WRITE setRepeatPenalty NOTIFY changed)
    Q_PROPERTY(qint64 seed READ seed WRITE setSeed NOTIFY changed)
    Q_PROPERTY(bool reasoningEnabled READ reasoningEnabled WRITE setReasoningEnabled NOTIFY changed)
    Q_PROPERTY(int reasoningBudget READ reasoningBudget WRITE setReasoningBudget NOTIFY changed)
    Q_PROPERTY(int maxTokens READ maxTokens WRITE setMaxTokens NOTIFY changed)  // -1 = no limit
    Q_PROPERTY(QString lastModelPath READ lastModelPath WRITE setLastModelPath NOTIFY changed)
public:
    // iniPath: the settings file (the app passes AppConfigLocation/ponder.ini; tests a temp file).
    explicit AppSettings(const QString& iniPath, QObject* parent = nullptr);

    QString theme() const { return value("theme", QStringLiteral("system")).toString(); }
    int fontSize() const { return value("fontSize", 11).toInt(); }
    QString language() const { return value("language", QStringLiteral("en")).toString(); }
    QString backend() const { return value("backend", QStringLiteral("auto")).toString(); }
    int deviceIndex() const { return value("deviceIndex", 0).toInt(); }
    int contextLength() const { return value("contextLength", 4096).toInt(); }
    QString systemPrompt() const { return value("systemPrompt", QString()).toString(); }
    double temperature() const { return value("temperature", 0.6).toDouble(); }
    double topP() const { return value("topP", 0.95).toDouble(); }
    int topK() const { return value("topK", 40).toInt(); }
    double minP() const { return value("minP", 0.05).toDouble(); }
    double repeatPenalty() const { return value("repeatPenalty", 1.0).toDouble(); }
    qint64 seed() const { return value("seed", 0).toLongLong(); }
    bool reasoningEnabled() const { return value("reasoningEnabled", true).toBool(); }
    int reasoningBudget() const { return value("reasoningBudget", -1).toInt(); }
    int maxTokens() const { return value("maxTokens", -1).toInt(); }
    QString lastModelPath() const { return value("lastModelPath", QString()).toString(); }

    void setTheme(const QString& v);
    void setFontSize(int v) { store("fontSize", qBound(9, v, 24)); }
    void setLanguage(const QString& v);
    void setBackend(const QString& v);
    void setDeviceIndex(int v) { store("deviceIndex", qMax(0, v)); }
    void setContextLength(int v) { store("contextLength", qBound(256, v, 1 << 20)); }
    void setSystemPrompt(const QString& v) { store("systemPrompt", v); }
    void setTemperature(double v) { store("temperature", qBound(0.0, v, 2.0)); }
    void setTopP(double v) { store("topP", qBound(0.0, v, 1.0)); }
    void setTopK(int v) { store("topK", qBound(0, v, 1000)); }
    void setMinP(double v) { store("minP", qBound(0.0, v, 1.0)); }
    void setRepeatPenalty(double v) { store("repeatPenalty", qBound(0.5, v, 2.0)); }
    void setSeed(qint64 v) { store("seed", qMax<qint64>(0, v)); }
    void setReasoningEnabled(bool v) { store("reasoningEnabled", v); }
    void setReasoningBudget(int v) { store("reasoningBudget", qMax(-1, v)); }
    void setMaxTokens(int v) { store("maxTokens", v <= 0 ? -1 : v); }
    void setLastModelPath(const QString& v) { store("lastModelPath", v); }

    GenerationSettings generationDefaults() const;

    // Per-model defaults, keyed by the model file's path (Locate… moves them with the entry).
    // Setting an empty value forgets the model's defaults. Each emits `changed` when it stores.
    ModelDefaultValues modelDefaults(const QString& modelPath) const;
    void setModelDefaults(const QString& modelPath, const ModelDefaultValues& values);
    void moveModelDefaults(const QString& fromPath, const QString& toPath);
    // The context length a load of this file asks for: the model's own choice, else the app's.
    int contextLengthFor(const QString& modelPath) const;
    QString fileName() const { return m_settings->fileName(); }

Q_SIGNALS:
    void changed();

private:
    QVariant value(const char* key, const QVariant& fallback) const;
    void store(const char* key, const QVariant& v);
    std::unique_ptr<QSettings> m_settings;
};

}  // namespace ponder
