// memory_meter.cpp: resident set size per platform (Linux /proc, Windows working set, macOS task info).
#include "system/memory_meter.h"

#include <QFile>

#if defined(_WIN32)
#include <windows.h>

// psapi.h needs windows.h first (a separate include block, so clang-format keeps the order)
#include <psapi.h>
#elif defined(__APPLE__)
#include <mach/mach.h>
#else
#include <unistd.h>
#endif

namespace ponder {

MemoryMeter::MemoryMeter(QObject* parent) : QObject(parent) {
    m_timer.setInterval(2000);  // often enough to watch a load grow, rare enough to cost nothing
    connect(&m_timer, &QTimer::timeout, this, &MemoryMeter::sample);
}

void MemoryMeter::setActive(bool active) {
    if (active == this->active()) return;
    if (active) {
        m_timer.start();
        sample();
    } else {
        m_timer.stop();
        m_bytes = 0;
        emit sampled();
    }
    emit activeChanged();
}

void MemoryMeter::setIntervalMs(int ms) {
    if (ms <= 0 || ms == m_timer.interval()) return;
    m_timer.setInterval(ms);
    emit activeChanged();
}

QString MemoryMeter::text() const {
    if (m_bytes == 0) return {};
    if (m_bytes >= (quint64(1) << 30)) return tr("%1 GB").arg(double(m_bytes) / double(quint64(1) << 30), 0, 'f', 1);
    return tr("%1 MB").arg(double(m_bytes) / double(1 << 20), 0, 'f', 0);
}

void MemoryMeter::sample() {
    const quint64 bytes = processResidentBytes();
    if (bytes == m_bytes) return;
    m_bytes = bytes;
    emit sampled();
}

quint64 MemoryMeter::processResidentBytes() {
#if defined(_WIN32)
    PROCESS_MEMORY_COUNTERS counters{};
    if (K32GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof counters)) return counters.WorkingSetSize;
    return 0;
#elif defined(__APPLE__)
    mach_task_basic_info info{};
    mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
    if (task_info(mach_task_self(), MACH_TASK_BASIC_INFO, reinterpret_cast<task_info_t>(&info), &count) == KERN_SUCCESS)
        return info.resident_size;
    return 0;
#else
    // statm: total and resident size in pages.
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly)) return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    if (fields.size() < 2) return 0;
    bool ok = false;
    const quint64 pages = fields[1].toULongLong(&ok);
    return ok ? pages * quint64(sysconf(_SC_PAGESIZE)) : 0;
#endif
}

}  // namespace ponder
