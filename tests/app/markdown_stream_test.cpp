// markdown_stream_test.cpp: incremental block splitting gives the whole-text result, never touches finished blocks, and the
// block model tells a view only about the rows that changed.
#include "chat/markdown_stream.h"
#include "chat/block_list_model.h"
#include "chat/markdown_blocks.h"
#include "chat/markdown_document.h"

#include <gtest/gtest.h>
#include <QSignalSpy>
#include <QTextDocument>

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

bool sameBlocksAndCuts(const QList<MarkdownBlock>& a, const QList<MarkdownBlock>& b) {
    if (!sameBlocks(a, b)) return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].join != b[i].join) return false;
    return true;
}

// Streams `text` in pieces of each size and checks that every way gives the whole text's blocks.
void expectPiecesGiveTheWholeTextsBlocks(const QString& text) {
    const QList<MarkdownBlock> whole = ponder::splitMarkdown(text);
    for (int size : {1, 3, 7, 64, 1000}) {
        MarkdownStream s;
        for (qsizetype i = 0; i < text.size(); i += size) s.append(QStringView(text).mid(i, size));
        s.finish();
        EXPECT_TRUE(sameBlocksAndCuts(s.blocks(), whole)) << "piece size " << size;
    }
}

constexpr qsizetype kLong = MarkdownStream::kLongBlock;

// Pseudo-random words and sentences, as a random-weight model writes them: no blank line, and
// with `newlineEvery` > 0 a newline after that many sentences.
QString sentences(int count, int newlineEvery) {
    static const char* words[] = {"lorem", "ipsum", "dolor", "sit", "amet", "`x.y`", "**bold. text**", "[a. link](u)"};
    QString out;
    unsigned state = 7;
    for (int s = 0; s < count; ++s) {
        const int n = 4 + s % 9;
        for (int w = 0; w < n; ++w) {
            state = state * 1103515245u + 12345u;
            out += QString::fromLatin1(words[(state >> 16) % 8]);
            out += w + 1 == n ? QStringLiteral(". ") : QStringLiteral(" ");
        }
        if (newlineEvery > 0 && (s + 1) % newlineEvery == 0) out.back() = u'\n';
    }
    return out;
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

TEST(MarkdownStream, AParagraphWithoutBlankLinesEndsAtALineOnceItIsLong) {
    const QString text = sentences(600, 3);  // about 30,000 characters, a newline every 3 sentences
    const QList<MarkdownBlock> b = ponder::splitMarkdown(text);
    ASSERT_GT(b.size(), 10);
    QStringList joined;
    for (qsizetype i = 0; i < b.size(); ++i) {
        EXPECT_LT(b[i].text.size(), 2 * kLong);
        // Lines are short: every block ends at a line, and the next goes on after it.
        EXPECT_EQ(b[i].join, i == 0 ? MarkdownBlock::Join::None : MarkdownBlock::Join::NextLine) << i;
        joined << b[i].text;
    }
    EXPECT_EQ(joined.join(u'\n'), text.trimmed());
    expectPiecesGiveTheWholeTextsBlocks(text);
}

TEST(MarkdownStream, ALineWithoutANewlineIsCutAfterASentenceOutsideCodeAndEmphasis) {
    const QString text = sentences(800, 0);  // one line of about 40,000 characters
    const QList<MarkdownBlock> b = ponder::splitMarkdown(text);
    ASSERT_GT(b.size(), 10);
    QStringList joined;
    for (qsizetype i = 0; i < b.size(); ++i) {
        EXPECT_LE(b[i].text.size(), 2 * kLong) << i;
        EXPECT_EQ(b[i].join, i == 0 ? MarkdownBlock::Join::None : MarkdownBlock::Join::SameLine) << i;
        if (i + 1 < b.size()) {
            EXPECT_TRUE(b[i].text.endsWith(u'.')) << b[i].text.right(20).toStdString();
            EXPECT_EQ(b[i].text.count(u'`') % 2, 0) << i;  // no code span or emphasis cut in two
            EXPECT_EQ(b[i].text.count(u'*') % 2, 0) << i;
            EXPECT_EQ(b[i].text.count(u'['), b[i].text.count(u']')) << i;
        }
        joined << b[i].text;
    }
    EXPECT_EQ(joined.join(u' ').toStdString(), text.toStdString());
    expectPiecesGiveTheWholeTextsBlocks(text);
}

TEST(MarkdownStream, ALineWithNoPlaceToCutIsCutAnywhereButNeverInsideACharacter) {
    QString text;
    for (int i = 0; i < 4000; ++i) text += QString::fromUtf8(i % 5 == 0 ? "\xF0\x9F\x98\x80" : "\xE4\xB8\xAD");
    const QList<MarkdownBlock> b = ponder::splitMarkdown(text);
    ASSERT_GT(b.size(), 1);
    QString joined;
    for (const MarkdownBlock& block : b) {
        EXPECT_LE(block.text.size(), 3 * kLong + 2);
        EXPECT_FALSE(block.text.front().isLowSurrogate());
        EXPECT_FALSE(block.text.back().isHighSurrogate());
        joined += block.text;
    }
    EXPECT_EQ(joined, text);
    expectPiecesGiveTheWholeTextsBlocks(text);
    // Chinese full stops are places to cut: no space follows them.
    QString chinese;
    for (int i = 0; i < 600; ++i)
        chinese += QString::fromUtf8("\xE8\xBF\x99\xE6\x98\xAF\xE4\xB8\x80\xE5\x8F\xA5\xE3\x80\x82");
    for (const MarkdownBlock& block : ponder::splitMarkdown(chinese)) {
        EXPECT_LT(block.text.size(), kLong + 8);
        EXPECT_TRUE(block.text.endsWith(QString::fromUtf8("\xE3\x80\x82")));
    }
}

TEST(MarkdownStream, LongOrderedListsAndTablesStayWholeAndBulletedListsEndOnlyBeforeAnItem) {
    QString ordered, table = QStringLiteral("| a | b |\n|---|---|\n"), bullets;
    for (int i = 1; i <= 60; ++i) {
        ordered += QStringLiteral("%1. item number %1 with some words to make it long enough\n").arg(i);
        table += QStringLiteral("| row %1 with words | and more words in the cell |\n").arg(i);
        bullets +=
            QStringLiteral("- bullet %1 with some words to make it long enough\n  and an indented line\n").arg(i);
    }
    EXPECT_EQ(ponder::splitMarkdown(ordered).size(), 1);  // Qt would number the rest from 1
    EXPECT_EQ(ponder::splitMarkdown(table).size(), 1);    // the rest would lose its header
    const QList<MarkdownBlock> b = ponder::splitMarkdown(bullets);
    ASSERT_GT(b.size(), 1);
    for (const MarkdownBlock& block : b)
        EXPECT_TRUE(block.text.startsWith(u"- bullet")) << block.text.left(30).toStdString();
    expectPiecesGiveTheWholeTextsBlocks(ordered + u'\n' + table + u'\n' + bullets);
}

TEST(MarkdownStream, ALongCodeBlockGoesOnInPartsThatCopyAsOne) {
    QString code;
    for (int i = 0; i < 400; ++i) code += QStringLiteral("    total += values[%1] * weights[%1];\n").arg(i);
    code.chop(1);
    const QString text = QStringLiteral("Here:\n\n```cpp\n") + code + QStringLiteral("\n```\n\nDone.");
    const QList<MarkdownBlock> b = ponder::splitMarkdown(text);
    ASSERT_GT(b.size(), 5);
    EXPECT_EQ(b.front().text, "Here:");
    EXPECT_EQ(b.back().text, "Done.");
    EXPECT_EQ(b.back().join, MarkdownBlock::Join::None);
    QStringList parts;
    for (qsizetype i = 1; i + 1 < b.size(); ++i) {
        EXPECT_EQ(b[i].kind, MarkdownBlock::Kind::Code);
        EXPECT_EQ(b[i].language, "cpp");
        EXPECT_LE(b[i].text.size(), 2 * kLong + 40);
        EXPECT_EQ(b[i].join, i == 1 ? MarkdownBlock::Join::None : MarkdownBlock::Join::NextLine) << i;
        parts << b[i].text;
    }
    EXPECT_EQ(parts.join(u'\n'), code);
    expectPiecesGiveTheWholeTextsBlocks(text);

    BlockListModel model(false, nullptr);
    model.append(text);
    model.finish();
    ASSERT_EQ(model.rowCount(), b.size());
    for (int row = 1; row + 1 < model.rowCount(); ++row) EXPECT_EQ(model.wholeCode(row), code) << row;
    EXPECT_EQ(model.wholeCode(0), "");  // prose has no code to copy
    EXPECT_EQ(model.data(model.index(1), BlockListModel::JoinRole).toString(), "");
    EXPECT_EQ(model.data(model.index(2), BlockListModel::JoinRole).toString(), "nextLine");
}

TEST(MarkdownStream, TheRestOfACutLineIsShownAsTextNotAsBlockSyntax) {
    QString text = QString(kLong + 10, u'a') + QStringLiteral(". - 3 degrees and # not a heading");
    const QList<MarkdownBlock> b = ponder::splitMarkdown(text);
    ASSERT_EQ(b.size(), 2);
    EXPECT_EQ(b[1].join, MarkdownBlock::Join::SameLine);
    EXPECT_EQ(b[1].text, "- 3 degrees and # not a heading");
    for (const QString& rest :
         {QStringLiteral("- 3 degrees"), QStringLiteral("# not a heading"), QStringLiteral("> not a quote"),
          QStringLiteral("12. not an item"), QStringLiteral("``` not a fence"), QStringLiteral("--- not a rule")}) {
        QTextDocument doc;
        doc.setMarkdown(ponder::markdownAsLineContinuation(rest), QTextDocument::MarkdownNoHTML);
        EXPECT_EQ(doc.toPlainText(), rest);
    }
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
