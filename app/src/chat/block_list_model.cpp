// block_list_model.cpp: row bookkeeping over MarkdownStream's incremental changes.
#include "chat/block_list_model.h"

namespace ponder {

BlockListModel::BlockListModel(bool darkCode, QObject* parent) : QAbstractListModel(parent), m_darkCode(darkCode) {}

int BlockListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_stream.count(); }

QVariant BlockListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const MarkdownBlock& b = m_stream.blocks()[index.row()];
    const bool code = b.kind == MarkdownBlock::Kind::Code;
    switch (role) {
    case KindRole: return code ? QStringLiteral("code") : QStringLiteral("prose");
    case Qt::DisplayRole:
    case TextRole: return b.text;
    case LanguageRole: return b.language;
    case JoinRole:  // how the row goes on from the one before: "", "nextLine" or "sameLine"
        return b.join == MarkdownBlock::Join::NextLine   ? QStringLiteral("nextLine")
               : b.join == MarkdownBlock::Join::SameLine ? QStringLiteral("sameLine")
                                                         : QString();
    case HtmlRole: {
        if (!code) return QString();
        QString& html = m_html[index.row()];
        if (html.isEmpty()) html = highlightCode(b.text, b.language, m_darkCode);
        return html;
    }
    default: return {};
    }
}

QHash<int, QByteArray> BlockListModel::roleNames() const {
    return {{KindRole, "kind"}, {TextRole, "text"}, {LanguageRole, "language"}, {HtmlRole, "html"}, {JoinRole, "join"}};
}

void BlockListModel::append(QStringView text) {
    if (!text.isEmpty()) apply(m_stream.append(text));
}

QString BlockListModel::wholeCode(int row) const {
    const QList<MarkdownBlock>& b = m_stream.blocks();
    if (row < 0 || row >= b.size() || b[row].kind != MarkdownBlock::Kind::Code) return {};
    int first = row, last = row;
    while (first > 0 && b[first].join != MarkdownBlock::Join::None) --first;
    while (last + 1 < b.size() && b[last + 1].join != MarkdownBlock::Join::None) ++last;
    QStringList parts;
    for (int r = first; r <= last; ++r) parts.append(b[r].text);
    return parts.join(u'\n');
}

void BlockListModel::finish() { apply(m_stream.finish()); }

void BlockListModel::apply(const MarkdownStream::Change& c) {
    // Rows that changed in place: drop their highlighting and tell the view.
    const int kept = std::min(c.oldCount, c.newCount);
    for (int r = c.firstChanged; r < kept; ++r) m_html[r].clear();
    if (c.firstChanged < kept) emit dataChanged(index(c.firstChanged), index(kept - 1));
    if (c.newCount > c.oldCount) {
        beginInsertRows({}, c.oldCount, c.newCount - 1);
        m_html.resize(c.newCount);
        endInsertRows();
    } else if (c.newCount < c.oldCount) {
        beginRemoveRows({}, c.newCount, c.oldCount - 1);
        m_html.resize(c.newCount);
        endRemoveRows();
    }
}

void BlockListModel::setDarkCode(bool dark) {
    if (dark == m_darkCode) return;
    m_darkCode = dark;
    for (QString& h : m_html) h.clear();
    if (rowCount() > 0) emit dataChanged(index(0), index(rowCount() - 1), {HtmlRole});
}

}  // namespace ponder
