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
    return a.kind == b.kind && a.text == b.text && a.language == b.language && a.join == b.join;
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

// After a blank line, does `line` still belong to a block whose first line is a list item of
// `kind` (listKind)? Only another item of the same list, or an indented continuation of an item.
bool continuesBlock(int kind, QStringView line) {
    if (kind == 0) return false;
    return line[0] == u' ' || line[0] == u'\t' || listKind(line) == kind;
}

// May a long block whose first line is `firstLine` (a list item of `kind`) end before `line`?
// Not before an indented line, inside an ordered list (Qt 6.4 would number the rest from 1 again)
// or a table (the rest would lose its header); in a bulleted list only before another item.
bool mayEndLongBlockBefore(int kind, QStringView firstLine, QStringView line) {
    if (line[0] == u' ' || line[0] == u'\t' || kind == 2 || firstLine.startsWith(u'|')) return false;
    return kind == 0 || listKind(line) == kind;
}

// Where to cut a line longer than kLongBlock characters, or -1 while the line so far has no place
// for it: after the first sentence that ends past kLongBlock (outside `code`, **emphasis** and
// [links]), else at a space past twice that, else anywhere past three times. Only the text up to
// the cut decides it. (Shorter lines are never cut: the block ends before a line instead.)
qsizetype cutPoint(QStringView line) {
    const qsizetype limit = MarkdownStream::kLongBlock;
    if (line.size() <= limit) return -1;
    int ticks = 0, stars = 0, brackets = 0;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        const bool balanced = ticks % 2 == 0 && stars % 2 == 0 && brackets == 0;
        if (i >= limit) {
            const QChar prev = line[i - 1];
            if (c.isSpace() && balanced && (prev == u'.' || prev == u'!' || prev == u'?')) return i;
            if (c.isSpace() && i >= 2 * limit) return i;
            if (i >= 3 * limit) return c.isLowSurrogate() ? i + 1 : i;
        }
        if (c == u'`')
            ++ticks;
        else if (c == u'*')
            ++stars;
        else if (c == u'[')
            ++brackets;
        else if (c == u']' && brackets > 0)
            --brackets;
        // A full stop in Chinese or Japanese has no space after it.
        if (i + 1 >= limit && balanced && (c == u'\u3002' || c == u'\uff01' || c == u'\uff1f')) return i + 1;
    }
    return -1;
}

QString withoutLeadingSpace(QStringView text) {
    qsizetype i = 0;
    while (i < text.size() && text[i].isSpace()) ++i;
    return text.mid(i).toString();
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
        cutLongLine();
        takeLine(m_partial, std::exchange(m_partialContinues, false));
        m_partial.clear();
        start = nl + 1;
    }
    m_partial += text.mid(start);
    cutLongLine();
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
    if (!m_partial.isEmpty()) takeLine(std::exchange(m_partial, QString()), std::exchange(m_partialContinues, false));
    finishOpen();
    rebuildTail();
    change.newCount = count();
    return change;
}

void MarkdownStream::takeLine(const QString& line, bool continuation) {
    if (continuation) {
        // The rest of a cut line starts a block of its own (cutLongLine ended the one before).
        const QString rest = withoutLeadingSpace(line);
        if (rest.isEmpty()) return;
        m_openLines.append(rest);
        m_openChars += rest.size();
        m_openJoin = MarkdownBlock::Join::SameLine;
        m_afterBlank = false;
        return;
    }
    QString marker, info;
    if (m_openIsCode) {
        if (line.trimmed() == m_fence) {
            finishOpen();
            m_afterBlank = false;
            return;
        }
        if (m_openChars >= 2 * kLongBlock) {  // the code goes on in a block of its own
            const QString fence = m_fence, language = m_open.language;
            finishOpen();
            openCode(fence, language, MarkdownBlock::Join::NextLine);
        }
        m_openLines.append(line);
        m_openChars += line.size() + 1;
        return;
    }
    if (isFence(line, &marker, &info)) {
        finishOpen();
        openCode(marker, info, MarkdownBlock::Join::None);
        return;
    }
    if (isBlank(line)) {
        if (!m_openLines.isEmpty()) m_openLines.append(line);
        m_afterBlank = true;
        return;
    }
    if (const int ends = endsOpenBlockBefore(line); ends > 0) {
        finishOpen();
        if (ends == 2) m_openJoin = MarkdownBlock::Join::NextLine;
    }
    m_afterBlank = false;
    m_openLines.append(line);
    m_openChars += line.size();
}

// Does the open prose block end before this complete, non-blank line (which is no fence)?
int MarkdownStream::endsOpenBlockBefore(QStringView line) const {
    if (m_openLines.isEmpty()) return 0;
    if (m_afterBlank) return continuesBlock(openListKind(), line) ? 0 : 1;
    return m_openChars >= kLongBlock && mayEndLongBlockBefore(openListKind(), m_openLines.first(), line) ? 2 : 0;
}

int MarkdownStream::openListKind() const {
    return m_openLines.isEmpty() || m_openJoin == MarkdownBlock::Join::SameLine ? 0 : listKind(m_openLines.first());
}

void MarkdownStream::cutLongLine() {
    QString marker, info;
    if (m_openIsCode || (!m_partialContinues && isFence(m_partial, &marker, &info))) return;
    for (;;) {
        const qsizetype cut = cutPoint(m_partial);
        if (cut < 0) return;
        takeLine(m_partial.left(cut), m_partialContinues);
        finishOpen();
        m_partial.remove(0, cut);
        m_partialContinues = true;
    }
}

void MarkdownStream::openCode(const QString& fence, const QString& language, MarkdownBlock::Join join) {
    m_openIsCode = true;
    m_fence = fence;
    m_open = {MarkdownBlock::Kind::Code, {}, language, join};
}

void MarkdownStream::finishOpen() {
    m_blocks.resize(m_done);
    if (m_openIsCode) {
        m_open.text = m_openLines.join(u'\n');
        m_blocks.append(m_open);
        ++m_done;
    } else if (const QString prose = joinProse(m_openLines); !prose.isEmpty()) {
        m_blocks.append({MarkdownBlock::Kind::Prose, prose, {}, m_openJoin});
        ++m_done;
    }
    m_openLines.clear();
    m_openChars = 0;
    m_openJoin = MarkdownBlock::Join::None;
    m_openIsCode = false;
    m_fence.clear();
    m_open = {};
}

void MarkdownStream::rebuildTail() {
    m_blocks.resize(m_done);
    if (m_partialContinues) {  // a line was just cut: nothing is open but its rest
        if (const QString rest = withoutLeadingSpace(m_partial); !rest.isEmpty())
            m_blocks.append({MarkdownBlock::Kind::Prose, rest, {}, MarkdownBlock::Join::SameLine});
        return;
    }
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
    MarkdownBlock::Join join = m_openJoin;
    if (m_afterBlank && !m_openLines.isEmpty() && !isBlank(m_partial) && !continuesBlock(openListKind(), m_partial)) {
        lines.removeLast();
        if (const QString prose = joinProse(lines); !prose.isEmpty())
            m_blocks.append({MarkdownBlock::Kind::Prose, prose, {}, join});
        lines = {m_partial};
        join = MarkdownBlock::Join::None;
    }
    if (const QString prose = joinProse(lines); !prose.isEmpty())
        m_blocks.append({MarkdownBlock::Kind::Prose, prose, {}, join});
}

}  // namespace ponder
