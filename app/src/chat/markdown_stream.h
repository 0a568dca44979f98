// markdown_stream.h: splits Markdown into blocks as it streams; finished blocks are never looked at again.
#pragma once

#include "chat/markdown_blocks.h"

#include <QList>
#include <QString>

namespace ponder {

// Feed it an answer piece by piece. Only complete lines are examined (each once); the line being
// written is part of the last block. A block ends at a code fence, or where a paragraph that
// follows a blank line starts a new top-level block (not a list item or an indented continuation,
// so a loose list stays one block and keeps its numbering). Every block but the last is final.
//
// Prose blocks are also kept short, because the block being written is laid out again whenever it
// grows: a model that never writes a blank line (or a newline) would otherwise make one block of
// the whole answer, and an answer of 17,000 characters froze the window. Once a block holds
// kLongBlock characters it ends at the next line that may start a block (not inside an ordered
// list, which would restart its numbering, a table or an indented continuation), and a line that
// itself grows past that is cut after a sentence (else at a space, else anywhere). A code block
// goes on in a new block every 2 * kLongBlock characters, at a line. The blocks that go on from
// the one before say how (MarkdownBlock::join). Where a block ends depends only on the text
// before that point, so pieces of any size give the blocks the whole text gives.
class MarkdownStream {
public:
    // What an append changed: blocks [firstChanged, count) are new or changed; before: unchanged.
    struct Change {
        int firstChanged = 0;
        int oldCount = 0;
        int newCount = 0;
    };

    Change append(QStringView text);
    // The text is complete: its last line is taken as a whole line (a closing fence without a
    // newline closes), and every block is final.
    Change finish();
    // All blocks, the last one including the unfinished line. Prose text has no trailing blank lines.
    const QList<MarkdownBlock>& blocks() const { return m_blocks; }
    int count() const { return int(m_blocks.size()); }

    // Prose blocks reach about this many characters before they end at a line or are cut.
    static constexpr qsizetype kLongBlock = 1200;

private:
    void takeLine(const QString& line, bool continuation);
    // 0: no; 1: a new block (a blank line came before); 2: only to keep the open block short.
    int endsOpenBlockBefore(QStringView line) const;
    int openListKind() const;
    void cutLongLine();
    void openCode(const QString& fence, const QString& language, MarkdownBlock::Join join);
    void finishOpen();
    void rebuildTail();

    QList<MarkdownBlock> m_blocks;  // the final blocks, then the open one (with m_partial) if any
    int m_done = 0;                 // how many of m_blocks are final
    MarkdownBlock m_open;           // the block being written, complete lines only
    QStringList m_openLines;
    qsizetype m_openChars = 0;                                   // characters in m_openLines
    MarkdownBlock::Join m_openJoin = MarkdownBlock::Join::None;  // how the open block goes on from the one before
    bool m_openIsCode = false;
    QString m_fence;                  // the open code block's marker
    bool m_afterBlank = false;        // the last complete prose line was blank
    QString m_partial;                // text after the last newline
    bool m_partialContinues = false;  // m_partial is what follows a cut in its line
};

}  // namespace ponder
