// import_card.cpp: the import card's state changes and its facts in display units.
#include "models/import_card.h"

#include "models/model_library.h"

#include <QFileInfo>

namespace ponder {

ImportCard::ImportCard(QObject* parent) : QObject(parent) {}

void ImportCard::set(State state, const ModelFacts& facts, const QString& error) {
    m_state = state;
    m_facts = facts;
    m_error = error;
    emit changed();
}

void ImportCard::setChecking(const QString& path) {
    ModelFacts f;
    f.path = path;
    set(State::Checking, f, {});
}

void ImportCard::setFacts(const ModelFacts& facts) { set(State::Ready, facts, {}); }

void ImportCard::setFailed(const QString& path, const QString& error) {
    ModelFacts f;
    f.path = path;
    set(State::Failed, f, error);
}

void ImportCard::clear() {
    if (m_state != State::Empty) set(State::Empty, {}, {});
}

QString ImportCard::fileName() const { return m_facts.path.isEmpty() ? QString() : QFileInfo(m_facts.path).fileName(); }

QString ImportCard::parameters() const {
    return isReady() ? ModelLibrary::formatParameters(m_facts.parameterCount) : QString();
}

QString ImportCard::size() const { return isReady() ? ModelLibrary::formatBytes(m_facts.fileBytes) : QString(); }

QString ImportCard::memory() const { return isReady() ? ModelLibrary::formatBytes(m_facts.memoryBytes) : QString(); }

}  // namespace ponder
