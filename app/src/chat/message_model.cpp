// message_model.cpp: message tree bookkeeping and the list view over its visible path.
#include "chat/message_model.h"

#include "chat/block_list_model.h"
#include "chat/message_row_model.h"

#include <QVariantMap>

namespace ponder {

namespace {

QString statusName(MessageNode::Status status) {
    switch (status) {
    case MessageNode::Status::Done: return QStringLiteral("done");
    case MessageNode::Status::Streaming: return QStringLiteral("streaming");
    case MessageNode::Status::Stopped: return QStringLiteral("stopped");
    case MessageNode::Status::Interrupted: return QStringLiteral("interrupted");
    case MessageNode::Status::Failed: return QStringLiteral("failed");
    }
    return {};
}

QString roleName(ChatTurn::Role role) {
    switch (role) {
    case ChatTurn::Role::System: return QStringLiteral("system");
    case ChatTurn::Role::User: return QStringLiteral("user");
    case ChatTurn::Role::Assistant: return QStringLiteral("assistant");
    }
    return {};
}

}  // namespace

MessageModel::MessageModel(QObject* parent) : QAbstractListModel(parent) {
    connect(this, &QAbstractItemModel::rowsInserted, this, &MessageModel::countChanged);
    connect(this, &QAbstractItemModel::rowsRemoved, this, &MessageModel::countChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &MessageModel::countChanged);
    m_rows = new MessageRowModel(this);
}

int MessageModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_path.size()); }

QVariant MessageModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const MessageNode& n = m_nodes[m_path[index.row()]];
    switch (role) {
    case IdRole: return n.id;
    case RoleNameRole: return roleName(n.role);
    case Qt::DisplayRole:
    case ContentRole: return n.content;
    case ReasoningRole: return n.reasoning;
    case StatusRole: return statusName(n.status);
    case ThinkingRole: return n.status == MessageNode::Status::Streaming && n.content.isEmpty();
    case ReasoningSecondsRole: return int((n.reasoningMs + 500) / 1000);
    case BlocksRole: return QVariant::fromValue(static_cast<QObject*>(blocksFor(n)));
    case BranchIndexRole: return int(siblingsOf(n.id).indexOf(n.id)) + 1;
    case BranchCountRole: return int(siblingsOf(n.id).size());
    case StatsRole: {
        if (!n.hasStats) return QVariantMap{};
        return QVariantMap{{QStringLiteral("ttftMs"), n.stats.timeToFirstTokenMs},
                           {QStringLiteral("tokensPerSecond"), n.stats.tokensPerSecond},
                           {QStringLiteral("tokens"), n.stats.generatedTokens},
                           {QStringLiteral("backend"), n.stats.backend},
                           // for ReplyNotices.qml (known for replies made in this run only)
                           {QStringLiteral("droppedMessages"), n.stats.droppedMessages},
                           {QStringLiteral("budgetReached"), n.stats.reasoningBudgetReached},
                           {QStringLiteral("reasoningTokens"), n.stats.reasoningTokens}};
    }
    case ReasoningExpandedRole: return m_expanded.contains(n.id);
    case ReasoningBlocksRole: return QVariant::fromValue(static_cast<QObject*>(reasoningBlocksFor(n)));
    default: return {};
    }
}

QHash<int, QByteArray> MessageModel::roleNames() const {
    return {{IdRole, "messageId"},
            {RoleNameRole, "role"},
            {ContentRole, "content"},
            {ReasoningRole, "reasoning"},
            {StatusRole, "status"},
            {ThinkingRole, "thinking"},
            {ReasoningSecondsRole, "reasoningSeconds"},
            {BlocksRole, "blocks"},
            {BranchIndexRole, "branchIndex"},
            {BranchCountRole, "branchCount"},
            {StatsRole, "stats"},
            {ReasoningExpandedRole, "reasoningExpanded"},
            {ReasoningBlocksRole, "reasoningBlocks"}};
}

BlockListModel* MessageModel::answerBlocksAt(int row) const {
    if (row < 0 || row >= m_path.size()) return nullptr;
    const MessageNode& n = m_nodes[m_path[row]];
    return n.role == ChatTurn::Role::User ? nullptr : blocksFor(n);
}

BlockListModel* MessageModel::reasoningBlocksAt(int row) const {
    if (row < 0 || row >= m_path.size()) return nullptr;
    const MessageNode& n = m_nodes[m_path[row]];
    return n.role == ChatTurn::Role::User ? nullptr : reasoningBlocksFor(n);
}

BlockListModel* MessageModel::blocksFor(const MessageNode& n) const {
    BlockListModel*& blocks = m_blockModels[n.id];
    if (!blocks) {
        blocks = new BlockListModel(m_darkCode, const_cast<MessageModel*>(this));
        blocks->append(n.content);
        if (n.status != MessageNode::Status::Streaming) blocks->finish();
    }
    return blocks;
}

BlockListModel* MessageModel::reasoningBlocksFor(const MessageNode& n) const {
    BlockListModel*& blocks = m_reasoningModels[n.id];
    if (!blocks) {
        blocks = new BlockListModel(m_darkCode, const_cast<MessageModel*>(this));
        blocks->append(n.reasoning);
        if (n.status != MessageNode::Status::Streaming) blocks->finish();
    }
    return blocks;
}

void MessageModel::dropBlockModels() {
    // Views may still hold them until their delegates go: delete later, not now.
    for (BlockListModel* b : std::as_const(m_blockModels)) b->deleteLater();
    for (BlockListModel* b : std::as_const(m_reasoningModels)) b->deleteLater();
    m_blockModels.clear();
    m_reasoningModels.clear();
}

void MessageModel::setMessages(const QList<MessageNode>& nodes, qint64 leafId) {
    beginResetModel();
    dropBlockModels();
    m_nodes.clear();
    m_children.clear();
    m_shownChild.clear();
    m_expanded.clear();
    for (const MessageNode& n : nodes) {
        if (n.id <= 0 || n.id == n.parentId) continue;  // would make the path walk loop
        m_nodes.insert(n.id, n);
        m_children[n.parentId].append(n.id);
    }
    // Newest branch everywhere: ids grow with creation time.
    for (auto it = m_children.begin(); it != m_children.end(); ++it) {
        std::sort(it->begin(), it->end());
        m_shownChild.insert(it.key(), it->back());
    }
    for (const MessageNode& n : pathTo(leafId)) m_shownChild.insert(n.parentId, n.id);
    walkShownPath();
    endResetModel();
}

void MessageModel::clear() { setMessages({}); }

void MessageModel::showPath(qint64 leafId) {
    for (const MessageNode& n : pathTo(leafId)) m_shownChild.insert(n.parentId, n.id);
    rebuildPath();
}

void MessageModel::addNode(const MessageNode& node) {
    m_nodes.insert(node.id, node);
    m_children[node.parentId].append(node.id);
    m_shownChild.insert(node.parentId, node.id);
    const int parentRow = node.parentId == 0 ? -1 : int(m_path.indexOf(node.parentId));
    if (node.parentId != 0 && parentRow < 0) {
        rebuildPath();  // added off the visible path: show it
        return;
    }
    // Rows below the parent are replaced by the new node.
    const int first = parentRow + 1;
    if (first < m_path.size()) {
        beginRemoveRows({}, first, int(m_path.size()) - 1);
        m_path.resize(first);
        endRemoveRows();
    }
    // The previous siblings' branch counters changed too.
    if (first > 0) emit dataChanged(index(first - 1), index(first - 1));
    beginInsertRows({}, first, first);
    m_path.append(node.id);
    endInsertRows();
}

void MessageModel::rebuildPath() {
    beginResetModel();
    walkShownPath();
    endResetModel();
}

void MessageModel::walkShownPath() {
    m_path.clear();
    qint64 cur = 0;
    while (m_shownChild.contains(cur)) {
        cur = m_shownChild.value(cur);
        m_path.append(cur);
    }
}

void MessageModel::emitRowChanged(qint64 id, const QList<int>& roles) {
    const int row = int(m_path.indexOf(id));
    if (row < 0) return;
    emit dataChanged(index(row), index(row), roles);
}

void MessageModel::appendReasoning(qint64 id, const QString& text) {
    auto it = m_nodes.find(id);
    if (it == m_nodes.end()) return;
    it->reasoning += text;
    if (BlockListModel* blocks = m_reasoningModels.value(id)) blocks->append(text);
    emitRowChanged(id, {ReasoningRole});
    if (const int row = rowOf(id); row >= 0) emit contentChangedAt(row);
}

void MessageModel::appendContent(qint64 id, const QString& text) {
    auto it = m_nodes.find(id);
    if (it == m_nodes.end()) return;
    const bool first = it->content.isEmpty();
    it->content += text;
    // The blocks grow in place; "content" (the whole text, for Copy) is announced when the
    // answer ends, so the view never re-lays out the whole text per piece.
    if (BlockListModel* blocks = m_blockModels.value(id)) blocks->append(text);
    if (first) emitRowChanged(id, {ThinkingRole});
    if (const int row = rowOf(id); row >= 0) emit contentChangedAt(row);
}

void MessageModel::setStatus(qint64 id, MessageNode::Status status) {
    auto it = m_nodes.find(id);
    if (it == m_nodes.end() || it->status == status) return;
    it->status = status;
    if (status != MessageNode::Status::Streaming)
        for (BlockListModel* blocks : {m_blockModels.value(id), m_reasoningModels.value(id)})
            if (blocks) blocks->finish();
    emitRowChanged(id, {StatusRole, ThinkingRole, ContentRole, Qt::DisplayRole});
}

void MessageModel::setReasoningMs(qint64 id, qint64 ms) {
    auto it = m_nodes.find(id);
    if (it == m_nodes.end()) return;
    it->reasoningMs = ms;
    emitRowChanged(id, {ReasoningSecondsRole});
}

void MessageModel::setStats(qint64 id, const GenerationSummary& stats) {
    auto it = m_nodes.find(id);
    if (it == m_nodes.end()) return;
    it->stats = stats;
    it->hasStats = true;
    emitRowChanged(id, {StatsRole});
}

bool MessageModel::switchBranch(int row, int delta) {
    if (row < 0 || row >= m_path.size()) return false;
    const qint64 id = m_path[row];
    const QList<qint64> siblings = siblingsOf(id);
    const int target = int(siblings.indexOf(id)) + delta;
    if (target < 0 || target >= siblings.size()) return false;
    m_shownChild.insert(m_nodes[id].parentId, siblings[target]);
    rebuildPath();
    return true;
}

void MessageModel::setReasoningExpanded(int row, bool expanded) {
    const qint64 id = idAt(row);
    if (id == 0 || m_expanded.contains(id) == expanded) return;
    if (expanded)
        m_expanded.insert(id);
    else
        m_expanded.remove(id);
    emit dataChanged(index(row), index(row), {ReasoningExpandedRole});
}

qint64 MessageModel::idAt(int row) const { return row >= 0 && row < m_path.size() ? m_path[row] : 0; }

int MessageModel::rowOf(qint64 id) const { return int(m_path.indexOf(id)); }

const MessageNode* MessageModel::node(qint64 id) const {
    auto it = m_nodes.constFind(id);
    return it == m_nodes.constEnd() ? nullptr : &*it;
}

QList<MessageNode> MessageModel::visiblePath() const {
    QList<MessageNode> out;
    for (qint64 id : m_path) out.append(m_nodes[id]);
    return out;
}

QList<MessageNode> MessageModel::pathTo(qint64 id) const {
    QList<MessageNode> out;
    // Bounded by the node count so a corrupt parent cycle cannot loop forever.
    for (int guard = 0; id != 0 && m_nodes.contains(id) && guard <= m_nodes.size(); ++guard) {
        out.prepend(m_nodes[id]);
        id = m_nodes[id].parentId;
    }
    return out;
}

QList<qint64> MessageModel::childrenOf(qint64 parentId) const { return m_children.value(parentId); }

QList<qint64> MessageModel::siblingsOf(qint64 id) const {
    auto it = m_nodes.constFind(id);
    return it == m_nodes.constEnd() ? QList<qint64>{} : childrenOf(it->parentId);
}

void MessageModel::setDarkCode(bool dark) {
    if (dark == m_darkCode) return;
    m_darkCode = dark;
    emit darkCodeChanged();
    for (BlockListModel* b : std::as_const(m_blockModels)) b->setDarkCode(dark);
}

}  // namespace ponder
