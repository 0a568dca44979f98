// localizer.h: run-time language switching (QTranslator swap + QQmlEngine::retranslate).
#pragma once

#include <QtQml/qqmlregistration.h>
#include <QObject>
#include <QTranslator>

#include <memory>

class QQmlEngine;

namespace ponder {

// Follows AppSettings::language. English is the source language and needs no catalog; the
// Chinese catalogs are compiled into the binary under :/i18n.
class Localizer : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created in main.cpp")
    Q_PROPERTY(QString language READ language NOTIFY languageChanged)
public:
    explicit Localizer(QObject* parent = nullptr);
    ~Localizer() override;

    void setEngine(QQmlEngine* engine) { m_engine = engine; }
    QString language() const { return m_language; }
    // "en", "zh_CN" or "zh_TW"; false (nothing changed) when the catalog cannot be loaded.
    Q_INVOKABLE bool apply(const QString& language);

Q_SIGNALS:
    void languageChanged();

private:
    QQmlEngine* m_engine = nullptr;
    std::unique_ptr<QTranslator> m_translator;
    QString m_language;  // empty until the first apply(), which then loads even English's catalog
};

}  // namespace ponder
