// localizer.cpp: installs the chosen catalog and asks QML to re-evaluate every qsTr binding.
#include "i18n/localizer.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QQmlEngine>

Q_LOGGING_CATEGORY(lcI18n, "ponder.i18n")

namespace ponder {

Localizer::Localizer(QObject* parent) : QObject(parent) {}

Localizer::~Localizer() {
    if (m_translator) QCoreApplication::removeTranslator(m_translator.get());
}

bool Localizer::apply(const QString& language) {
    if (language == m_language) return true;
    // English is the source text, but its catalog is loaded too: it holds the English plural
    // forms of %n strings ("1 message" / "2 messages"), which the source cannot say alone.
    auto next = std::make_unique<QTranslator>();
    if (!next->load(QStringLiteral(":/i18n/ponder_%1.qm").arg(language))) {
        if (language != u"en") {
            qCWarning(lcI18n) << "no translation catalog for" << language;
            return false;
        }
        next.reset();
    }
    if (m_translator) QCoreApplication::removeTranslator(m_translator.get());
    m_translator = std::move(next);
    if (m_translator) QCoreApplication::installTranslator(m_translator.get());
    m_language = language;
    if (m_engine) m_engine->retranslate();
    emit languageChanged();
    return true;
}

}  // namespace ponder
