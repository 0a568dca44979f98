// message_model_test.cpp: the message tree's visible path, branch switching and streaming updates.
#include "chat/message_model.h"
#include "chat/block_list_model.h"

#include <gtest/gtest.h>
#include <QAbstractItemModelTester>
#include <QSignalSpy>

using ponder::ChatTurn;
using ponder::MessageModel;
using ponder::MessageNode;

namespace {

MessageNode node(qint64 id, qint64 parent, ChatTurn::Role role, const QString& text) {
    MessageNode n;
    n.id = id;
    n.parentId = parent;
    n.role = role;
    n.content = text;
    return n;
}

QString contentAt(const MessageModel& m, int row) { return m.data(m.index(row), MessageModel::ContentRole).toString(); }

}  // namespace

TEST(MessageModel, ShowsNewestBranchOrTheRequestedLeaf) {
    MessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const QList<MessageNode> tree{node(1, 0, ChatTurn::Role::User, "q"), node(2, 1, ChatTurn::Role::Assistant, "a1"),
                                  node(3, 1, ChatTurn::Role::Assistant, "a2")};
    model.setMessages(tree);
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(contentAt(model, 1), "a2");
    EXPECT_EQ(model.data(model.index(1), MessageModel::BranchIndexRole).toInt(), 2);
    EXPECT_EQ(model.data(model.index(1), MessageModel::BranchCountRole).toInt(), 2);

    model.setMessages(tree, 2);
    EXPECT_EQ(contentAt(model, 1), "a1");
    EXPECT_EQ(model.data(model.index(1), MessageModel::BranchIndexRole).toInt(), 1);
}

TEST(MessageModel, AddingASiblingReplacesTheRowsBelowAndArrowsSwitchBack) {
    MessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setMessages({node(1, 0, ChatTurn::Role::User, "q1"), node(2, 1, ChatTurn::Role::Assistant, "a1"),
                       node(3, 2, ChatTurn::Role::User, "q2"), node(4, 3, ChatTurn::Role::Assistant, "a2")});
    ASSERT_EQ(model.rowCount(), 4);
    // Editing q1 adds a sibling under the root: the old continuation disappears from view.
    model.addNode(node(5, 0, ChatTurn::Role::User, "q1 edited"));
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(contentAt(model, 0), "q1 edited");
    EXPECT_EQ(model.data(model.index(0), MessageModel::BranchCountRole).toInt(), 2);

    ASSERT_TRUE(model.switchBranch(0, -1));
    ASSERT_EQ(model.rowCount(), 4);  // the original branch, all the way down
    EXPECT_EQ(contentAt(model, 3), "a2");
    EXPECT_FALSE(model.switchBranch(0, -1));  // already the first
    ASSERT_TRUE(model.switchBranch(0, +1));
    EXPECT_EQ(model.rowCount(), 1);
}

TEST(MessageModel, StreamingAppendsAndThinkingState) {
    MessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.addNode(node(1, 0, ChatTurn::Role::User, "hi"));
    MessageNode reply = node(2, 1, ChatTurn::Role::Assistant, {});
    reply.status = MessageNode::Status::Streaming;
    model.addNode(reply);
    QSignalSpy grew(&model, &MessageModel::contentChangedAt);
    EXPECT_TRUE(model.data(model.index(1), MessageModel::ThinkingRole).toBool());
    model.appendReasoning(2, "let me ");
    model.appendReasoning(2, "think");
    EXPECT_TRUE(model.data(model.index(1), MessageModel::ThinkingRole).toBool());
    model.appendContent(2, "Hello");
    EXPECT_FALSE(model.data(model.index(1), MessageModel::ThinkingRole).toBool());
    EXPECT_EQ(model.data(model.index(1), MessageModel::ReasoningRole).toString(), "let me think");
    EXPECT_EQ(grew.count(), 3);
    auto* blocks =
        qobject_cast<QAbstractItemModel*>(model.data(model.index(1), MessageModel::BlocksRole).value<QObject*>());
    ASSERT_NE(blocks, nullptr);
    ASSERT_EQ(blocks->rowCount(), 1);
    EXPECT_EQ(blocks->data(blocks->index(0, 0), ponder::BlockListModel::TextRole).toString(), "Hello");
    // The same object grows while it streams: the view keeps its delegates.
    model.appendContent(2, " world\n\nSecond paragraph");
    EXPECT_EQ(model.data(model.index(1), MessageModel::BlocksRole).value<QObject*>(), blocks);
    ASSERT_EQ(blocks->rowCount(), 2);
    EXPECT_EQ(blocks->data(blocks->index(0, 0), ponder::BlockListModel::TextRole).toString(), "Hello world");
    model.setStatus(2, MessageNode::Status::Stopped);
    EXPECT_EQ(model.data(model.index(1), MessageModel::StatusRole).toString(), "stopped");
    EXPECT_EQ(model.data(model.index(1), MessageModel::ContentRole).toString(), "Hello world\n\nSecond paragraph");
}

TEST(MessageModel, PathToStopsOnACycleInsteadOfLooping) {
    MessageModel model;
    // A corrupt store could hand us a parent cycle; the path must still end.
    model.setMessages({node(1, 2, ChatTurn::Role::User, "a"), node(2, 1, ChatTurn::Role::Assistant, "b")});
    EXPECT_LE(model.pathTo(1).size(), 3);
    EXPECT_EQ(model.rowCount(), 0);  // nothing hangs from the root
}

TEST(MessageModel, ReasoningExpandedIsKeptPerMessage) {
    MessageModel model;
    model.setMessages({node(1, 0, ChatTurn::Role::User, "q"), node(2, 1, ChatTurn::Role::Assistant, "a")});
    EXPECT_FALSE(model.data(model.index(1), MessageModel::ReasoningExpandedRole).toBool());
    model.setReasoningExpanded(1, true);
    EXPECT_TRUE(model.data(model.index(1), MessageModel::ReasoningExpandedRole).toBool());
    EXPECT_FALSE(model.data(model.index(0), MessageModel::ReasoningExpandedRole).toBool());
}

// --- MessageRowModel: the chat view's rows, one per block

namespace {

using ponder::BlockListModel;
using ponder::MessageRowModel;

QString rowKinds(const MessageRowModel& rows) {
    QStringList out;
    for (int r = 0; r < rows.rowCount(); ++r) {
        const QModelIndex i = rows.index(r);
        QString k = rows.data(i, MessageRowModel::RowKindRole).toString();
        if (k == "block" || k == "reasoning") k += ":" + rows.data(i, MessageRowModel::BlockTextRole).toString();
        out.append(QStringLiteral("%1/%2").arg(rows.data(i, MessageRowModel::MessageRowRole).toInt()).arg(k));
    }
    return out.join(u' ');
}

// What the rows must be, computed from scratch: the incremental bookkeeping has to agree.
QString expectedKinds(const MessageModel& m) {
    QStringList out;
    for (int row = 0; row < m.rowCount(); ++row) {
        const QModelIndex i = m.index(row);
        if (m.data(i, MessageModel::RoleNameRole).toString() == "user") {
            out.append(QStringLiteral("%1/user").arg(row));
            continue;
        }
        out.append(QStringLiteral("%1/head").arg(row));
        if (m.data(i, MessageModel::ThinkingRole).toBool() || m.data(i, MessageModel::ReasoningExpandedRole).toBool()) {
            const BlockListModel* r = m.reasoningBlocksAt(row);
            for (int b = 0; b < r->rowCount(); ++b)
                out.append(QStringLiteral("%1/reasoning:%2")
                               .arg(row)
                               .arg(r->data(r->index(b), BlockListModel::TextRole).toString()));
        }
        const BlockListModel* a = m.answerBlocksAt(row);
        for (int b = 0; b < a->rowCount(); ++b)
            out.append(
                QStringLiteral("%1/block:%2").arg(row).arg(a->data(a->index(b), BlockListModel::TextRole).toString()));
        out.append(QStringLiteral("%1/foot").arg(row));
    }
    return out.join(u' ');
}

}  // namespace

TEST(MessageRowModel, EachBlockOfAnAnswerIsOneRowBetweenItsHeadAndFoot) {
    MessageModel model;
    QAbstractItemModelTester tester(model.rows(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setMessages({node(1, 0, ChatTurn::Role::User, "q"),
                       node(2, 1, ChatTurn::Role::Assistant, "one\n\ntwo\n\n```\ncode\n```\n")});
    EXPECT_EQ(rowKinds(*model.rows()), "0/user 1/head 1/block:one 1/block:two 1/block:code 1/foot");
    EXPECT_EQ(rowKinds(*model.rows()), expectedKinds(model));
    // Rows answer their message's roles too, by the same names.
    const QModelIndex foot = model.rows()->index(5);
    EXPECT_EQ(model.rows()->data(foot, MessageModel::ContentRole).toString(), contentAt(model, 1));
    EXPECT_EQ(model.rows()->data(model.rows()->index(4), MessageRowModel::BlockKindRole).toString(), "code");
    EXPECT_EQ(model.rows()->firstRowOf(1), 1);
    EXPECT_TRUE(model.rows()->roleNames().values().contains("status"));
}

TEST(MessageRowModel, StreamingChangesOnlyTheLastBlockRowAndAppendsNewOnes) {
    MessageModel model;
    QAbstractItemModelTester tester(model.rows(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setMessages({node(1, 0, ChatTurn::Role::User, "q")});
    MessageNode reply = node(2, 1, ChatTurn::Role::Assistant, "");
    reply.status = MessageNode::Status::Streaming;
    model.addNode(reply);
    EXPECT_EQ(rowKinds(*model.rows()), "0/user 1/head 1/foot");

    QSignalSpy changed(model.rows(), &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(model.rows(), &QAbstractItemModel::rowsInserted);
    model.appendContent(2, "first paragraph");
    EXPECT_EQ(rowKinds(*model.rows()), "0/user 1/head 1/block:first paragraph 1/foot");
    model.appendContent(2, " grows");
    changed.clear();
    inserted.clear();
    model.appendContent(2, " more");
    // One piece: the block row being written changes, nothing else (no message-wide update).
    ASSERT_EQ(changed.size(), 1);
    EXPECT_EQ(changed[0][0].toModelIndex().row(), 2);
    EXPECT_EQ(changed[0][1].toModelIndex().row(), 2);
    EXPECT_TRUE(inserted.isEmpty());
    model.appendContent(2, "\n\nsecond\n\nthird");
    EXPECT_EQ(rowKinds(*model.rows()), expectedKinds(model));
    EXPECT_EQ(model.rows()->rowCount(), 6);
    model.setStatus(2, MessageNode::Status::Done);
    EXPECT_EQ(rowKinds(*model.rows()), expectedKinds(model));
}

TEST(MessageRowModel, ReasoningRowsShowWhileThinkingOrExpanded) {
    MessageModel model;
    QAbstractItemModelTester tester(model.rows(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setMessages({node(1, 0, ChatTurn::Role::User, "q")});
    MessageNode reply = node(2, 1, ChatTurn::Role::Assistant, "");
    reply.status = MessageNode::Status::Streaming;
    model.addNode(reply);
    model.appendReasoning(2, "think a\n\nthink b");
    EXPECT_EQ(rowKinds(*model.rows()), "0/user 1/head 1/reasoning:think a 1/reasoning:think b 1/foot");
    // The answer starts: thinking is over, the panel closes.
    model.appendContent(2, "answer");
    EXPECT_EQ(rowKinds(*model.rows()), "0/user 1/head 1/block:answer 1/foot");
    model.setReasoningExpanded(1, true);
    EXPECT_EQ(rowKinds(*model.rows()), expectedKinds(model));
    EXPECT_EQ(model.rows()->rowCount(), 6);
    model.setReasoningExpanded(1, false);
    EXPECT_EQ(rowKinds(*model.rows()), "0/user 1/head 1/block:answer 1/foot");
}

TEST(MessageRowModel, FollowsBranchesResetsAndNewMessages) {
    MessageModel model;
    QAbstractItemModelTester tester(model.rows(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setMessages({node(1, 0, ChatTurn::Role::User, "q1"), node(2, 1, ChatTurn::Role::Assistant, "a\n\nb"),
                       node(3, 2, ChatTurn::Role::User, "q2"), node(4, 3, ChatTurn::Role::Assistant, "c")});
    EXPECT_EQ(rowKinds(*model.rows()), expectedKinds(model));
    model.addNode(node(5, 1, ChatTurn::Role::Assistant, "regenerated"));  // replaces rows 1..3
    EXPECT_EQ(rowKinds(*model.rows()), "0/user 1/head 1/block:regenerated 1/foot");
    ASSERT_TRUE(model.switchBranch(1, -1));
    EXPECT_EQ(rowKinds(*model.rows()), expectedKinds(model));
    EXPECT_EQ(model.rows()->firstRowOf(2), 5);
    model.clear();
    EXPECT_EQ(model.rows()->rowCount(), 0);
}
