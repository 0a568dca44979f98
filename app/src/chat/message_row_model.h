// message_row_model.h: the shown conversation flattened into view rows, one per Markdown block.
#pragma once

#include <QtQml/qqmlregistration.h>
#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QPointer>

namespace ponder {

class BlockListModel;
class MessageModel;

// The chat view's model. A message-level list view lays out a whole answer as one delegate, so
// every piece of a long answer repositioned all its blocks and every scroll re-evaluated them.
// Here each message becomes rows and the view virtualises below message level: it creates and
// lays out only the rows near the viewport (and the block being written).
//
//   user message:       [user]                           (bubble, edit, actions)
//   assistant message:  [head] [reasoning]* [block]* [foot]
//     head: the reasoning header; reasoning: one row per reasoning block while the panel is open
//     (thinking, or expanded); block: one answer block (prose or code); foot: status, speed, actions.
//
// Every row also answers MessageModel's roles for its message (the same role names), so a row
// delegate reads "status", "stats", "branchCount"... as it did. Rows follow MessageModel's
// signals and each shown answer's BlockListModel: a streamed piece changes one row's text or
// inserts rows at the end of its message; nothing else is touched. GUI thread only.
class MessageRowModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by MessageModel")
public:
    enum Role {
        RowKindRole = Qt::UserRole + 100,  // "user" / "head" / "reasoning" / "block" / "foot"
        MessageRowRole,                    // the row of its message in MessageModel
        BlockKindRole,                     // "prose" / "code" (reasoning and block rows)
        BlockTextRole,
        BlockLanguageRole,
        BlockHtmlRole,     // highlighted code
        BlockJoinRole,     // "", "nextLine", "sameLine": how it goes on from the row before (MarkdownBlock)
        BlockIndexRole,    // position within its section (reasoning or answer)
        HasReasoningRole,  // the message has reasoning text (head rows)
        BlockCountRole,    // rows in its section (the last reasoning row closes the panel)
    };
    Q_ENUM(Role)
    enum class Kind { User, Head, Reasoning, Block, Foot };

    explicit MessageRowModel(MessageModel* messages);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The first view row of a message (its user or head row), -1 when out of range.
    Q_INVOKABLE int firstRowOf(int messageRow) const;
    // The whole code of the code block that view row `row` shows part of ("" for other rows):
    // what its Copy button copies.
    Q_INVOKABLE QString wholeCodeAt(int row) const;

    struct Place {
        int message = -1;
        Kind kind = Kind::User;
        int block = 0;  // for reasoning and block rows
    };
    Place place(int row) const;

private:
    // The rows one message has now.
    struct Span {
        bool user = false;
        int reasoning = 0;  // reasoning rows shown (0 while the panel is closed)
        int blocks = 0;
        int size() const { return user ? 1 : 2 + reasoning + blocks; }
    };

    Span measure(int messageRow);  // also starts following its block models
    void watch(int messageRow);
    void rebuildStarts();
    void resetAll();
    void onMessagesInserted(int first, int last);
    void onMessagesAboutToBeRemoved(int first, int last);
    void onMessagesRemoved(int first, int last);
    void onMessagesChanged(int first, int last, const QList<int>& roles);
    // Brings the message's reasoning and block rows in line with its block models (rows are only
    // ever added or dropped at the end of a section).
    void sync(int messageRow);
    void resizeSection(int messageRow, bool reasoning, int wanted);
    void onBlocksChanged(qint64 id, bool reasoning, int first, int last, const QList<int>& roles);
    bool reasoningOpen(int messageRow) const;

    MessageModel* m_messages;
    QList<Span> m_spans;  // per message row
    QList<int> m_start;   // first view row of each message; back() = row count
    // The block models followed, per message id (the message model replaces them on reset).
    QHash<qint64, QPointer<BlockListModel>> m_watchedAnswer;
    QHash<qint64, QPointer<BlockListModel>> m_watchedReasoning;
    int m_removing = -1;  // first message row of a removal in progress
};

}  // namespace ponder
