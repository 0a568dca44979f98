// markdown_blocks.h: splits Markdown into prose and fenced code blocks, and highlights code as HTML.
#pragma once

#include <QList>
#include <QString>

namespace ponder {

// A run of Markdown prose or one fenced code block. While an answer streams, an unterminated
// fence is treated as a code block that runs to the end, so highlighting appears as it types.
struct MarkdownBlock {
    enum class Kind { Prose, Code };
    Kind kind = Kind::Prose;
    QString text;      // prose: Markdown source; code: the code without fences
    QString language;  // code: the fence's info word, lower-case ("" when none)
    // How it goes on from the block before it, when MarkdownStream ended that one only to keep
    // blocks short: NextLine, after a newline (more lines of the same paragraph, list or code
    // block); SameLine, in the middle of a line cut in two (so its text is never block syntax:
    // "- x" here is not a list item). Such a block is drawn joined to the one before it.
    enum class Join { None, NextLine, SameLine };
    Join join = Join::None;
};

// The blocks of a whole text (MarkdownStream's rules: a fence, a new top-level paragraph after a
// blank line, or the size bound on prose starts a block).
QList<MarkdownBlock> splitMarkdown(const QString& markdown);

// HTML (<pre> with coloured <span>s) for a code block: keywords, strings, comments and numbers
// of common languages (C/C++, Python, JavaScript/TypeScript, Rust, Go, Java, shell, JSON, SQL).
// Unknown languages get the generic C-like rules. Everything is HTML-escaped.
QString highlightCode(const QString& code, const QString& language, bool dark);

}  // namespace ponder
