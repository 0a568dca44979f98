// memory_meter.h: this process's resident memory, sampled while active (the loaded model's live cost).
#pragma once

#include <QtQml/qqmlregistration.h>
#include <QObject>
#include <QTimer>

namespace ponder {

// What the operating system counts as Ponder's memory in RAM right now: with a model loaded that
// is mostly its weights (mapped file pages as they are touched, or a repacked copy) and its KV
// cache. Sampled every intervalMs while `active`; 0 where the platform gives no figure.
class MemoryMeter : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool active READ active WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(int intervalMs READ intervalMs WRITE setIntervalMs NOTIFY activeChanged)
    Q_PROPERTY(double residentBytes READ residentBytes NOTIFY sampled)  // double: QML has no 64-bit int
    Q_PROPERTY(QString text READ text NOTIFY sampled)                   // e.g. "1.3 GB"; empty without a figure
public:
    explicit MemoryMeter(QObject* parent = nullptr);

    bool active() const { return m_timer.isActive(); }
    void setActive(bool active);
    int intervalMs() const { return m_timer.interval(); }
    void setIntervalMs(int ms);
    double residentBytes() const { return double(m_bytes); }
    QString text() const;

    static quint64 processResidentBytes();  // 0 when unknown

Q_SIGNALS:
    void activeChanged();
    void sampled();

private:
    void sample();

    QTimer m_timer;
    quint64 m_bytes = 0;
};

}  // namespace ponder
