// markdown_stream_test.cpp: incremental block splitting gives the whole-text result, never touches finished blocks, and the
// block model tells a view only about the rows that changed.
#include "chat/markdown_stream.h"
#include "chat/block_list_model.h"
#include "chat/markdown_blocks.h"

#include <gtest/gtest.h>
#include <QSignalSpy>

using ponder::BlockListModel;
using ponder::MarkdownBlock;
using ponder::MarkdownStream;

namespace {

const QString kMixed = QStringLiteral(
    "Intro paragraph\nwith a second line.\n\n"
    "- one\n- two\n\n- three after a blank line\n\n"
    "1. first\n\n2. second\n\n"
    "```python\nprint('<b>')\n\nx = 1\n```\n"
    "Closing words.\n\n## A heading\n\nLast paragraph");

bool sameBlocks(const QList<MarkdownBlock>& a, const QList<MarkdownBlock>& b) {
    if (a.size() != b.size()) return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].kind != b[i].kind || a[i].text != b[i].text || a[i].language != b[i].language) return false;
    return true;
}

}  // namespace

TEST(MarkdownStream, PieceByPieceEqualsTheWholeText) {
    const QList<MarkdownBlock> whole = ponder::splitMarkdown(kMixed);
    for (int size : {1, 2, 3, 7, 64}) {
        MarkdownStream s;
        for (qsizetype i = 0; i < kMixed.size(); i += size) s.append(QStringView(kMixed).mid(i, size));
        s.finish();
        EXPECT_TRUE(sameBlocks(s.blocks(), whole)) << "piece size " << size;
    }
}

TEST(MarkdownStream, BlocksEndAtFencesAndNewParagraphsButLooseListsStayWhole) {
    const QList<MarkdownBlock> b = ponder::splitMarkdown(kMixed);
    ASSERT_EQ(b.size(), 7);
    EXPECT_EQ(b[0].text, "Intro paragraph\nwith a second line.");
    EXPECT_EQ(b[1].text, "- one\n- two\n\n- three after a blank line");
    EXPECT_EQ(b[2].text, "1. first\n\n2. second");  // one list: its numbering survives
    EXPECT_EQ(b[3].kind, MarkdownBlock::Kind::Code);
    EXPECT_EQ(b[3].text, "print('<b>')\n\nx = 1");
    EXPECT_EQ(b[4].text, "Closing words.");
    EXPECT_EQ(b[5].text, "## A heading");
    EXPECT_EQ(b[6].text, "Last paragraph");
}

TEST(MarkdownStream, FinishedBlocksAreNeverChangedAgain) {
    MarkdownStream s;
    QList<MarkdownBlock> before;
    for (qsizetype i = 0; i < kMixed.size(); i += 5) {
        const MarkdownStream::Change c = s.append(QStringView(kMixed).mid(i, 5));
        // Everything before firstChanged is what it was.
        ASSERT_LE(c.firstChanged, before.size());
        for (int r = 0; r < c.firstChanged; ++r) EXPECT_EQ(s.blocks()[r].text, before[r].text);
        // Only the open block can change: at most the last row (and one that the line being typed
        // split off) is reported, never an older one.
        EXPECT_GE(c.firstChanged, c.oldCount - 2);
        before = s.blocks();
    }
}

TEST(MarkdownStream, AClosingFenceBeingTypedIsNotShownAsCode) {
    MarkdownStream s;
    s.append(u"```\nint x;\n``");
    ASSERT_EQ(s.count(), 1);
    EXPECT_EQ(s.blocks()[0].text, "int x;\n``");
    s.append(u"`");
    EXPECT_EQ(s.blocks()[0].text, "int x;");
    s.finish();
    EXPECT_EQ(s.blocks()[0].text, "int x;");
}

TEST(BlockListModel, AppendingTellsTheViewOnlyAboutTheLastBlock) {
    BlockListModel model(false, nullptr);
    QString text;
    for (int i = 0; i < 100; ++i) text += QStringLiteral("Paragraph %1.\n\n").arg(i);
    model.append(text);
    ASSERT_EQ(model.rowCount(), 100);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.append(u"More words");
    EXPECT_EQ(reset.count(), 0);
    ASSERT_EQ(inserted.count(), 1);
    EXPECT_EQ(inserted[0][1].toInt(), 100);
    EXPECT_EQ(model.rowCount(), 101);
    model.append(u" in the same paragraph");
    ASSERT_EQ(changed.count(), 1);
    EXPECT_EQ(changed[0][0].value<QModelIndex>().row(), 100);
    EXPECT_EQ(changed[0][1].value<QModelIndex>().row(), 100);
    EXPECT_EQ(model.data(model.index(100), BlockListModel::TextRole).toString(), "More words in the same paragraph");
}

TEST(BlockListModel, CodeBlocksCarryEscapedHighlighting) {
    BlockListModel model(true, nullptr);
    model.append(u"```html\n<script>alert(1)</script>\n```\n");
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.data(model.index(0), BlockListModel::KindRole).toString(), "code");
    const QString html = model.data(model.index(0), BlockListModel::HtmlRole).toString();
    EXPECT_FALSE(html.contains("<script>"));
    EXPECT_TRUE(html.contains("&lt;script&gt;"));
}
