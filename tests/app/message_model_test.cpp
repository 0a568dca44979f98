// message_model_test.cpp: the message tree's visible path, branch switching and streaming updates.
#include "chat/block_list_model.h"
#include "chat/message_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <gtest/gtest.h>

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

QString contentAt(const MessageModel& m, int row) {
    return m.data(m.index(row), MessageModel::ContentRole).toString();
}

}  // namespace

TEST(MessageModel, ShowsNewestBranchOrTheRequestedLeaf) {
    MessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const QList<MessageNode> tree{node(1, 0, ChatTurn::Role::User, "q"),
                                  node(2, 1, ChatTurn::Role::Assistant, "a1"),
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
    ASSERT_EQ(model.rowCount(), 4);   // the original branch, all the way down
    EXPECT_EQ(contentAt(model, 3), "a2");
    EXPECT_FALSE(model.switchBranch(0, -1));   // already the first
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
    auto* blocks = qobject_cast<QAbstractItemModel*>(model.data(model.index(1), MessageModel::BlocksRole).value<QObject*>());
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
    EXPECT_EQ(model.rowCount(), 0);   // nothing hangs from the root
}

TEST(MessageModel, ReasoningExpandedIsKeptPerMessage) {
    MessageModel model;
    model.setMessages({node(1, 0, ChatTurn::Role::User, "q"), node(2, 1, ChatTurn::Role::Assistant, "a")});
    EXPECT_FALSE(model.data(model.index(1), MessageModel::ReasoningExpandedRole).toBool());
    model.setReasoningExpanded(1, true);
    EXPECT_TRUE(model.data(model.index(1), MessageModel::ReasoningExpandedRole).toBool());
    EXPECT_FALSE(model.data(model.index(0), MessageModel::ReasoningExpandedRole).toBool());
}
