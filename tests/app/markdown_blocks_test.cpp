// markdown_blocks_test.cpp: fence splitting (including unterminated fences while streaming) and highlighting.
#include "chat/markdown_blocks.h"

#include <gtest/gtest.h>

using ponder::MarkdownBlock;

TEST(MarkdownBlocks, SplitsProseAndFencedCode) {
    const auto blocks = ponder::splitMarkdown(
        QStringLiteral("Intro **bold**\n\n```Python extra\nprint('hi')\nx = 1\n```\nAfter the code."));
    ASSERT_EQ(blocks.size(), 3);
    EXPECT_EQ(blocks[0].kind, MarkdownBlock::Kind::Prose);
    EXPECT_EQ(blocks[0].text.trimmed(), QStringLiteral("Intro **bold**"));
    EXPECT_EQ(blocks[1].kind, MarkdownBlock::Kind::Code);
    EXPECT_EQ(blocks[1].language, QStringLiteral("python"));
    EXPECT_EQ(blocks[1].text, QStringLiteral("print('hi')\nx = 1"));
    EXPECT_EQ(blocks[2].text, QStringLiteral("After the code."));
}

TEST(MarkdownBlocks, UnterminatedFenceIsCodeToTheEnd) {
    const auto blocks = ponder::splitMarkdown(QStringLiteral("See:\n~~~\nint main() {"));
    ASSERT_EQ(blocks.size(), 2);
    EXPECT_EQ(blocks[1].kind, MarkdownBlock::Kind::Code);
    EXPECT_EQ(blocks[1].language, QString());
    EXPECT_EQ(blocks[1].text, QStringLiteral("int main() {"));
}

TEST(MarkdownBlocks, TildeFenceDoesNotCloseBacktickFence) {
    const auto blocks = ponder::splitMarkdown(QStringLiteral("```\na\n~~~\nb\n```"));
    ASSERT_EQ(blocks.size(), 1);
    EXPECT_EQ(blocks[0].text, QStringLiteral("a\n~~~\nb"));
}

TEST(MarkdownBlocks, EmptyInputHasNoBlocks) {
    EXPECT_TRUE(ponder::splitMarkdown(QString()).isEmpty());
    EXPECT_TRUE(ponder::splitMarkdown(QStringLiteral("\n  \n")).isEmpty());
}

TEST(HighlightCode, MarksKeywordsStringsCommentsAndNumbersAndEscapesHtml) {
    const QString html = ponder::highlightCode(QStringLiteral("def f(x):  # <note>\n    return \"a<b\" + 42"),
                                               QStringLiteral("python"), false);
    EXPECT_TRUE(html.startsWith(QStringLiteral("<pre>")));
    EXPECT_TRUE(html.contains(QStringLiteral("<span style=\"color:#7a1fa2\">def</span>"))) << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral("<span style=\"color:#7a1fa2\">return</span>")));
    EXPECT_TRUE(html.contains(QStringLiteral("<span style=\"color:#6a737d\"># &lt;note&gt;</span>")));
    EXPECT_TRUE(html.contains(QStringLiteral("<span style=\"color:#2e7d32\">&quot;a&lt;b&quot;</span>")));
    EXPECT_TRUE(html.contains(QStringLiteral("<span style=\"color:#b45309\">42</span>")));
    EXPECT_FALSE(html.contains(QStringLiteral("<note>")));
}

TEST(HighlightCode, LanguageDecidesKeywordsAndCommentSyntax) {
    // "def" is not a C++ keyword, and '#' does not start a comment in C++.
    const QString cpp = ponder::highlightCode(QStringLiteral("def #x // c"), QStringLiteral("cpp"), true);
    EXPECT_FALSE(cpp.contains(QStringLiteral(">def</span>")));
    EXPECT_TRUE(cpp.contains(QStringLiteral("<span style=\"color:#7f8c98\">// c</span>"))) << cpp.toStdString();
    const QString unterminated = ponder::highlightCode(QStringLiteral("/* open"), QStringLiteral("rust"), true);
    EXPECT_TRUE(unterminated.contains(QStringLiteral("/* open</span>")));
}
