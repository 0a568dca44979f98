// markdown_document.h: renders an answer's Markdown into a TextEdit without raw HTML, keeping line breaks.
#pragma once

#include <QtQml/qqmlregistration.h>
#include <QObject>
#include <QPointer>
#include <QQuickTextDocument>
#include <QString>

namespace ponder {

// Model output is untrusted: with TextEdit.MarkdownText, raw HTML in an answer is interpreted, so a
// literal "<s>" struck through and hid the rest of the answer. This fills the TextEdit's document
// with QTextDocument::MarkdownNoHTML instead (tags are shown as the text they are), and turns
// single newlines into line breaks, as chat models mean them.
//   TextEdit { id: t; MarkdownDocument { document: t.textDocument; markdown: "…" } }
class MarkdownDocument : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QQuickTextDocument* document READ document WRITE setDocument NOTIFY documentChanged)
    Q_PROPERTY(QString markdown READ markdown WRITE setMarkdown NOTIFY markdownChanged)
    // The text continues a line cut short before it (MarkdownBlock::continuesLine): not block syntax.
    Q_PROPERTY(bool continuesLine READ continuesLine WRITE setContinuesLine NOTIFY continuesLineChanged)
    Q_PROPERTY(QString plainText READ plainText NOTIFY rendered)  // the text as shown
public:
    using QObject::QObject;

    QQuickTextDocument* document() const { return m_document; }
    void setDocument(QQuickTextDocument* document);
    QString markdown() const { return m_markdown; }
    void setMarkdown(const QString& markdown);
    bool continuesLine() const { return m_continuesLine; }
    void setContinuesLine(bool continues);
    QString plainText() const;

Q_SIGNALS:
    void documentChanged();
    void markdownChanged();
    void continuesLineChanged();
    void rendered();

private:
    void render();

    QPointer<QQuickTextDocument> m_document;
    QString m_markdown;
    bool m_continuesLine = false;
};

// Markdown in which every single newline inside a paragraph is a hard line break.
QString markdownWithLineBreaks(const QString& markdown);

// Markdown whose first line reads as text, not as a heading, list item, quote, fence or rule: what
// follows a cut in the middle of a line ("- 3 degrees" stays a dash).
QString markdownAsLineContinuation(const QString& markdown);

}  // namespace ponder
