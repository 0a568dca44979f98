// markdown_document.cpp: Markdown (no HTML) into a QQuickTextDocument.
#include "chat/markdown_document.h"

#include <QStringList>
#include <QTextDocument>

namespace ponder {

QString markdownWithLineBreaks(const QString& markdown) {
    const QStringList lines = markdown.split(u'\n');
    QString out;
    out.reserve(markdown.size() + lines.size() * 2);
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString& line = lines[i];
        out += line;
        if (i + 1 == lines.size()) break;
        // Two trailing spaces make a hard break; CommonMark ignores them at a paragraph's or
        // block's end, so adding them before a blank line, list item or heading changes nothing.
        const bool nextBlank = lines[i + 1].trimmed().isEmpty();
        if (!line.trimmed().isEmpty() && !nextBlank && !line.endsWith(QStringLiteral("  ")) && !line.endsWith(u'\\'))
            out += QStringLiteral("  ");
        out += u'\n';
    }
    return out;
}

QString markdownAsLineContinuation(const QString& markdown) {
    if (markdown.isEmpty()) return markdown;
    QString out = markdown;
    if (QStringView(u"#>-+*=_`~|<").contains(out[0])) return out.prepend(u'\\');
    qsizetype digits = 0;
    while (digits < out.size() && digits < 9 && out[digits].isDigit()) ++digits;
    if (digits > 0 && digits < out.size() && (out[digits] == u'.' || out[digits] == u')')) out.insert(digits, u'\\');
    return out;
}

void MarkdownDocument::setContinuesLine(bool continues) {
    if (m_continuesLine == continues) return;
    m_continuesLine = continues;
    emit continuesLineChanged();
    render();
}

void MarkdownDocument::setDocument(QQuickTextDocument* document) {
    if (m_document == document) return;
    m_document = document;
    emit documentChanged();
    render();
}

void MarkdownDocument::setMarkdown(const QString& markdown) {
    if (m_markdown == markdown) return;
    m_markdown = markdown;
    emit markdownChanged();
    render();
}

QString MarkdownDocument::plainText() const {
    return m_document && m_document->textDocument() ? m_document->textDocument()->toPlainText() : QString();
}

void MarkdownDocument::render() {
    if (!m_document || !m_document->textDocument()) return;
    m_document->textDocument()->setMarkdown(
        markdownWithLineBreaks(m_continuesLine ? markdownAsLineContinuation(m_markdown) : m_markdown),
        QTextDocument::MarkdownFeatures(QTextDocument::MarkdownNoHTML | QTextDocument::MarkdownDialectGitHub));
    emit rendered();
}

}  // namespace ponder
