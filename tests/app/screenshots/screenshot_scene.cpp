// screenshot_scene.cpp: builds each scene in a throwaway profile (temp folders, fake engine) and grabs the window.
#include "screenshot_scene.h"

#include "app/ponder_app.h"
#include "chat/chat_controller.h"
#include "devices/device_list_model.h"
#include "fake_inference_service.h"
#include "models/model_library.h"
#include "settings/app_settings.h"

#include <ponder/engine.h>

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
    return ModelProbe{[](const QString& path, const QString&, int, int) {
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
        std::fprintf(stderr,
                     "usage: ponder --screenshot-scene NAME OUT.png [--theme light|dark] "
                     "[--lang en|zh_CN|zh_TW] [--size WxH]\n");
        return 2;
    }
    const QString scene = args[0];
    const QString out = args[1];
    QString theme = QStringLiteral("light"), lang = QStringLiteral("en");
    QSize size(1200, 800);
    for (int i = 2; i + 1 < args.size(); i += 2) {
        if (args[i] == u"--theme")
            theme = args[i + 1];
        else if (args[i] == u"--lang")
            lang = args[i + 1];
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
        const bool zh = lang.startsWith(u"zh");
        const auto s = [](const char* text) { return QString::fromUtf8(text); };
        engine->reasoningScript =
            zh ? QStringList{s("用户想求前 100 个数的和。"), s("高斯的方法：1+100、2+99……共 50 对，每对 101。"),
                             s("所以 50 × 101 = 5050。")}
               : QStringList{s("The user wants the sum of the first 100 numbers. "),
                             s("Gauss's trick: pair 1+100, 2+99, … 50 pairs of 101. "), s("So 50 × 101 = 5050.")};
        engine->answerScript =
            zh ? QStringList{s("1 到 100 的和是 **5050**。\n\n"), s("把首尾两数配对：每对之和为 101，共有 50 对。")}
               : QStringList{s("The sum of 1 to 100 is **5050**.\n\n"),
                             s("Pair the numbers from both ends: each pair adds up to 101, "
                               "and there are 50 pairs.")};
        app.chat()->send(zh ? s("1 + 2 + … + 100 等于多少？") : s("What is 1 + 2 + … + 100?"));
        spinUntil([&] { return !app.chat()->busy(); });
        // The scripted engine answers in milliseconds; show the durations a real model takes.
        app.chat()->messages()->setReasoningMs(app.chat()->messages()->idAt(1), 12000);
        engine->reasoningScript =
            zh ? QStringList{s("写一个简短的 Python 函数，"), s("用公式 n(n+1)/2。")}
               : QStringList{s("A short Python function will do; "), s("use the closed form n(n+1)/2.")};
        const QString code = s("def triangle(n: int) -> int:\n    # closed form\n    return n * (n + 1) // 2\n");
        engine->answerScript =
            zh ? QStringList{s("用 Python 写是这样：\n\n```python\n"), code,
                             s("```\n\n- `triangle(100)` 返回 `5050`\n- 运行时间是常数")}
               : QStringList{s("Here it is in Python:\n\n```python\n"), code,
                             s("```\n\n- `triangle(100)` returns `5050`\n- it runs in constant time")};
        app.chat()->send(zh ? s("用代码写出来。") : s("Show it as code."));
        spinUntil([&] { return !app.chat()->busy(); });
        app.chat()->messages()->setReasoningMs(app.chat()->messages()->idAt(3), 4000);
        app.chat()->messages()->setReasoningExpanded(1, true);  // first answer: expanded; second: collapsed
    } else if (scene == u"reply-features") {
        // The device line in words of the language, a reply with the context and budget notices,
        // a stopped answer with Continue, and the token count of a message being typed.
        engine->backendReasonCode = int(BackendReason::AutoSoftwareGpuOnly);
        engine->backendReasonArgs = {QStringLiteral("llvmpipe (LLVM 15.0.6, 256 bits)")};
        loadModel();
        const bool zh = lang.startsWith(u"zh");
        const auto s = [](const char* text) { return QString::fromUtf8(text); };
        engine->droppedMessages = 4;
        engine->reasoningBudgetReached = true;
        engine->reasoningScript = {zh ? s("先回顾前面的推导……") : s("Let me go back over the earlier steps…")};
        engine->answerScript = {zh ? s("简而言之：这个和是 5050。") : s("In short: the sum is 5050.")};
        app.chat()->send(zh ? s("再总结一遍？") : s("Sum it up once more?"));
        spinUntil([&] { return !app.chat()->busy(); });
        engine->droppedMessages = 0;
        engine->reasoningBudgetReached = false;
        engine->intervalMs = 20;
        engine->answerScript =
            zh ? s("归纳 法 的 证明 分 三 步 ： 基础 情形 、 归纳 假设 、 归纳 步骤 。").split(u' ')
               : s("The proof by induction has three steps: the base case, the hypothesis, the step.").split(u' ');
        if (!zh)
            for (QString& word : engine->answerScript) word += u' ';  // one word a piece, spaces kept
        app.chat()->send(zh ? s("能用归纳法证明吗？") : s("Can you prove it by induction?"));
        spinUntil([&] {
            return app.chat()
                       ->messages()
                       ->data(app.chat()->messages()->index(3), MessageModel::ContentRole)
                       .toString()
                       .size() > 12;
        });
        app.chat()->stop();
        spinUntil([&] { return !app.chat()->busy(); });
        if (QObject* input = window->findChild<QObject*>(QStringLiteral("messageInput")))
            input->setProperty(
                "text", zh ? s("那 1 到 1000 呢 ？ 也 用 同样 的 方法") : s("And for 1 to 1000, with the same trick?"));
        spin(DraftTokenCounter::kDebounceMs + 100);
    } else if (scene == u"import-card") {
        app.library()->importPaths({QStringLiteral("/models/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf")});
        spinUntil([&] { return app.library()->card()->isReady(); });
    } else if (scene == u"settings") {
        loadModel();
        QMetaObject::invokeMethod(window, "openSettings");
    } else if (scene == u"devices") {
        // The App tab's device picker after the engine's survey, a Vulkan device chosen.
        app.settings()->setBackend(QStringLiteral("vulkan"));
        loadModel();
        QMetaObject::invokeMethod(window, "openSettings");
        spinUntil([&] { return app.devices()->listed(); });
        if (QObject* tab = window->findChild<QObject*>(QStringLiteral("appTab"))) tab->setProperty("checked", true);
    } else if (scene == u"loading") {
        // A load half-way through its upload to the GPU: the stage and percentage in the bar.
        app.settings()->setBackend(QStringLiteral("vulkan"));
        engine->intervalMs = 40;
        engine->loadSteps = 100;
        app.library()->load(QStringLiteral("/models/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf"));
        spinUntil([&] { return app.library()->loadProgress() >= 0.43; });
    } else if (scene != u"empty") {
        std::fprintf(
            stderr,
            "ponder: unknown scene %s (empty, conversation, reply-features, import-card, settings, devices, loading)\n",
            qPrintable(scene));
        return 2;
    }
    spin(400);  // let animations settle and the scene graph render
    const QImage image = window->grabWindow();
    if (image.isNull() || !image.save(out)) {
        std::fprintf(stderr, "ponder: could not write %s\n", qPrintable(out));
        return 1;
    }
    return 0;
}

}  // namespace ponder
