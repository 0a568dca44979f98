// ChatView.qml: the conversation's messages; follows the bottom while streaming unless the user scrolled up.
import QtQuick
import QtQuick.Controls
import Ponder

ListView {
    id: view
    objectName: "chatView"
    required property ChatController chat
    property bool followBottom: true

    model: chat.messages
    clip: true
    spacing: 4
    topMargin: 16
    bottomMargin: 16
    boundsBehavior: Flickable.StopAtBounds
    ScrollBar.vertical: ScrollBar { id: scrollBar }

    delegate: MessageDelegate {
        chat: view.chat
        width: view.width
    }

    // Only the user's own scrolling decides whether to keep following.
    onContentYChanged: if (moving || scrollBar.pressed) followBottom = atYEnd
    onMovementEnded: followBottom = atYEnd
    onCountChanged: if (followBottom) Qt.callLater(positionViewAtEnd)
    Connections {
        target: view.chat.messages
        function onContentChangedAt(row) { if (view.followBottom) Qt.callLater(view.positionViewAtEnd) }
        function onModelReset() { view.followBottom = true; Qt.callLater(view.positionViewAtEnd) }
    }
    Connections {
        target: view.chat
        function onBusyChanged() { if (view.chat.busy) view.followBottom = true }
    }
}
