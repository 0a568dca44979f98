// message_model.h: the visible path through one conversation's message tree, with branch navigation.
#pragma once

#include "chat/message_row_model.h"
#include "inference/inference_service.h"

#include <QtQml/qqmlregistration.h>
#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QSet>

namespace ponder {

class BlockListModel;

// One stored message. Messages form a tree: regenerating an answer or editing a question adds a
// sibling (a branch) under the same parent; nothing is ever overwritten.
struct MessageNode {
    enum class Status { Done, Streaming, Stopped, Interrupted, Failed };  // Interrupted: the app quit mid-reply
    qint64 id = 0;
    qint64 parentId = 0;  // 0 = first message of the conversation
    ChatTurn::Role role = ChatTurn::Role::User;
    QString content;
    QString reasoning;
    Status status = Status::Done;
    qint64 reasoningMs = 0;  // time spent thinking (assistant)
    bool hasStats = false;
    GenerationSummary stats;
};

// Exposes the active branch path (root → leaf) as rows. For every parent the model remembers
// which child is shown; a new child becomes the shown one. GUI thread only.
class MessageModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by ChatController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(bool darkCode READ darkCode WRITE setDarkCode NOTIFY darkCodeChanged)
    // The same conversation as view rows, one per Markdown block (what the chat view shows).
    Q_PROPERTY(ponder::MessageRowModel* rows READ rows CONSTANT)
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        RoleNameRole,  // "user" / "assistant" / "system"
        ContentRole,
        ReasoningRole,
        StatusRole,    // "done" / "streaming" / "stopped" / "interrupted" / "failed"
        ThinkingRole,  // streaming and no answer text yet
        ReasoningSecondsRole,
        BlocksRole,       // a BlockListModel (rows: kind "prose"|"code", text, language, html), kept while it streams
        BranchIndexRole,  // 1-based position among siblings
        BranchCountRole,
        StatsRole,  // {ttftMs, tokensPerSecond, tokens, backend, droppedMessages, budgetReached, reasoningTokens} or empty
        ReasoningExpandedRole,  // the "Thought for N s" panel is open (view state, kept across scrolling)
        ReasoningBlocksRole,    // a BlockListModel of the reasoning, grown in place like BlocksRole
    };
    Q_ENUM(Role)

    explicit MessageModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Replaces the whole tree (a conversation was opened). Shows the path to `leafId` when given,
    // else the newest branch everywhere.
    void setMessages(const QList<MessageNode>& nodes, qint64 leafId = 0);
    // Shows the path root → leafId (e.g. the branch the store selected).
    void showPath(qint64 leafId);
    void clear();
    // Adds a node under its parent (0 = root) and shows it; the path below it is the node itself.
    void addNode(const MessageNode& node);
    // Streaming updates for a node on the visible path.
    void appendReasoning(qint64 id, const QString& text);
    void appendContent(qint64 id, const QString& text);
    void setStatus(qint64 id, MessageNode::Status status);
    void setReasoningMs(qint64 id, qint64 ms);
    void setStats(qint64 id, const GenerationSummary& stats);

    // Shows the previous (delta -1) or next (+1) sibling of the message in that row.
    Q_INVOKABLE bool switchBranch(int row, int delta);
    Q_INVOKABLE void setReasoningExpanded(int row, bool expanded);
    Q_INVOKABLE qint64 idAt(int row) const;
    Q_INVOKABLE int rowOf(qint64 id) const;

    const MessageNode* node(qint64 id) const;
    QList<MessageNode> visiblePath() const;      // root → leaf, as shown
    QList<MessageNode> pathTo(qint64 id) const;  // root → id
    QList<qint64> siblingsOf(qint64 id) const;   // in creation order, including id
    int nodeCount() const { return int(m_nodes.size()); }

    bool darkCode() const { return m_darkCode; }
    void setDarkCode(bool dark);

    MessageRowModel* rows() const { return m_rows; }
    // The answer's and the reasoning's blocks of the message in `row` (made on first use);
    // nullptr for a user's message, whose text is shown whole.
    BlockListModel* answerBlocksAt(int row) const;
    BlockListModel* reasoningBlocksAt(int row) const;

Q_SIGNALS:
    void countChanged();
    void darkCodeChanged();
    void contentChangedAt(int row);  // a visible row's text grew (views use it to follow the bottom)

private:
    void rebuildPath();
    void walkShownPath();  // m_path = root-to-leaf along the shown child of each node
    BlockListModel* blocksFor(const MessageNode& node) const;
    BlockListModel* reasoningBlocksFor(const MessageNode& node) const;
    void dropBlockModels();
    QList<qint64> childrenOf(qint64 parentId) const;
    void emitRowChanged(qint64 id, const QList<int>& roles);

    QHash<qint64, MessageNode> m_nodes;
    QHash<qint64, QList<qint64>> m_children;  // parent → children in creation order
    QHash<qint64, qint64> m_shownChild;       // parent → the child on the visible path
    QList<qint64> m_path;
    QSet<qint64> m_expanded;
    // Each shown answer's blocks, made on first use and grown in place while it streams, so the
    // view re-lays out only the block being written.
    mutable QHash<qint64, BlockListModel*> m_blockModels;
    mutable QHash<qint64, BlockListModel*> m_reasoningModels;
    bool m_darkCode = false;
    MessageRowModel* m_rows = nullptr;  // a child; made last, it follows this model's signals
};

}  // namespace ponder
