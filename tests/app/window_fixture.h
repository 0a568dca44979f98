// window_fixture.h: the real Main.qml with a scripted engine in a fresh profile, and helpers to find, click and type.
#pragma once

#include "app/ponder_app.h"
#include "chat/chat_controller.h"
#include "fake_inference_service.h"
#include "gguf/gguf_writer.h"
#include "models/model_library.h"
#include "settings/app_settings.h"

#include "qt_test_app.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <QMimeData>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>

#include <filesystem>

namespace ponder::test {

inline QObject* findByName(QObject* root, const QString& name) {
    if (!root) return nullptr;
    if (root->objectName() == name) return root;
    if (auto* item = qobject_cast<QQuickItem*>(root)) {
        for (QQuickItem* child : item->childItems())
            if (QObject* hit = findByName(child, name)) return hit;
    }
    for (QObject* child : root->children())
        if (QObject* hit = findByName(child, name)) return hit;
    return nullptr;
}

// All visible items with that object name, depth first (delegates share names).
inline void collectVisible(QQuickItem* root, const QString& name, QList<QQuickItem*>* out) {
    if (!root || !root->isVisible()) return;
    if (root->objectName() == name) out->append(root);
    for (QQuickItem* child : root->childItems()) collectVisible(child, name, out);
}

inline std::filesystem::path writeTinyGguf(const std::filesystem::path& path) {
    GgufWriter w;
    w.set("general.architecture", "llama");
    w.set("general.name", "Tiny Test Model");
    w.set("llama.context_length", std::uint32_t{256});
    w.set("llama.block_count", std::uint32_t{1});
    w.set("llama.embedding_length", std::uint32_t{8});
    w.set("llama.attention.head_count", std::uint32_t{2});
    const std::vector<float> weights(64, 0.5f);
    w.add_tensor("token_embd.weight", DType::F32, {8, 8}, weights);
    w.write_file(path);
    return path;
}

class WindowTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::ensureQtApp();
        auto fake = std::make_unique<FakeInferenceService>();
        engine = fake.get();
        engine->intervalMs = 5;
        const QString root = QString::fromStdString(dir.path().string());
        app = std::make_unique<PonderApp>(AppPaths{root + "/data", root + "/config"}, std::move(fake),
                                          engineModelProbe());
        QString error;
        ASSERT_TRUE(app->start(&error)) << error.toStdString();
        window = app->window();
        ASSERT_NE(window, nullptr);
        window->resize(1100, 760);
        window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(window));
        window->requestActivate();
        ASSERT_TRUE(QTest::qWaitForWindowActive(window));  // shortcuts need an active window
    }
    void TearDown() override { app.reset(); }

    QQuickItem* item(const QString& name) { return qobject_cast<QQuickItem*>(findByName(window->contentItem(), name)); }
    QList<QQuickItem*> visibleItems(const QString& name) {
        QList<QQuickItem*> out;
        collectVisible(window->contentItem(), name, &out);
        return out;
    }
    void click(QQuickItem* target) {
        ASSERT_NE(target, nullptr);
        // An item that has just appeared may not be placed yet (layouts settle at the next
        // polish): wait until its centre stops moving, so the click lands on it on a loaded
        // machine too (it missed a just-shown Continue button under ctest -j2).
        auto centre = [&] { return target->mapToScene(QPointF(target->width() / 2, target->height() / 2)); };
        QPointF at = centre();
        for (int i = 0; i < 50; ++i) {
            QTest::qWait(10);
            const QPointF now = centre();
            if (now == at) break;
            at = now;
        }
        QTest::mouseClick(window, Qt::LeftButton, {}, at.toPoint());
    }
    void type(const QString& text) {
        for (QChar c : text) QTest::keyClick(window, c.toLatin1());
    }
    void loadFakeModel() {
        app->library()->load("/models/fake.gguf");
        ASSERT_TRUE(test::waitUntil([&] { return app->library()->modelReady(); }));
    }
    void drop(const QList<QUrl>& urls) {
        QMimeData mime;
        mime.setUrls(urls);
        const QPoint pos(window->width() / 2, window->height() / 2);
        QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window, &enter);
        QDragMoveEvent move(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window, &move);
        QDropEvent dropEvent(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window, &dropEvent);
        EXPECT_TRUE(dropEvent.isAccepted());
    }
    QString text(QQuickItem* target) { return target ? target->property("text").toString() : QString(); }

    test::TempDir dir;
    FakeInferenceService* engine = nullptr;
    std::unique_ptr<PonderApp> app;
    QQuickWindow* window = nullptr;
};

}  // namespace ponder::test
