// message_row_model.cpp: maps MessageModel rows and their block models onto flat view rows.
#include "chat/message_row_model.h"

#include "chat/block_list_model.h"
#include "chat/message_model.h"

#include <algorithm>

namespace ponder {

namespace {

QString kindName(MessageRowModel::Kind kind) {
    switch (kind) {
    case MessageRowModel::Kind::User: return QStringLiteral("user");
    case MessageRowModel::Kind::Head: return QStringLiteral("head");
    case MessageRowModel::Kind::Reasoning: return QStringLiteral("reasoning");
    case MessageRowModel::Kind::Block: return QStringLiteral("block");
    case MessageRowModel::Kind::Foot: return QStringLiteral("foot");
    }
    return {};
}

// BlockListModel's roles as this model names them.
int blockRoleToRowRole(int role) {
    switch (role) {
    case BlockListModel::KindRole: return MessageRowModel::BlockKindRole;
    case BlockListModel::TextRole: return MessageRowModel::BlockTextRole;
    case BlockListModel::LanguageRole: return MessageRowModel::BlockLanguageRole;
    case BlockListModel::HtmlRole: return MessageRowModel::BlockHtmlRole;
    case BlockListModel::JoinRole: return MessageRowModel::BlockJoinRole;
    default: return -1;
    }
}

int rowRoleToBlockRole(int role) {
    switch (role) {
    case MessageRowModel::BlockKindRole: return BlockListModel::KindRole;
    case MessageRowModel::BlockTextRole: return BlockListModel::TextRole;
    case MessageRowModel::BlockLanguageRole: return BlockListModel::LanguageRole;
    case MessageRowModel::BlockHtmlRole: return BlockListModel::HtmlRole;
    case MessageRowModel::BlockJoinRole: return BlockListModel::JoinRole;
    default: return -1;
    }
}

}  // namespace

MessageRowModel::MessageRowModel(MessageModel* messages) : QAbstractListModel(messages), m_messages(messages) {
    m_start = {0};
    // Resets and removals are mirrored in two steps (about to / done) so the view never sees rows
    // whose message is gone; inserts only append at the end (addNode), so one step suffices.
    connect(messages, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
    connect(messages, &QAbstractItemModel::modelReset, this, [this] {
        resetAll();
        endResetModel();
    });
    connect(messages, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { onMessagesInserted(first, last); });
    connect(messages, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex&, int first, int last) { onMessagesAboutToBeRemoved(first, last); });
    connect(messages, &QAbstractItemModel::rowsRemoved, this,
            [this](const QModelIndex&, int first, int last) { onMessagesRemoved(first, last); });
    connect(messages, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& top, const QModelIndex& bottom, const QList<int>& roles) {
                onMessagesChanged(top.row(), bottom.row(), roles);
            });
}

int MessageRowModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_start.back(); }

MessageRowModel::Place MessageRowModel::place(int row) const {
    if (row < 0 || row >= m_start.back()) return {};
    // The last message whose first row is at or before `row`.
    const auto it = std::upper_bound(m_start.begin(), m_start.end() - 1, row);
    const int message = int(it - m_start.begin()) - 1;
    const Span& s = m_spans[message];
    const int offset = row - m_start[message];
    if (s.user) return {message, Kind::User, 0};
    if (offset == 0) return {message, Kind::Head, 0};
    if (offset <= s.reasoning) return {message, Kind::Reasoning, offset - 1};
    if (offset <= s.reasoning + s.blocks) return {message, Kind::Block, offset - 1 - s.reasoning};
    return {message, Kind::Foot, 0};
}

int MessageRowModel::firstRowOf(int messageRow) const {
    return messageRow >= 0 && messageRow < m_spans.size() ? m_start[messageRow] : -1;
}

QString MessageRowModel::wholeCodeAt(int row) const {
    if (row < 0 || row >= rowCount()) return {};
    const Place p = place(row);
    if (p.message < 0 || p.kind != Kind::Block) return {};
    BlockListModel* blocks = m_messages->answerBlocksAt(p.message);
    return blocks ? blocks->wholeCode(p.block) : QString();
}

QVariant MessageRowModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const Place p = place(index.row());
    if (p.message < 0) return {};
    switch (role) {
    case RowKindRole: return kindName(p.kind);
    case MessageRowRole: return p.message;
    case BlockIndexRole: return p.block;
    case BlockCountRole:
        return p.kind == Kind::Reasoning ? m_spans[p.message].reasoning
               : p.kind == Kind::Block   ? m_spans[p.message].blocks
                                         : 0;
    case HasReasoningRole:
        return !m_messages->data(m_messages->index(p.message), MessageModel::ReasoningRole).toString().isEmpty();
    default: break;
    }
    if (const int blockRole = rowRoleToBlockRole(role); blockRole >= 0) {
        if (p.kind != Kind::Reasoning && p.kind != Kind::Block) return {};
        BlockListModel* blocks = p.kind == Kind::Reasoning ? m_messages->reasoningBlocksAt(p.message)
                                                           : m_messages->answerBlocksAt(p.message);
        return blocks ? blocks->data(blocks->index(p.block), blockRole) : QVariant();
    }
    return m_messages->data(m_messages->index(p.message), role);  // the message's own roles
}

QHash<int, QByteArray> MessageRowModel::roleNames() const {
    QHash<int, QByteArray> names = m_messages->roleNames();
    names.insert(RowKindRole, "rowKind");
    names.insert(MessageRowRole, "messageRow");
    names.insert(BlockKindRole, "blockKind");
    names.insert(BlockTextRole, "blockText");
    names.insert(BlockLanguageRole, "blockLanguage");
    names.insert(BlockHtmlRole, "blockHtml");
    names.insert(BlockJoinRole, "blockJoin");
    names.insert(BlockIndexRole, "blockIndex");
    names.insert(HasReasoningRole, "hasReasoning");
    names.insert(BlockCountRole, "blockCount");
    return names;
}

bool MessageRowModel::reasoningOpen(int messageRow) const {
    const QModelIndex i = m_messages->index(messageRow);
    return m_messages->data(i, MessageModel::ThinkingRole).toBool() ||
           m_messages->data(i, MessageModel::ReasoningExpandedRole).toBool();
}

void MessageRowModel::watch(int messageRow) {
    const qint64 id = m_messages->idAt(messageRow);
    const auto follow = [this, id](BlockListModel* blocks, QHash<qint64, QPointer<BlockListModel>>& watched,
                                   bool reasoning) {
        if (!blocks || watched.value(id) == blocks) return;
        watched.insert(id, blocks);
        // A block model only grows or shrinks at its end and changes rows in place.
        const auto resync = [this, id] {
            if (const int row = m_messages->rowOf(id); row >= 0 && row < m_spans.size()) sync(row);
        };
        connect(blocks, &QAbstractItemModel::rowsInserted, this, resync);
        connect(blocks, &QAbstractItemModel::rowsRemoved, this, resync);
        connect(blocks, &QAbstractItemModel::modelReset, this, resync);
        connect(blocks, &QAbstractItemModel::dataChanged, this,
                [this, id, reasoning](const QModelIndex& top, const QModelIndex& bottom, const QList<int>& roles) {
                    onBlocksChanged(id, reasoning, top.row(), bottom.row(), roles);
                });
    };
    follow(m_messages->answerBlocksAt(messageRow), m_watchedAnswer, false);
    follow(m_messages->reasoningBlocksAt(messageRow), m_watchedReasoning, true);
}

MessageRowModel::Span MessageRowModel::measure(int messageRow) {
    Span s;
    s.user =
        m_messages->data(m_messages->index(messageRow), MessageModel::RoleNameRole).toString() == QLatin1String("user");
    if (s.user) return s;
    watch(messageRow);
    if (BlockListModel* b = m_messages->answerBlocksAt(messageRow)) s.blocks = b->rowCount();
    if (BlockListModel* r = m_messages->reasoningBlocksAt(messageRow); r && reasoningOpen(messageRow))
        s.reasoning = r->rowCount();
    return s;
}

void MessageRowModel::rebuildStarts() {
    m_start.resize(m_spans.size() + 1);
    int row = 0;
    for (qsizetype i = 0; i < m_spans.size(); ++i) {
        m_start[i] = row;
        row += m_spans[i].size();
    }
    m_start.back() = row;
}

void MessageRowModel::resetAll() {
    m_watchedAnswer.clear();
    m_watchedReasoning.clear();
    m_spans.clear();
    for (int i = 0; i < m_messages->rowCount(); ++i) m_spans.append(measure(i));
    rebuildStarts();
}

void MessageRowModel::onMessagesInserted(int first, int last) {
    QList<Span> added;
    int rows = 0;
    for (int i = first; i <= last; ++i) {
        added.append(measure(i));
        rows += added.back().size();
    }
    const int at = first < m_spans.size() ? m_start[first] : m_start.back();
    beginInsertRows({}, at, at + rows - 1);
    for (qsizetype k = 0; k < added.size(); ++k) m_spans.insert(first + k, added[k]);
    rebuildStarts();
    endInsertRows();
}

void MessageRowModel::onMessagesAboutToBeRemoved(int first, int last) {
    if (first < 0 || last >= m_spans.size() || first > last) return;
    m_removing = first;
    beginRemoveRows({}, m_start[first], m_start[last + 1] - 1);
}

void MessageRowModel::onMessagesRemoved(int first, int last) {
    if (m_removing != first) return;
    m_removing = -1;
    m_spans.remove(first, last - first + 1);
    rebuildStarts();
    endRemoveRows();
}

void MessageRowModel::onMessagesChanged(int first, int last, const QList<int>& roles) {
    QList<int> forwarded = roles;
    if (roles.contains(MessageModel::ReasoningRole)) forwarded.append(HasReasoningRole);
    for (int m = std::max(first, 0); m <= last && m < m_spans.size(); ++m) {
        // Thinking ended or the panel was toggled: reasoning rows come or go.
        if (roles.isEmpty() || roles.contains(MessageModel::ThinkingRole) ||
            roles.contains(MessageModel::ReasoningExpandedRole))
            sync(m);
        // Only the rows that show message-level data hear about it; block rows read their block.
        const int head = m_start[m];
        emit dataChanged(index(head), index(head), forwarded);
        if (!m_spans[m].user) {
            const int foot = m_start[m + 1] - 1;
            emit dataChanged(index(foot), index(foot), forwarded);
        }
    }
}

void MessageRowModel::sync(int messageRow) {
    if (messageRow < 0 || messageRow >= m_spans.size() || m_spans[messageRow].user) return;
    watch(messageRow);  // a model made since (e.g. after a reset of its blocks)
    BlockListModel* reasoning = m_messages->reasoningBlocksAt(messageRow);
    BlockListModel* answer = m_messages->answerBlocksAt(messageRow);
    resizeSection(messageRow, true, reasoning && reasoningOpen(messageRow) ? reasoning->rowCount() : 0);
    resizeSection(messageRow, false, answer ? answer->rowCount() : 0);
}

void MessageRowModel::resizeSection(int messageRow, bool reasoning, int wanted) {
    Span& s = m_spans[messageRow];
    int& have = reasoning ? s.reasoning : s.blocks;
    if (wanted == have) return;
    const int sectionStart = m_start[messageRow] + 1 + (reasoning ? 0 : s.reasoning);
    if (wanted > have) {
        beginInsertRows({}, sectionStart + have, sectionStart + wanted - 1);
        have = wanted;
        rebuildStarts();
        endInsertRows();
    } else {
        beginRemoveRows({}, sectionStart + wanted, sectionStart + have - 1);
        have = wanted;
        rebuildStarts();
        endRemoveRows();
    }
    // The reasoning rows draw one panel between them: its last row closes it, so they hear of the
    // new count (a handful of rows; answer rows do not use it and are not told).
    if (reasoning && wanted > 0)
        emit dataChanged(index(sectionStart), index(sectionStart + wanted - 1), {BlockCountRole});
}

void MessageRowModel::onBlocksChanged(qint64 id, bool reasoning, int first, int last, const QList<int>& roles) {
    const int m = m_messages->rowOf(id);
    if (m < 0 || m >= m_spans.size()) return;
    const Span& s = m_spans[m];
    const int have = reasoning ? s.reasoning : s.blocks;
    last = std::min(last, have - 1);  // rows not shown yet come with their insert
    if (first > last) return;
    QList<int> mapped;
    for (int r : roles)
        if (const int m2 = blockRoleToRowRole(r); m2 >= 0) mapped.append(m2);
    if (!roles.isEmpty() && mapped.isEmpty()) return;
    const int sectionStart = m_start[m] + 1 + (reasoning ? 0 : s.reasoning);
    emit dataChanged(index(sectionStart + first), index(sectionStart + last), mapped);
}

}  // namespace ponder
