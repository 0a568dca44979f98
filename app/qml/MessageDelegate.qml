// MessageDelegate.qml: one message: the user's bubble (editable) or the answer with its reasoning, blocks and actions.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder

Item {
    id: message
    required property ChatController chat
    required property int index
    required property var messageId
    required property string role
    required property string content
    required property string reasoning
    required property string status
    required property bool thinking
    required property int reasoningSeconds
    required property var blocks         // BlockListModel: grows in place while streaming
    required property var reasoningBlocks
    required property int branchIndex
    required property int branchCount
    required property var stats
    required property bool reasoningExpanded

    readonly property bool isUser: role === "user"
    readonly property Item view: ListView.view
    property bool editing: false

    objectName: "message_" + index
    implicitHeight: column.implicitHeight + 12

    HoverHandler { id: hover }

    ColumnLayout {
        id: column
        anchors.horizontalCenter: parent.horizontalCenter
        width: Math.min(parent.width - 48, 820)
        spacing: 6

        // --- the user's message
        Rectangle {
            visible: message.isUser && !message.editing
            Layout.alignment: Qt.AlignRight
            Layout.maximumWidth: column.width * 0.8
            implicitWidth: userText.implicitWidth + 24
            implicitHeight: userText.implicitHeight + 16
            radius: Theme.radius * 1.5
            color: Theme.userBubble
            TextEdit {
                id: userText
                objectName: "userText"
                x: 12; y: 8
                width: Math.min(implicitWidth, column.width * 0.8 - 24)
                readOnly: true
                selectByMouse: true
                wrapMode: TextEdit.Wrap
                text: message.isUser ? message.content : ""   // an answer is laid out by its blocks only
                color: Theme.text
                font.pointSize: Theme.fontSize
            }
        }
        ColumnLayout {
            visible: message.editing
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
                    onClicked: message.editing = false
                }
                Button {
                    objectName: "resendButton"
                    text: qsTr("Send as new branch")
                    highlighted: true
                    palette.dark: Theme.accent
                    onClicked: if (message.chat.editAndResend(message.index, editArea.text)) message.editing = false
                }
            }
        }

        // --- the answer
        ReasoningPanel {
            objectName: "reasoningPanel"
            Layout.fillWidth: true
            visible: !message.isUser && (message.reasoning.length > 0 || message.thinking)
            blocks: message.reasoningBlocks
            thinking: message.thinking
            seconds: message.reasoningSeconds
            expanded: message.reasoningExpanded
            onToggled: message.chat.messages.setReasoningExpanded(message.index, !message.reasoningExpanded)
        }
        // A plain Column, not a layout: a long answer has hundreds of blocks, and a layout would
        // recompute all of them whenever the last one grows.
        Column {
            id: blocksColumn
            Layout.fillWidth: true
            visible: !message.isUser
            spacing: 6
            Repeater {
                model: message.isUser ? null : message.blocks
                delegate: Loader {
                    id: blockLoader
                    required property string kind
                    required property string text
                    required property string language
                    required property string html
                    width: blocksColumn.width
                    // Blocks far outside the viewport are not drawn (opacity 0 keeps their place in
                    // the Column): a long answer's scene then costs what the screen shows.
                    readonly property real topInView: message.y + column.y + blocksColumn.y + y
                    opacity: !message.view || (topInView + height > message.view.contentY - message.view.height
                                                && topInView < message.view.contentY + 2 * message.view.height) ? 1 : 0
                    sourceComponent: blockLoader.kind === "code" ? codeComponent : proseComponent
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
                                markdown: blockLoader.text
                            }
                        }
                    }
                    Component {
                        id: codeComponent
                        CodeBlock {
                            code: blockLoader.text
                            language: blockLoader.language
                            html: blockLoader.html
                            onCopyRequested: (text) => message.chat.copyText(text)
                        }
                    }
                }
            }
        }
        Label {
            objectName: "statusNote"
            visible: !message.isUser
                     && (message.status === "stopped" || message.status === "interrupted" || message.status === "failed")
            text: message.status === "stopped" ? qsTr("Stopped")
                : message.status === "interrupted" ? qsTr("Interrupted: Ponder closed before this answer was finished.")
                : qsTr("The answer could not be finished.")
            color: message.status === "failed" ? Theme.danger : Theme.quietText
            font.pointSize: Theme.smallSize
            font.italic: true
        }

        // Shown, not behind the hover actions: a stopped or interrupted answer (the newest of its
        // branch) goes on where it ended.
        Button {
            objectName: "continueButton"
            visible: !message.isUser && (message.status === "stopped" || message.status === "interrupted")
                     && message.index === message.chat.messages.count - 1
            enabled: !message.chat.busy
            flat: true
            text: qsTr("Continue")
            font.pointSize: Theme.smallSize
            Accessible.name: qsTr("Continue this answer")
            onClicked: message.chat.continueReply(message.index)
        }
        ReplyNotices {
            Layout.fillWidth: true
            stats: message.stats
            content: message.isUser ? "" : message.content
            status: message.status
        }

        // Speed under every finished answer, always visible (it was a hover-only tooltip).
        Label {
            objectName: "statsLabel"
            visible: !message.isUser && message.stats.tokens !== undefined && message.status !== "streaming"
            text: message.stats.tokens === undefined ? ""
                  : qsTr("First token after %1 ms · %2 tokens/s · %3 tokens · %4")
                      .arg(Math.round(message.stats.ttftMs))
                      .arg(message.stats.tokensPerSecond.toFixed(1))
                      .arg(message.stats.tokens)
                      .arg(message.stats.backend)
            color: Theme.quietText
            font.pointSize: Theme.smallSize
        }

        // --- actions: branch arrows, copy, edit / regenerate
        RowLayout {
            Layout.alignment: message.isUser ? Qt.AlignRight : Qt.AlignLeft
            spacing: 2
            visible: !message.editing && message.status !== "streaming"
            opacity: hover.hovered || message.branchCount > 1 ? 1 : 0.0
            ToolButton {
                objectName: "previousBranch"
                visible: message.branchCount > 1
                enabled: message.branchIndex > 1 && !message.chat.busy
                text: "‹"
                Accessible.name: qsTr("Previous version")
                onClicked: message.chat.switchBranch(message.index, -1)
            }
            Label {
                objectName: "branchLabel"
                visible: message.branchCount > 1
                text: qsTr("%1 / %2").arg(message.branchIndex).arg(message.branchCount)
                color: Theme.quietText
                font.pointSize: Theme.smallSize
            }
            ToolButton {
                objectName: "nextBranch"
                visible: message.branchCount > 1
                enabled: message.branchIndex < message.branchCount && !message.chat.busy
                text: "›"
                Accessible.name: qsTr("Next version")
                onClicked: message.chat.switchBranch(message.index, 1)
            }
            ToolButton {
                text: qsTr("Copy")
                font.pointSize: Theme.smallSize
                Accessible.name: qsTr("Copy message")
                onClicked: message.chat.copyText(message.content)
            }
            ToolButton {
                objectName: "editButton"
                visible: message.isUser
                enabled: !message.chat.busy
                text: qsTr("Edit")
                font.pointSize: Theme.smallSize
                Accessible.name: qsTr("Edit and resend")
                onClicked: { editArea.text = message.content; message.editing = true; editArea.forceActiveFocus() }
            }
            ToolButton {
                objectName: "deleteMessageButton"
                enabled: !message.chat.busy
                text: qsTr("Delete")
                font.pointSize: Theme.smallSize
                Accessible.name: message.isUser ? qsTr("Delete this question and its answers")
                                                : qsTr("Delete this answer")
                onClicked: message.chat.deleteMessage(message.index)
            }
            ToolButton {
                objectName: "regenerateButton"
                visible: !message.isUser
                enabled: !message.chat.busy
                text: qsTr("Regenerate")
                font.pointSize: Theme.smallSize
                Accessible.name: qsTr("Regenerate answer")
                onClicked: message.chat.regenerate(message.index)
            }
        }
    }
}
