// import_card.h: the import card for QML: one model file being checked, shown, or refused.
#pragma once

#include "models/model_probe.h"

#include <QtQml/qqmlregistration.h>
#include <QObject>

namespace ponder {

// States: Empty (nothing to show) → Checking (the worker reads the file's header) → Ready (the
// facts are shown; the user adds or dismisses) or Failed (`error` says why; the library's banner
// shows it too). The facts are ModelFacts as the probe gave them (engine_model_probe.cpp computes
// memory, device and fit), with sizes in display units; every property is empty / 0 unless Ready.
class ImportCard : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by ModelLibrary")
    Q_PROPERTY(State state READ state NOTIFY changed)
    Q_PROPERTY(QString path READ path NOTIFY changed)
    Q_PROPERTY(QString fileName READ fileName NOTIFY changed)
    Q_PROPERTY(QString name READ name NOTIFY changed)
    Q_PROPERTY(QString architecture READ architecture NOTIFY changed)
    Q_PROPERTY(bool supported READ supported NOTIFY changed)
    Q_PROPERTY(QString parameters READ parameters NOTIFY changed)
    Q_PROPERTY(QString quantization READ quantization NOTIFY changed)
    Q_PROPERTY(QString size READ size NOTIFY changed)
    Q_PROPERTY(int contextLength READ contextLength NOTIFY changed)
    Q_PROPERTY(bool reasoning READ reasoning NOTIFY changed)
    Q_PROPERTY(int splitCount READ splitCount NOTIFY changed)
    Q_PROPERTY(QString memory READ memory NOTIFY changed)
    Q_PROPERTY(QString deviceName READ deviceName NOTIFY changed)
    Q_PROPERTY(QString fit READ fit NOTIFY changed)  // "gpu", "cpu", "none"
    Q_PROPERTY(QString error READ error NOTIFY changed)
public:
    enum class State { Empty, Checking, Ready, Failed };
    Q_ENUM(State)

    explicit ImportCard(QObject* parent = nullptr);

    void setChecking(const QString& path);
    void setFacts(const ModelFacts& facts);
    void setFailed(const QString& path, const QString& error);
    void clear();

    State state() const { return m_state; }
    bool isReady() const { return m_state == State::Ready; }
    const ModelFacts& facts() const { return m_facts; }
    QString path() const { return m_facts.path; }
    QString fileName() const;
    QString name() const { return m_facts.name; }
    QString architecture() const { return m_facts.architecture; }
    bool supported() const { return m_facts.supported; }
    QString parameters() const;
    QString quantization() const { return m_facts.quantization; }
    QString size() const;
    int contextLength() const { return m_facts.contextLength; }
    bool reasoning() const { return m_facts.reasoning; }
    int splitCount() const { return m_facts.splitCount; }
    QString memory() const;
    QString deviceName() const { return m_facts.deviceName; }
    QString fit() const { return m_facts.fit; }
    QString error() const { return m_error; }

Q_SIGNALS:
    void changed();

private:
    void set(State state, const ModelFacts& facts, const QString& error);
    State m_state = State::Empty;
    ModelFacts m_facts;
    QString m_error;
};

}  // namespace ponder
