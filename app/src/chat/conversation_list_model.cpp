// conversation_list_model.cpp: list model over conversation summaries.
#include "chat/conversation_list_model.h"

namespace ponder {

ConversationListModel::ConversationListModel(QObject* parent) : QAbstractListModel(parent) {
    connect(this, &QAbstractItemModel::modelReset, this, &ConversationListModel::countChanged);
}

int ConversationListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant ConversationListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const ConversationEntry& e = m_entries[index.row()];
    switch (role) {
    case IdRole: return e.id;
    case Qt::DisplayRole:
    case TitleRole: return e.title;
    case PinnedRole: return e.pinned;
    case UpdatedRole: return QDateTime::fromMSecsSinceEpoch(e.updatedAtMs);
    case SectionRole: return sectionFor(e.pinned, e.updatedAtMs, QDateTime::currentDateTime());
    case SnippetRole: return e.snippet;
    default: return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const {
    return {{IdRole, "conversationId"}, {TitleRole, "title"},     {PinnedRole, "pinned"},
            {UpdatedRole, "updated"},   {SectionRole, "section"}, {SnippetRole, "snippet"}};
}

void ConversationListModel::setEntries(const QList<ConversationEntry>& entries) {
    beginResetModel();
    m_entries = entries;
    endResetModel();
}

qint64 ConversationListModel::idAt(int row) const { return row >= 0 && row < m_entries.size() ? m_entries[row].id : 0; }

int ConversationListModel::rowOf(qint64 id) const {
    for (int i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].id == id) return i;
    return -1;
}

QString ConversationListModel::titleAt(int row) const {
    return row >= 0 && row < m_entries.size() ? m_entries[row].title : QString();
}

QString ConversationListModel::sectionFor(bool pinned, qint64 updatedAtMs, const QDateTime& now) {
    if (pinned) return QStringLiteral("pinned");
    const QDate day = QDateTime::fromMSecsSinceEpoch(updatedAtMs).date();
    const qint64 days = day.daysTo(now.date());
    if (days <= 0) return QStringLiteral("today");
    if (days == 1) return QStringLiteral("yesterday");
    if (days < 7) return QStringLiteral("week");
    return QStringLiteral("older");
}

}  // namespace ponder
