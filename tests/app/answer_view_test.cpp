// answer_view_test.cpp: how answers appear in the real window: model output shown as text (no raw
// HTML), line breaks kept, blocks that stay put while the answer grows, Stop that acts at once.
#include "window_fixture.h"

#include <QtQml/qqmlextensionplugin.h>
#include <QClipboard>

Q_IMPORT_QML_PLUGIN(PonderPlugin)

using namespace ponder;
using ponder::test::WindowTest;

namespace {

class AnswerViewTest : public WindowTest {
protected:
    // Streams `pieces` as the answer and returns the text of every visible answer block, joined.
    QString answerShown(const QStringList& pieces) {
        engine->reasoningScript.clear();
        engine->answerScript = pieces;
        engine->intervalMs = 2;
        if (!app->library()->modelReady()) loadFakeModel();
        EXPECT_TRUE(app->chat()->send("show me"));
        EXPECT_TRUE(test::waitUntil([&] { return !app->chat()->busy(); }));
        QTest::qWait(50);
        QStringList shown;
        for (QQuickItem* t : visibleItems("answerText")) shown.append(text(t));
        return shown.join(u'\n');
    }
};

}  // namespace

// An answer with a literal <s> showed ~900 of its 40,656 characters: raw HTML was interpreted.
TEST_F(AnswerViewTest, StrikeTagIsShownAsTextAndHidesNothing) {
    QString tail;
    for (int i = 0; i < 200; ++i) tail += QStringLiteral("word%1 ").arg(i);
    const QString shown = answerShown({"Tokens like <s> begin ", "a story. ", tail});
    EXPECT_TRUE(shown.contains("Tokens like <s> begin a story.")) << shown.toStdString();
    EXPECT_TRUE(shown.contains("word199")) << "text after <s> is missing";
}

TEST_F(AnswerViewTest, BoldTagIsShownAsText) {
    const QString shown = answerShown({"Use <b>bold</b> tags."});
    EXPECT_TRUE(shown.contains("Use <b>bold</b> tags.")) << shown.toStdString();
}

TEST_F(AnswerViewTest, ImageTagIsShownAsTextAndLoadsNothing) {
    const QString shown = answerShown({"An image: <img src=\"file:///etc/passwd\" width=900> here."});
    EXPECT_TRUE(shown.contains("<img src=\"file:///etc/passwd\" width=900>")) << shown.toStdString();
    EXPECT_TRUE(shown.contains("here."));
}

TEST_F(AnswerViewTest, ScriptTagIsShownAsText) {
    const QString shown = answerShown({"<script>alert('x')</script>\n\nAfter the script."});
    EXPECT_TRUE(shown.contains("<script>alert('x')</script>")) << shown.toStdString();
    EXPECT_TRUE(shown.contains("After the script."));
}

TEST_F(AnswerViewTest, MarkdownStillFormatsAndSingleNewlinesStayLineBreaks) {
    const QString shown = answerShown({"First line\nsecond line\n\n**bold** and `code`"});
    // Kept as two lines (TextEdit's plain text shows a line break as a newline), not merged.
    EXPECT_TRUE(shown.contains("First line\nsecond line")) << shown.toStdString();
    EXPECT_TRUE(shown.contains("bold and code")) << "Markdown markers should format, not show";
}

TEST_F(AnswerViewTest, FinishedBlocksKeepTheirItemsWhileTheAnswerGrows) {
    // Tall enough that all 40 paragraphs stay in view: rows that scroll out are released (that is
    // the virtualisation, tested below); those on screen must stay untouched.
    window->resize(1100, 2000);
    loadFakeModel();
    QStringList pieces;
    for (int i = 0; i < 40; ++i) pieces.append(QStringLiteral("Paragraph %1 has some words.\n\n").arg(i));
    engine->reasoningScript.clear();
    engine->answerScript = pieces;
    engine->intervalMs = 15;
    ASSERT_TRUE(app->chat()->send("go"));
    ASSERT_TRUE(test::waitUntil([&] { return visibleItems("answerText").size() >= 3; }));
    QQuickItem* first = visibleItems("answerText").first();
    const QString firstText = text(first);
    QPointer<QQuickItem> guard(first);
    ASSERT_TRUE(test::waitUntil([&] { return !app->chat()->busy(); }, 10000));
    // The first paragraph's item was neither re-created nor re-filled while 37 more arrived.
    ASSERT_FALSE(guard.isNull());
    EXPECT_EQ(text(first), firstText);
}

// The reasoning is shown as rows too: the paragraph being thought is updated in place, earlier
// ones are left alone, and the rows go when the answer starts.
TEST_F(AnswerViewTest, ReasoningStreamsIntoRowsThatStayPut) {
    loadFakeModel();
    engine->reasoningScript = {"First thought.\n\n", "Second ", "thought ", "grows ", "slowly ", "here."};
    engine->answerScript = {"Done."};
    engine->intervalMs = 80;
    ASSERT_TRUE(app->chat()->send("think"));
    ASSERT_TRUE(test::waitUntil([&] { return visibleItems("reasoningText").size() >= 2; }));
    const QList<QQuickItem*> rows = visibleItems("reasoningText");
    QPointer<QQuickItem> first(rows.first()), growing(rows.last());
    const QString firstText = text(first);
    ASSERT_TRUE(test::waitUntil([&] { return growing && text(growing).contains("here."); }, 5000))
        << "the paragraph being written was not updated in place";
    EXPECT_FALSE(first.isNull());
    EXPECT_EQ(text(first), firstText);
    EXPECT_EQ(text(growing), "Second thought grows slowly here.");
    ASSERT_TRUE(test::waitUntil([&] { return !app->chat()->busy(); }));
    EXPECT_TRUE(visibleItems("reasoningText").isEmpty()) << "the reasoning stayed open after the answer";
}

// A long answer used to be one delegate holding every block; now only the rows near the viewport
// exist, whatever the answer's length, and the text is all there.
TEST_F(AnswerViewTest, ALongAnswerMakesOnlyTheBlocksNearTheViewport) {
    loadFakeModel();
    QStringList pieces;
    for (int i = 0; i < 400; ++i) pieces.append(QStringLiteral("Paragraph %1 has some words.\n\n").arg(i));
    engine->reasoningScript.clear();
    engine->answerScript = pieces;
    engine->intervalMs = 1;
    ASSERT_TRUE(app->chat()->send("go"));
    ASSERT_TRUE(test::waitUntil([&] { return !app->chat()->busy(); }, 30000));
    QTest::qWait(100);
    const QList<QQuickItem*> made = visibleItems("answerText");
    ASSERT_FALSE(made.isEmpty());
    EXPECT_LT(made.size(), 120) << "every block of the answer has an item";
    // The view followed the end: the last paragraph is among them.
    bool lastShown = false;
    for (QQuickItem* t : made) lastShown = lastShown || text(t).contains("Paragraph 399");
    EXPECT_TRUE(lastShown) << "the view did not follow the end";
    MessageModel* m = app->chat()->messages();
    EXPECT_EQ(m->data(m->index(1), MessageModel::ContentRole).toString(), pieces.join(QString()));
}

TEST_F(AnswerViewTest, StopEndsTheAnswerAtOnceAndItIsStoredAsShown) {
    loadFakeModel();
    QStringList pieces;
    for (int i = 0; i < 2000; ++i) pieces.append(QStringLiteral("w%1 ").arg(i));
    engine->reasoningScript.clear();
    engine->answerScript = pieces;
    engine->intervalMs = 1;
    ASSERT_TRUE(app->chat()->send("go"));
    ASSERT_TRUE(test::waitUntil([&] { return !visibleItems("answerText").isEmpty(); }));
    QTest::keyClick(window, Qt::Key_Escape);
    ASSERT_TRUE(test::waitUntil([&] { return !app->chat()->busy(); }, 1000)) << "Esc did not stop within 1 s";
    MessageModel* m = app->chat()->messages();
    EXPECT_EQ(m->data(m->index(1), MessageModel::StatusRole).toString(), "stopped");
    const QString content = m->data(m->index(1), MessageModel::ContentRole).toString();
    EXPECT_LT(content.size(), pieces.join(QString()).size());
    QTest::qWait(100);
    EXPECT_EQ(m->data(m->index(1), MessageModel::ContentRole).toString(), content) << "text kept coming after Stop";
}

// Speed and time to first token were only in a hover tooltip.
TEST_F(AnswerViewTest, EveryFinishedAnswerShowsItsSpeedWithoutHovering) {
    answerShown({"Quick answer."});
    const QList<QQuickItem*> stats = visibleItems("statsLabel");
    ASSERT_EQ(stats.size(), 1) << "no speed line under the answer";
    EXPECT_TRUE(text(stats[0]).contains("tokens/s")) << text(stats[0]).toStdString();
    EXPECT_TRUE(text(stats[0]).contains("First token after")) << text(stats[0]).toStdString();
    QQuickItem* p = stats[0];
    for (; p && p->opacity() > 0; p = p->parentItem()) {}
    EXPECT_EQ(p, nullptr) << "the speed line is there but transparent";
}

// A model that never writes a blank line made one block of its whole answer, laid out again on
// every piece: Continue on a 17,000-character answer froze the window. Now it is shown in parts,
// and the rest of a line cut in two is text even when it looks like Markdown.
TEST_F(AnswerViewTest, ALongLineIsShownInPartsAndTheRestOfACutLineStaysText) {
    const QString first = QString(1250, u'x') + QStringLiteral(".");
    const QString shown = answerShown({first, " - 3 degrees", " and more words."});
    const QList<QQuickItem*> parts = visibleItems("answerText");
    ASSERT_EQ(parts.size(), 2) << shown.toStdString();
    EXPECT_EQ(text(parts[0]).toStdString(), first.toStdString());
    EXPECT_EQ(text(parts[1]).toStdString(), "- 3 degrees and more words.") << "the dash became a list bullet";
}

// A long code block is shown in parts too; Copy (on the first part only) copies all of it.
TEST_F(AnswerViewTest, CopyOnALongCodeBlockCopiesEveryPart) {
    window->resize(1100, 2000);
    QString code;
    for (int i = 0; i < 120; ++i) code += QStringLiteral("x = step(x, %1)  # next one\n").arg(i, 3);
    code.chop(1);
    answerShown({"```python\n", code, "\n```\n"});
    QQuickItem* view = qobject_cast<QQuickItem*>(test::findByName(window->contentItem(), "chatView"));
    ASSERT_NE(view, nullptr);
    QMetaObject::invokeMethod(view, "positionViewAtBeginning");
    QTest::qWait(50);
    EXPECT_GE(visibleItems("codeText").size(), 2) << "the code block was not shown in parts";
    const QList<QQuickItem*> buttons = visibleItems("copyCodeButton");
    ASSERT_EQ(buttons.size(), 1) << "every part has its own Copy button";
    QGuiApplication::clipboard()->clear();
    click(buttons.first());
    EXPECT_EQ(QGuiApplication::clipboard()->text(), code);
}
