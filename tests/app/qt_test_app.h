// qt_test_app.h: one QGuiApplication per test binary (offscreen unless a display is set), plus wait helpers.
#pragma once

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QTest>

#include <functional>

namespace ponder::test {

// Creates the application object on first use. Offscreen by default, so the tests run (and
// gtest_discover_tests can list them) without a display.
void ensureQtApp();

// Processes events until pred() holds or timeoutMs passes; returns pred().
inline bool waitUntil(const std::function<bool()>& pred, int timeoutMs = 5000) {
    return QTest::qWaitFor(pred, timeoutMs);
}

}  // namespace ponder::test
