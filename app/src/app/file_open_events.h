// file_open_events.h: files the desktop opens with Ponder by event rather than by argument
// (macOS Finder's "Open With" and a dropped file on the Dock icon arrive as QFileOpenEvent).
#pragma once

#include <QEvent>
#include <QFileOpenEvent>
#include <QObject>

#include <functional>

namespace ponder {

class FileOpenEvents : public QObject {
public:
    explicit FileOpenEvents(std::function<void(const QString&)> open, QObject* parent = nullptr)
        : QObject(parent), m_open(std::move(open)) {}

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::FileOpen) {
            const auto* open = static_cast<QFileOpenEvent*>(event);
            m_open(open->file().isEmpty() ? open->url().toLocalFile() : open->file());
            return true;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<void(const QString&)> m_open;
};

}  // namespace ponder
