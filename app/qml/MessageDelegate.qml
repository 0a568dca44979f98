// MessageDelegate.qml: one row of the chat view (MessageRowModel): a user's message (bubble, edit,
// actions), or one piece of an answer: its reasoning header, one reasoning block, one answer block
// (prose or code), or its footer (status, speed, actions). The view creates only the rows near the
// viewport, so a long answer costs what the screen shows.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder

Item {
    id: row
    required property ChatController chat
    required property int index
    required property var model          // the row's roles, and its message's (MessageModel's names)

    readonly property string kind: model.rowKind
    readonly property int messageRow: model.messageRow
    readonly property Item view: ListView.view
    readonly property bool messageHovered: view !== null && view.hoveredMessage === messageRow
    // The rows of one message share its column; the gap after a row separates blocks and messages.
    readonly property real columnWidth: Math.max(0, Math.min(width - 48, 820))
    readonly property real gap: kind === "user" || kind === "foot" ? 16
                              : kind === "head" ? (model.hasReasoning || model.thinking ? 6 : 0)
                              : kind === "block" ? 6
                              : kind === "reasoning" && model.blockIndex === model.blockCount - 1 ? 6 : 0

    // A block that goes on from the one before (a long paragraph or code block in parts, see
    // MarkdownStream) is drawn over the gap above it, so the parts read as one.
    readonly property bool joinsAbove: kind === "block" && model.blockJoin !== ""
    readonly property real pullUp: !joinsAbove ? 0 : model.blockKind === "code" ? 12 : 6

    objectName: kind === "user" || kind === "head" ? "message_" + messageRow : ""
    implicitHeight: (loader.item ? loader.item.implicitHeight : 0) + gap - pullUp
    z: joinsAbove ? 1 : 0

    // Hovering any row of a message shows that message's actions (they sit in its last row).
    HoverHandler {
        id: hover
        onHoveredChanged: if (hovered && row.view) row.view.hoveredMessage = row.messageRow
    }

    Loader {
        id: loader
        x: (row.width - row.columnWidth) / 2
        y: -row.pullUp
        width: row.columnWidth
        sourceComponent: row.kind === "user" ? userComponent
                       : row.kind === "head" ? headComponent
                       : row.kind === "reasoning" ? reasoningComponent
                       : row.kind === "block" ? (row.model.blockKind === "code" ? codeComponent : proseComponent)
                       : row.kind === "foot" ? footComponent : null
    }

    // --- the user's message, with its actions
    Component {
        id: userComponent
        ColumnLayout {
            id: userColumn
            spacing: 6
            property bool editing: false
            Rectangle {
                visible: !userColumn.editing
                Layout.alignment: Qt.AlignRight
                Layout.maximumWidth: userColumn.width * 0.8
                implicitWidth: userText.implicitWidth + 24
                implicitHeight: userText.implicitHeight + 16
                radius: Theme.radius * 1.5
                color: Theme.userBubble
                TextEdit {
                    id: userText
                    objectName: "userText"
                    x: 12; y: 8
                    width: Math.min(implicitWidth, userColumn.width * 0.8 - 24)
                    readOnly: true
                    selectByMouse: true
                    wrapMode: TextEdit.Wrap
                    text: row.model.content
                    color: Theme.text
                    font.pointSize: Theme.fontSize
                }
            }
            ColumnLayout {
                visible: userColumn.editing
                Layout.fillWidth: true
                TextArea {
                    id: editArea
                    objectName: "editArea"
                    Layout.fillWidth: true
                    wrapMode: TextEdit.Wrap
                    Accessible.name: qsTr("Edit message")
                }
                RowLayout {
                    Layout.alignment: Qt.AlignRight
                    Button {
                        text: qsTr("Cancel")
                        onClicked: userColumn.editing = false
                    }
                    Button {
                        objectName: "resendButton"
                        text: qsTr("Send as new branch")
                        highlighted: true
                        palette.dark: Theme.accent
                        onClicked: if (row.chat.editAndResend(row.messageRow, editArea.text)) userColumn.editing = false
                    }
                }
            }
            MessageActions {
                Layout.alignment: Qt.AlignRight
                visible: !userColumn.editing
                chat: row.chat
                messageRow: row.messageRow
                isUser: true
                content: row.model.content
                branchIndex: row.model.branchIndex
                branchCount: row.model.branchCount
                hovered: row.messageHovered
                onEditRequested: {
                    editArea.text = row.model.content
                    userColumn.editing = true
                    editArea.forceActiveFocus()
                }
            }
        }
    }

    // --- the answer's reasoning header; its blocks are the "reasoning" rows below while it is open
    Component {
        id: headComponent
        Item {
            implicitHeight: panel.visible ? panel.implicitHeight : 0
            ReasoningPanel {
                id: panel
                width: parent.width
                visible: row.model.hasReasoning || row.model.thinking
                thinking: row.model.thinking
                seconds: row.model.reasoningSeconds
                expanded: row.model.reasoningExpanded
                onToggled: row.chat.messages.setReasoningExpanded(row.messageRow, !row.model.reasoningExpanded)
            }
        }
    }

    // --- one reasoning block, on the panel's background (the rows together draw one panel)
    Component {
        id: reasoningComponent
        Rectangle {
            id: reasoningRow
            readonly property bool first: row.model.blockIndex === 0
            readonly property bool last: row.model.blockIndex === row.model.blockCount - 1
            readonly property real padTop: first ? 8 : 3
            implicitHeight: reasoningText.implicitHeight + padTop + (last ? 8 : 3)
            color: "transparent"
            // The panel's rounded background, cut at this row's edges unless it is the first or last.
            Item {
                anchors.fill: parent
                clip: true
                Rectangle {
                    x: 0
                    y: reasoningRow.first ? 0 : -Theme.radius
                    width: parent.width
                    height: parent.height + (reasoningRow.first ? 0 : Theme.radius) + (reasoningRow.last ? 0 : Theme.radius)
                    radius: Theme.radius
                    color: Theme.reasoningBackground
                }
            }
            Rectangle { width: 3; height: parent.height; radius: 1; color: Theme.border }
            TextEdit {
                id: reasoningText
                objectName: "reasoningText"
                x: 14
                y: parent.padTop
                width: parent.width - 22
                readOnly: true
                selectByMouse: true
                wrapMode: TextEdit.Wrap
                textFormat: TextEdit.PlainText
                text: row.model.blockText
                color: Theme.quietText
                font.pointSize: Theme.smallSize
                selectionColor: Theme.selection
                selectedTextColor: Theme.text
            }
        }
    }

    // --- one answer block
    Component {
        id: proseComponent
        TextEdit {
            id: prose
            objectName: "answerText"
            readOnly: true
            selectByMouse: true
            textFormat: TextEdit.PlainText   // the document is filled by MarkdownDocument
            wrapMode: TextEdit.Wrap
            color: Theme.text
            font.pointSize: Theme.fontSize
            selectionColor: Theme.selection
            selectedTextColor: Theme.text
            onLinkActivated: (link) => {}   // offline app: links are not opened
            MarkdownDocument {
                document: prose.textDocument
                markdown: row.model.blockText
                continuesLine: row.model.blockJoin === "sameLine"
            }
        }
    }
    Component {
        id: codeComponent
        CodeBlock {
            code: row.model.blockText
            language: row.model.blockLanguage
            html: row.model.blockHtml
            joinsAbove: row.joinsAbove
            // The Copy button (on the first part only) copies every part of the block.
            onCopyRequested: row.chat.copyText(row.view.model.wholeCodeAt(row.index))
        }
    }

    // --- the answer's footer: how it ended, its speed, its actions
    Component {
        id: footComponent
        ColumnLayout {
            spacing: 6
            // A continued answer has its text already, so until the first new piece nothing
            // would move while the engine reads the conversation again (a new answer shows its
            // thinking panel meanwhile).
            Label {
                objectName: "readingNote"
                visible: row.model.status === "streaming" && row.chat.readingPrompt && row.model.content !== ""
                text: qsTr("Reading the conversation…")
                color: Theme.quietText
                font.pointSize: Theme.smallSize
                font.italic: true
                SequentialAnimation on opacity {
                    running: parent.visible
                    loops: Animation.Infinite
                    NumberAnimation { to: 0.4; duration: 700 }
                    NumberAnimation { to: 1.0; duration: 700 }
                }
            }
            Label {
                objectName: "statusNote"
                visible: row.model.status === "stopped" || row.model.status === "interrupted" || row.model.status === "failed"
                text: row.model.status === "stopped" ? qsTr("Stopped")
                    : row.model.status === "interrupted" ? qsTr("Interrupted: Ponder closed before this answer was finished.")
                    : qsTr("The answer could not be finished.")
                color: row.model.status === "failed" ? Theme.danger : Theme.quietText
                font.pointSize: Theme.smallSize
                font.italic: true
            }
            // Shown, not behind the hover actions: a stopped or interrupted answer (the newest of
            // its branch) goes on where it ended.
            Button {
                objectName: "continueButton"
                visible: (row.model.status === "stopped" || row.model.status === "interrupted")
                         && row.messageRow === row.chat.messages.count - 1
                enabled: !row.chat.busy
                flat: true
                text: qsTr("Continue")
                font.pointSize: Theme.smallSize
                Accessible.name: qsTr("Continue this answer")
                onClicked: row.chat.continueReply(row.messageRow)
            }
            ReplyNotices {
                Layout.fillWidth: true
                stats: row.model.stats
                content: row.model.content
                status: row.model.status
            }
            // Speed under every finished answer, always visible (it was a hover-only tooltip).
            Label {
                objectName: "statsLabel"
                visible: row.model.stats.tokens !== undefined && row.model.status !== "streaming"
                text: row.model.stats.tokens === undefined ? ""
                      : qsTr("First token after %1 ms · %2 tokens/s · %3 tokens · %4")
                          .arg(Math.round(row.model.stats.ttftMs))
                          .arg(row.model.stats.tokensPerSecond.toFixed(1))
                          .arg(row.model.stats.tokens)
                          .arg(row.model.stats.backend)
                color: Theme.quietText
                font.pointSize: Theme.smallSize
            }
            MessageActions {
                visible: row.model.status !== "streaming"
                chat: row.chat
                messageRow: row.messageRow
                content: row.model.content
                branchIndex: row.model.branchIndex
                branchCount: row.model.branchCount
                hovered: row.messageHovered
            }
        }
    }

    // --- a message's actions: branch arrows, copy, edit (questions) / regenerate (answers), delete
    component MessageActions: RowLayout {
        id: actions
        property ChatController chat
        property int messageRow: -1
        property bool isUser: false
        property string content
        property int branchIndex: 1
        property int branchCount: 1
        property bool hovered: false
        signal editRequested()
        spacing: 2
        opacity: hovered || branchCount > 1 ? 1 : 0.0
        ToolButton {
            objectName: "previousBranch"
            visible: actions.branchCount > 1
            enabled: actions.branchIndex > 1 && !actions.chat.busy
            text: "‹"
            Accessible.name: qsTr("Previous version")
            onClicked: actions.chat.switchBranch(actions.messageRow, -1)
        }
        Label {
            objectName: "branchLabel"
            visible: actions.branchCount > 1
            text: qsTr("%1 / %2").arg(actions.branchIndex).arg(actions.branchCount)
            color: Theme.quietText
            font.pointSize: Theme.smallSize
        }
        ToolButton {
            objectName: "nextBranch"
            visible: actions.branchCount > 1
            enabled: actions.branchIndex < actions.branchCount && !actions.chat.busy
            text: "›"
            Accessible.name: qsTr("Next version")
            onClicked: actions.chat.switchBranch(actions.messageRow, 1)
        }
        ToolButton {
            text: qsTr("Copy")
            font.pointSize: Theme.smallSize
            Accessible.name: qsTr("Copy message")
            onClicked: actions.chat.copyText(actions.content)
        }
        ToolButton {
            objectName: "editButton"
            visible: actions.isUser
            enabled: !actions.chat.busy
            text: qsTr("Edit")
            font.pointSize: Theme.smallSize
            Accessible.name: qsTr("Edit and resend")
            onClicked: actions.editRequested()
        }
        ToolButton {
            objectName: "deleteMessageButton"
            enabled: !actions.chat.busy
            text: qsTr("Delete")
            font.pointSize: Theme.smallSize
            Accessible.name: actions.isUser ? qsTr("Delete this question and its answers")
                                            : qsTr("Delete this answer")
            onClicked: actions.chat.deleteMessage(actions.messageRow)
        }
        ToolButton {
            objectName: "regenerateButton"
            visible: !actions.isUser
            enabled: !actions.chat.busy
            text: qsTr("Regenerate")
            font.pointSize: Theme.smallSize
            Accessible.name: qsTr("Regenerate answer")
            onClicked: actions.chat.regenerate(actions.messageRow)
        }
    }
}
