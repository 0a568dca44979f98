// conversation_list_model.h: the sidebar's conversations (pinned first, newest first, grouped by day).
#pragma once

#include <QtQml/qqmlregistration.h>
#include <QAbstractListModel>
#include <QDateTime>
#include <QList>

namespace ponder {

struct ConversationEntry {
    qint64 id = 0;
    QString title;
    bool pinned = false;
    qint64 updatedAtMs = 0;
    QString snippet;  // search hit context; empty when not searching
};

class ConversationListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by ChatController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    enum Role { IdRole = Qt::UserRole + 1, TitleRole, PinnedRole, UpdatedRole, SectionRole, SnippetRole };
    Q_ENUM(Role)

    explicit ConversationListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setEntries(const QList<ConversationEntry>& entries);
    Q_INVOKABLE qint64 idAt(int row) const;
    Q_INVOKABLE int rowOf(qint64 id) const;
    Q_INVOKABLE QString titleAt(int row) const;

    // The day group of a timestamp relative to `now`: "pinned", "today", "yesterday", "week", "older".
    static QString sectionFor(bool pinned, qint64 updatedAtMs, const QDateTime& now);

Q_SIGNALS:
    void countChanged();

private:
    QList<ConversationEntry> m_entries;
};

}  // namespace ponder
