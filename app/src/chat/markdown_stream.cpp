// markdown_stream.cpp: line-by-line block splitting for streamed Markdown.
#include "chat/markdown_stream.h"

#include <utility>

namespace ponder {

namespace {

// A line opens/closes a fence when it starts (after up to 3 spaces) with ``` or ~~~.
bool isFence(QStringView line, QString* marker, QString* info) {
    int i = 0;
    while (i < line.size() && i < 3 && line[i] == u' ') ++i;
    const QStringView rest = line.mid(i);
    for (const QString& m : {QStringLiteral("```"), QStringLiteral("~~~")}) {
        if (rest.startsWith(m)) {
            *marker = m;
            *info = rest.mid(3).trimmed().toString().section(u' ', 0, 0).toLower();
            return true;
        }
    }
    return false;
}

bool sameBlock(const MarkdownBlock& a, const MarkdownBlock& b) {
    return a.kind == b.kind && a.text == b.text && a.language == b.language;
}

bool isBlank(QStringView line) { return line.trimmed().isEmpty(); }

// 0: not a list item; 1: "- x", "* x", "+ x"; 2: "1. x", "1) x".
int listKind(QStringView line) {
    if (line.isEmpty()) return 0;
    if ((line[0] == u'-' || line[0] == u'*' || line[0] == u'+') && (line.size() == 1 || line[1] == u' ')) return 1;
    int i = 0;
    while (i < line.size() && i < 9 && line[i].isDigit()) ++i;
    return i > 0 && i < line.size() && (line[i] == u'.' || line[i] == u')') &&
                   (i + 1 == line.size() || line[i + 1] == u' ')
               ? 2
               : 0;
}

// After a blank line, does `line` still belong to a block that began with `firstLine`? Only in a
// list: another item of the same list, or an indented continuation of an item.
bool continuesBlock(QStringView firstLine, QStringView line) {
    const int kind = listKind(firstLine);
    if (kind == 0) return false;
    return line[0] == u' ' || line[0] == u'\t' || listKind(line) == kind;
}

QString joinProse(const QStringList& lines) {
    int end = int(lines.size());
    while (end > 0 && isBlank(lines[end - 1])) --end;
    int start = 0;
    while (start < end && isBlank(lines[start])) ++start;
    return lines.mid(start, end - start).join(u'\n');
}

}  // namespace

MarkdownStream::Change MarkdownStream::append(QStringView text) {
    Change change;
    change.oldCount = count();
    const int doneBefore = m_done;
    const QList<MarkdownBlock> tailBefore = m_blocks.mid(doneBefore);  // at most two blocks
    qsizetype start = 0;
    for (qsizetype nl = text.indexOf(u'\n'); nl >= 0; nl = text.indexOf(u'\n', start)) {
        m_partial += text.mid(start, nl - start);
        takeLine(m_partial);
        m_partial.clear();
        start = nl + 1;
    }
    m_partial += text.mid(start);
    rebuildTail();
    // Only the blocks that were open before this append can have changed: skip those that did not.
    change.firstChanged = doneBefore;
    while (change.firstChanged - doneBefore < tailBefore.size() && change.firstChanged < count() &&
           sameBlock(tailBefore[change.firstChanged - doneBefore], m_blocks[change.firstChanged]))
        ++change.firstChanged;
    change.newCount = count();
    return change;
}

MarkdownStream::Change MarkdownStream::finish() {
    Change change;
    change.oldCount = count();
    change.firstChanged = m_done;
    if (!m_partial.isEmpty()) takeLine(std::exchange(m_partial, QString()));
    finishOpen();
    rebuildTail();
    change.newCount = count();
    return change;
}

void MarkdownStream::takeLine(const QString& line) {
    QString marker, info;
    if (m_openIsCode) {
        if (line.trimmed() == m_fence) {
            finishOpen();
            m_afterBlank = false;
        } else {
            m_openLines.append(line);
        }
        return;
    }
    if (isFence(line, &marker, &info)) {
        finishOpen();
        m_openIsCode = true;
        m_fence = marker;
        m_open = {MarkdownBlock::Kind::Code, {}, info};
        return;
    }
    if (isBlank(line)) {
        if (!m_openLines.isEmpty()) m_openLines.append(line);
        m_afterBlank = true;
        return;
    }
    if (m_afterBlank && !m_openLines.isEmpty() && !continuesBlock(m_openLines.first(), line)) finishOpen();
    m_afterBlank = false;
    m_openLines.append(line);
}

void MarkdownStream::finishOpen() {
    m_blocks.resize(m_done);
    if (m_openIsCode) {
        m_open.text = m_openLines.join(u'\n');
        m_blocks.append(m_open);
        ++m_done;
    } else if (const QString prose = joinProse(m_openLines); !prose.isEmpty()) {
        m_blocks.append({MarkdownBlock::Kind::Prose, prose, {}});
        ++m_done;
    }
    m_openLines.clear();
    m_openIsCode = false;
    m_fence.clear();
    m_open = {};
}

void MarkdownStream::rebuildTail() {
    m_blocks.resize(m_done);
    QStringList lines = m_openLines;
    // A closing fence being typed is not code.
    if (!m_partial.isEmpty() && !(m_openIsCode && m_partial.trimmed() == m_fence)) lines.append(m_partial);
    if (m_openIsCode) {
        MarkdownBlock b = m_open;
        b.text = lines.join(u'\n');
        m_blocks.append(b);
        return;
    }
    // The line being typed may already have started the next block.
    if (m_afterBlank && !m_openLines.isEmpty() && !isBlank(m_partial) &&
        !continuesBlock(m_openLines.first(), m_partial)) {
        lines.removeLast();
        if (const QString prose = joinProse(lines); !prose.isEmpty())
            m_blocks.append({MarkdownBlock::Kind::Prose, prose, {}});
        lines = {m_partial};
    }
    if (const QString prose = joinProse(lines); !prose.isEmpty())
        m_blocks.append({MarkdownBlock::Kind::Prose, prose, {}});
}

}  // namespace ponder
