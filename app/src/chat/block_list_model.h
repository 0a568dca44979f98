// block_list_model.h: one answer's Markdown blocks as rows, updated in place while it streams.
#pragma once

#include "chat/markdown_stream.h"

#include <QtQml/qqmlregistration.h>
#include <QAbstractListModel>

namespace ponder {

// MessageModel makes one per shown answer (and reasoning). A view's Repeater over this model keeps its delegates while the answer grows: appending text
// changes (and re-lays out) only the last block's row and inserts rows for new blocks. Code
// blocks carry highlighted HTML, computed once per finished block.
class BlockListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
public:
    enum Role { KindRole = Qt::UserRole + 1, TextRole, LanguageRole, HtmlRole, JoinRole };

    explicit BlockListModel(QObject* parent = nullptr) : BlockListModel(false, parent) {}
    BlockListModel(bool darkCode, QObject* parent);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void append(QStringView text);
    Q_INVOKABLE void appendText(const QString& text) { append(text); }
    void finish();  // the answer ended: its last line is complete
    // A code block's whole code when it spans several rows (see MarkdownBlock::join); `row` is any of them.
    QString wholeCode(int row) const;
    void setDarkCode(bool dark);

private:
    void apply(const MarkdownStream::Change& change);

    MarkdownStream m_stream;
    mutable QList<QString> m_html;  // highlighted code per row; empty = not computed yet
    bool m_darkCode = false;
};

}  // namespace ponder
