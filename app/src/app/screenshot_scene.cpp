// screenshot_scene.cpp: builds each scene in a throwaway profile (temp folders, fake engine) and grabs the window.
#include "app/screenshot_scene.h"

#include "app/ponder_app.h"
#include "chat/chat_controller.h"
#include "inference/fake_inference_service.h"
#include "models/model_library.h"
#include "settings/app_settings.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QGuiApplication>
#include <QImage>
#include <QQuickWindow>
#include <QStyleHints>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <functional>

namespace ponder {

namespace {

void spin(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

bool spinUntil(const std::function<bool()>& done, int timeoutMs = 5000) {
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs) return false;
        spin(10);
    }
    return true;
}

ModelProbe scriptedProbe() {
    return ModelProbe{[](const QString& path, const QString&, int) {
        ModelFacts f;
        f.path = path;
        f.name = QStringLiteral("DeepSeek R1 Distill Qwen 1.5B");
        f.architecture = QStringLiteral("qwen2");
        f.supported = true;
        f.fileBytes = 1117320736;
        f.parameterCount = 1777088000;
        f.quantization = QStringLiteral("Q4_K");
        f.contextLength = 131072;
        f.reasoning = true;
        f.memoryBytes = 1395864371;
        f.deviceName = QStringLiteral("CPU (16 threads)");
        f.fit = QStringLiteral("cpu");
        return f;
    }};
}

}  // namespace

int runScreenshotScene(const QStringList& args) {
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: ponder --screenshot-scene NAME OUT.png [--theme light|dark] "
                             "[--lang en|zh_CN|zh_TW] [--size WxH]\n");
        return 2;
    }
    const QString scene = args[0];
    const QString out = args[1];
    QString theme = QStringLiteral("light"), lang = QStringLiteral("en");
    QSize size(1200, 800);
    for (int i = 2; i + 1 < args.size(); i += 2) {
        if (args[i] == u"--theme") theme = args[i + 1];
        else if (args[i] == u"--lang") lang = args[i + 1];
        else if (args[i] == u"--size") {
            const QStringList wh = args[i + 1].split(u'x');
            if (wh.size() == 2) size = QSize(wh[0].toInt(), wh[1].toInt());
        }
    }
    QGuiApplication::styleHints()->setCursorFlashTime(0);
    QTemporaryDir profile;
    auto fake = std::make_unique<FakeInferenceService>();
    FakeInferenceService* engine = fake.get();
    engine->intervalMs = 1;
    PonderApp app({profile.filePath(QStringLiteral("data")), profile.filePath(QStringLiteral("config"))},
                  std::move(fake), scriptedProbe());
    {
        // Settings must be in place before the window exists.
        AppSettings pre(profile.filePath(QStringLiteral("config/ponder.ini")));
        pre.setTheme(theme);
        pre.setLanguage(lang);
    }
    QString error;
    if (!app.start(&error)) {
        std::fprintf(stderr, "ponder: %s\n", qPrintable(error));
        return 1;
    }
    QQuickWindow* window = app.window();
    window->resize(size);
    window->show();

    const auto loadModel = [&] {
        app.library()->load(QStringLiteral("/models/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf"));
        spinUntil([&] { return app.library()->modelReady(); });
    };
    if (scene == u"conversation") {
        loadModel();
        engine->reasoningScript = {QStringLiteral("The user wants the sum of the first 100 numbers. "),
                                   QStringLiteral("Gauss's trick: pair 1+100, 2+99, … 50 pairs of 101. "),
                                   QStringLiteral("So 50 × 101 = 5050.")};
        engine->answerScript = {QStringLiteral("The sum of 1 to 100 is **5050**.\n\n"),
                                QStringLiteral("Pair the numbers from both ends: each pair adds up to 101, "
                                               "and there are 50 pairs.")};
        app.chat()->send(QStringLiteral("What is 1 + 2 + … + 100?"));
        spinUntil([&] { return !app.chat()->busy(); });
        engine->reasoningScript = {QStringLiteral("A short Python function will do; "),
                                   QStringLiteral("use the closed form n(n+1)/2.")};
        engine->answerScript = {QStringLiteral("Here it is in Python:\n\n```python\n"),
                                QStringLiteral("def triangle(n: int) -> int:\n    # closed form\n    return n * (n + 1) // 2\n"),
                                QStringLiteral("```\n\n- `triangle(100)` returns `5050`\n- it runs in constant time")};
        app.chat()->send(QStringLiteral("Show it as code."));
        spinUntil([&] { return !app.chat()->busy(); });
        app.chat()->messages()->setReasoningExpanded(1, true);   // first answer: expanded; second: collapsed
    } else if (scene == u"import-card") {
        app.library()->importPaths({QStringLiteral("/models/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf")});
        spinUntil([&] { return !app.library()->card().isEmpty(); });
    } else if (scene == u"settings") {
        loadModel();
        QMetaObject::invokeMethod(window, "openSettings");
    } else if (scene != u"empty") {
        std::fprintf(stderr, "ponder: unknown scene %s (empty, conversation, import-card, settings)\n",
                     qPrintable(scene));
        return 2;
    }
    spin(400);   // let animations settle and the scene graph render
    const QImage image = window->grabWindow();
    if (image.isNull() || !image.save(out)) {
        std::fprintf(stderr, "ponder: could not write %s\n", qPrintable(out));
        return 1;
    }
    return 0;
}

}  // namespace ponder
