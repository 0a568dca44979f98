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

private:
    void takeLine(const QString& line);
    void finishOpen();
    void rebuildTail();

    QList<MarkdownBlock> m_blocks;  // the final blocks, then the open one (with m_partial) if any
    int m_done = 0;                 // how many of m_blocks are final
    MarkdownBlock m_open;           // the block being written, complete lines only
    QStringList m_openLines;
    bool m_openIsCode = false;
    QString m_fence;            // the open code block's marker
    bool m_afterBlank = false;  // the last complete prose line was blank
    QString m_partial;          // text after the last newline
};

}  // namespace ponder
