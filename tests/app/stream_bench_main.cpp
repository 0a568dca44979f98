// stream_bench_main.cpp: UI benchmark (prints figures; not a test). Drives the real Main.qml with a
// scripted engine that streams from a worker thread, as EngineService does, at fixed token rates
// into a long answer mixing prose, lists and code, and measures what the user feels: GUI frame
// times, how long pieces keep arriving after Esc, whether all text arrived; then the CPU an idle
// window costs with a long conversation open.
//
//   ui_stream_bench [--tokens N] [--rates 200,1000,5000] [--max-seconds S] [--idle-seconds S] [--drain-seconds S]
//                   [--shape mixed|lines|oneline|code]
//
// Run it where it will be used, e.g. `xvfb-run -a -s "-screen 0 1280x800x24" build/tests/app/ui_stream_bench`.
#include "app/ponder_app.h"
#include "chat/chat_controller.h"
#include "inference/inference_service.h"
#include "models/model_library.h"
#include "storage/database.h"
#include "storage/history_store.h"

#include "qt_test_app.h"
#include "support/temp_dir.h"

#include <QtQml/qqmlextensionplugin.h>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <mutex>
#include <thread>

Q_IMPORT_QML_PLUGIN(PonderPlugin)

using namespace ponder;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point t0, Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(t - t0).count();
}

// The answer: ~`tokens` pieces of one word each (a token is about a word piece). "mixed" cycles
// through a paragraph, a bullet list, a numbered list and a fenced code block; "lines" is one
// paragraph of sentences on lines of their own and never a blank line, "oneline" the same without
// any newline (what a random-weight model writes, and what froze Continue on a long answer), "code"
// one long fenced code block.
QStringList answerPieces(int tokens, const QString& shape) {
    const QString sentence =
        QStringLiteral("The quick brown fox jumps over the lazy dog while the model explains why caching matters.");
    const QStringList sections =
        shape == "lines"     ? QStringList{sentence + u'\n'}
        : shape == "oneline" ? QStringList{sentence + u' '}
        : shape == "code"
            ? QStringList{QStringLiteral("```cpp\n") +
                          QStringLiteral("    total += values[i] * weights[i];  // accumulate one term\n")
                              .repeated(tokens)}
            : QStringList{
                  QStringLiteral("The quick brown fox jumps over the lazy dog while the model explains, step by step, "
                                 "why **caching** matters and how `layout` time grows with the length of a block.\n\n"),
                  QStringLiteral("- first point about incremental parsing\n- second point, with `inline code`\n"
                                 "- third point that runs a little longer than the others do\n\n"),
                  QStringLiteral("1. measure before changing anything\n2. change one thing\n3. measure again\n\n"),
                  QStringLiteral("```cpp\nint main() {\n    for (int i = 0; i < 10; ++i) std::printf(\"%d\\n\", i);\n"
                                 "    return 0;\n}\n```\n\n"),
              };
    QStringList pieces;
    pieces.reserve(tokens);
    for (int s = 0; pieces.size() < tokens; ++s) {
        const QString& text = sections[s % sections.size()];
        int start = 0;
        for (int i = 0; i < text.size() && pieces.size() < tokens; ++i) {
            if (text[i] == u' ' || text[i] == u'\n' || i == text.size() - 1) {
                pieces.append(text.mid(start, i + 1 - start));
                start = i + 1;
            }
        }
    }
    return pieces;
}

// Streams the script from a worker thread at a fixed rate. Signals are emitted on the worker, so
// receivers on the GUI thread get them queued, exactly as from EngineService.
class PacedService : public InferenceService {
public:
    QStringList script;
    double tokensPerSecond = 1000;
    std::atomic<int> emitted{0};
    std::atomic<bool> stopRequested{false};

    ~PacedService() override { join(); }
    void loadModel(const LoadRequest& request) override {
        LoadedModelInfo m;
        m.path = request.path;
        m.name = QStringLiteral("bench");
        m.architecture = QStringLiteral("llama");
        m.backend = QStringLiteral("cpu");
        m.contextLength = 32768;
        m_loaded = true;
        QMetaObject::invokeMethod(
            this, [this, m] { emit modelLoaded(m); }, Qt::QueuedConnection);
    }
    void cancelLoad() override {}
    void unloadModel() override { m_loaded = false; }
    bool hasModel() const override { return m_loaded; }
    void countTokens(const QString&) override {}  // the bench types nothing
    void listDevices() override {}                // nor opens Settings
    void generate(const QList<ChatTurn>&, const GenerationSettings&) override {
        join();
        stopRequested = false;
        emitted = 0;
        m_worker = std::thread([this] {
            const auto t0 = Clock::now();
            int n = 0;
            for (; n < script.size() && !stopRequested; ++n) {
                std::this_thread::sleep_until(t0 + std::chrono::duration<double>(n / tokensPerSecond));
                emit answerPiece(script[n]);
                emitted = n + 1;
            }
            GenerationSummary s;
            s.generatedTokens = n;
            s.tokensPerSecond = tokensPerSecond;
            s.stopReason = stopRequested ? QStringLiteral("cancelled") : QStringLiteral("end");
            s.backend = QStringLiteral("cpu");
            s.contextSize = 32768;
            emit generationFinished(s);
        });
    }
    void stop() override { stopRequested = true; }

private:
    void join() {
        stopRequested = true;
        if (m_worker.joinable()) m_worker.join();
    }
    bool m_loaded = false;
    std::thread m_worker;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

double processCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// Runs the event loop for `ms` (sleeping when there is nothing to do, as the app does).
void spin(double ms) {
    QEventLoop loop;
    QTimer::singleShot(int(ms), &loop, &QEventLoop::quit);
    loop.exec();
}

// Runs the event loop until pred() holds (checked every 2 ms) or `ms` passed.
void spinUntil(const std::function<bool()>& pred, double ms) {
    QEventLoop loop;
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (pred()) loop.quit();
    });
    check.start(2);
    QTimer::singleShot(int(ms), &loop, &QEventLoop::quit);
    if (!pred()) loop.exec();
}

struct Options {
    int tokens = 20000;
    QList<int> rates = {200, 1000, 5000};
    double maxSeconds = 150;
    double idleSeconds = 10;
    double drainSeconds = 60;  // how long to wait after Esc for the reply to end
    QString shape = QStringLiteral("mixed");
};

Options parse(const QStringList& args) {
    Options o;
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == "--tokens")
            o.tokens = args[++i].toInt();
        else if (args[i] == "--max-seconds")
            o.maxSeconds = args[++i].toDouble();
        else if (args[i] == "--idle-seconds")
            o.idleSeconds = args[++i].toDouble();
        else if (args[i] == "--drain-seconds")
            o.drainSeconds = args[++i].toDouble();
        else if (args[i] == "--shape")
            o.shape = args[++i];
        else if (args[i] == "--rates") {
            o.rates.clear();
            for (const QString& r : args[++i].split(u',', Qt::SkipEmptyParts))
                if (r.toInt() > 0) o.rates.append(r.toInt());
        }
    }
    return o;
}

// One run at `rate`: send, stream until 95 % of the script was emitted (or maxSeconds), press Esc
// from another thread (so a busy GUI thread cannot delay the press itself), then wait for the end.
void runStream(PonderApp& app, PacedService& engine, QQuickWindow* window, int rate, const Options& o) {
    app.chat()->newConversation();
    engine.tokensPerSecond = rate;
    std::vector<double> frames;
    Clock::time_point lastFrame{};
    bool measuring = false;
    const auto frameConn = QObject::connect(window, &QQuickWindow::frameSwapped, window, [&] {
        const auto now = Clock::now();
        if (measuring && lastFrame != Clock::time_point{}) frames.push_back(msSince(lastFrame, now));
        lastFrame = now;
        window->update();  // keep frames coming, as an animation would
    });
    std::mutex pieceMutex;
    Clock::time_point lastPiece{};
    int piecesShown = 0;
    const auto pieceConn = QObject::connect(app.chat()->messages(), &MessageModel::contentChangedAt, window, [&] {
        std::lock_guard lock(pieceMutex);
        lastPiece = Clock::now();
        ++piecesShown;
    });

    const auto t0 = Clock::now();
    app.chat()->send(QStringLiteral("Write a long answer."));
    measuring = true;
    window->update();
    const int stopAt = int(double(engine.script.size()) * 0.95);
    std::atomic<bool> pressed{false};
    Clock::time_point stopTime{};
    std::thread presser([&] {
        while (engine.emitted < stopAt && msSince(t0, Clock::now()) < o.maxSeconds * 1000)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        stopTime = Clock::now();
        QCoreApplication::postEvent(window, new QKeyEvent(QEvent::KeyPress, Qt::Key_Escape, Qt::NoModifier));
        QCoreApplication::postEvent(window, new QKeyEvent(QEvent::KeyRelease, Qt::Key_Escape, Qt::NoModifier));
        pressed = true;
    });
    spinUntil([&] { return pressed.load(); }, 1e9);
    presser.join();
    const int emittedAtStop = engine.emitted;
    qsizetype charsBeforeEsc = 0;
    for (int i = 0; i < emittedAtStop; ++i) charsBeforeEsc += engine.script[i].size();
    measuring = false;
    spinUntil([&] { return !app.chat()->busy(); }, o.drainSeconds * 1000);
    const bool ended = !app.chat()->busy();
    const auto idleAt = Clock::now();
    spin(300);  // anything still queued would land now
    QObject::disconnect(frameConn);
    QObject::disconnect(pieceConn);

    MessageModel* m = app.chat()->messages();
    const QString shown = m->data(m->index(m->rowCount() - 1), MessageModel::ContentRole).toString();
    app.chat()->flushHistory();
    storage::HistoryStore store(*app.database());
    const auto stored = store.message(m->idAt(m->rowCount() - 1));
    const QString storedText = stored ? QString::fromStdString(stored->content) : QString();
    std::printf(
        "%5d tok/s: %6d tokens in %6.1f s | frame p50 %6.1f ms  p99 %7.1f ms  max %7.1f ms (%zu frames)"
        " | Esc->last piece %7.1f ms  Esc->idle %7.1f ms%s | text shown %zu chars, stored %s, %zu emitted before Esc\n",
        rate, emittedAtStop, msSince(t0, stopTime) / 1000.0, percentile(frames, 0.5), percentile(frames, 0.99),
        frames.empty() ? 0.0 : *std::max_element(frames.begin(), frames.end()), frames.size(),
        std::max(0.0, msSince(stopTime, lastPiece)), msSince(stopTime, idleAt), ended ? "" : " (still busy: gave up)",
        size_t(shown.size()),
        storedText == shown ? "the same" : qPrintable(QStringLiteral("DIFFERENT (%1 chars)").arg(storedText.size())),
        size_t(charsBeforeEsc));
    std::fflush(stdout);
}

// A 300-message, ~200 KB conversation, opened and left alone: CPU time over idleSeconds.
void runIdle(PonderApp& app, QQuickWindow* window, const Options& o) {
    storage::HistoryStore store(*app.database());
    const std::int64_t conv = store.create_conversation("Long idle chat");
    const QStringList pieces = answerPieces(300, o.shape);
    const QString answer = pieces.join(QString());  // ~1.3 KB of mixed Markdown
    std::optional<std::int64_t> parent;
    std::size_t bytes = 0;
    for (int i = 0; i < 150; ++i) {
        const std::string q = "Question number " + std::to_string(i) + ": please explain this part again in detail.";
        parent = store.add_message(conv, parent, storage::Role::User, q);
        const std::string a = answer.toStdString();
        parent = store.add_message(conv, parent, storage::Role::Assistant, a);
        bytes += q.size() + a.size();
    }
    app.chat()->refreshConversations();
    app.chat()->openConversation(conv);
    spin(3000);  // let it open and settle
    const double cpu0 = processCpuSeconds();
    const auto t0 = Clock::now();
    int frames = 0;
    const auto conn = QObject::connect(window, &QQuickWindow::frameSwapped, window, [&] { ++frames; });
    spin(o.idleSeconds * 1000);
    QObject::disconnect(conn);
    const double cpu = processCpuSeconds() - cpu0;
    const double wall = msSince(t0, Clock::now()) / 1000.0;
    std::printf("idle: 300 messages, %zu KB open for %.1f s: CPU %.3f s = %.2f %% of a core, %d frames drawn\n",
                bytes / 1024, wall, cpu, 100.0 * cpu / wall, frames);
}

}  // namespace

int main(int argc, char** argv) {
    // Single-threaded render loop: frameSwapped then marks each GUI-thread frame.
    if (qEnvironmentVariableIsEmpty("QSG_RENDER_LOOP")) qputenv("QSG_RENDER_LOOP", "basic");
    // A real window when there is a display (the test helper would pick offscreen).
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && !qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "xcb");
    QStringList args;
    for (int i = 0; i < argc; ++i) args.append(QString::fromLocal8Bit(argv[i]));
    const Options o = parse(args);
    test::ensureQtApp();
    test::TempDir dir;
    const QString root = QString::fromStdString(dir.path().string());
    auto service = std::make_unique<PacedService>();
    PacedService* engine = service.get();
    engine->script = answerPieces(o.tokens, o.shape);
    PonderApp app(AppPaths{root + "/data", root + "/config"}, std::move(service), engineModelProbe());
    QString error;
    if (!app.start(&error)) {
        std::fprintf(stderr, "could not start: %s\n", qPrintable(error));
        return 1;
    }
    QQuickWindow* window = app.window();
    window->resize(1200, 800);
    window->show();
    if (!QTest::qWaitForWindowExposed(window)) std::fprintf(stderr, "window not exposed\n");
    window->requestActivate();
    (void)QTest::qWaitForWindowActive(window, 2000);
    std::printf("ui_stream_bench: platform %s, %d-token %s answer (%zu chars), window %dx%d\n",
                qPrintable(QGuiApplication::platformName()), o.tokens, qPrintable(o.shape),
                size_t(engine->script.join(QString()).size()), window->width(), window->height());
    app.library()->load(QStringLiteral("/bench/model.gguf"));
    spin(200);
    // What a frame costs here with nothing happening (the floor for the figures below).
    {
        std::vector<double> frames;
        Clock::time_point last{};
        const auto conn = QObject::connect(window, &QQuickWindow::frameSwapped, window, [&] {
            const auto now = Clock::now();
            if (last != Clock::time_point{}) frames.push_back(msSince(last, now));
            last = now;
            window->update();
        });
        window->update();
        spin(2000);
        QObject::disconnect(conn);
        std::printf("no stream: frame p50 %6.1f ms  p99 %7.1f ms (%zu frames)\n", percentile(frames, 0.5),
                    percentile(frames, 0.99), frames.size());
    }
    for (int rate : o.rates) runStream(app, *engine, window, rate, o);
    if (o.idleSeconds > 0) runIdle(app, window, o);
    return 0;
}
