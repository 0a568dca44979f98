// Composer.qml: the message input: Enter sends, Shift+Enter adds a line, Stop while generating.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder

Rectangle {
    id: composer
    required property ChatController chat
    function focusInput() { input.forceActiveFocus() }
    function submit() {
        // The text stays in the input when sending fails (no model, an error).
        if (composer.chat.send(input.text)) input.text = ""
    }

    implicitHeight: row.implicitHeight + 24 + (draftTokens.visible ? draftTokens.implicitHeight + 4 : 0)
    color: Theme.window

    RowLayout {
        id: row
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 12
        anchors.leftMargin: 24
        anchors.rightMargin: 24
        spacing: 8

        ScrollView {
            Layout.fillWidth: true
            Layout.maximumHeight: 200
            Layout.preferredHeight: Math.min(200, input.implicitHeight)
            TextArea {
                id: input
                objectName: "messageInput"
                placeholderText: qsTr("Message (Enter to send, Shift+Enter for a new line)")
                wrapMode: TextEdit.Wrap
                Accessible.name: qsTr("Message")
                focus: true
                color: Theme.text
                placeholderTextColor: Theme.quietText
                onTextChanged: composer.chat.draft.setText(text)
                background: Rectangle {
                    radius: Theme.radius
                    color: Theme.surface
                    border.color: input.activeFocus ? Theme.accent : Theme.border
                }
                Keys.onPressed: (event) => {
                    if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                            && !(event.modifiers & Qt.ShiftModifier)) {
                        event.accepted = true
                        if (!composer.chat.busy) composer.submit()
                    }
                }
            }
        }
        Button {
            objectName: composer.chat.busy ? "stopButton" : "sendButton"
            text: composer.chat.busy ? qsTr("Stop") : qsTr("Send")
            highlighted: !composer.chat.busy
            palette.dark: Theme.accent
            enabled: composer.chat.busy || input.text.trim().length > 0
            opacity: enabled ? 1 : 0.5   // the palette has no disabled accent of its own
            Accessible.name: composer.chat.busy ? qsTr("Stop generating") : qsTr("Send message")
            ToolTip.visible: hovered
            ToolTip.text: composer.chat.busy ? qsTr("Stop (Esc)") : qsTr("Send (Enter)")
            onClicked: composer.chat.busy ? composer.chat.stop() : composer.submit()
        }
    }
    DraftTokenLabel {
        id: draftTokens
        chat: composer.chat
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: row.bottom
        anchors.topMargin: 4
        anchors.leftMargin: 28
        anchors.rightMargin: 24
    }
}
