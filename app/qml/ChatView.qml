// ChatView.qml: the conversation as rows (one per Markdown block, see MessageRowModel), so only the
// rows near the viewport are made and laid out; follows the bottom while streaming unless the user
// scrolled up.
import QtQuick
import QtQuick.Controls
import Ponder

ListView {
    id: view
    objectName: "chatView"
    required property ChatController chat
    property bool followBottom: true

    model: chat.messages.rows
    clip: true
    spacing: 0   // each row carries the gap after it (blocks and messages are spaced differently)
    // The message under the mouse: all its rows share one hover, which shows its actions.
    property int hoveredMessage: -1
    HoverHandler { onHoveredChanged: if (!hovered) view.hoveredMessage = -1 }
    // Header/footer rather than margins: positionViewAtEnd() ignores bottomMargin.
    header: Item { height: 16; width: 1 }
    footer: Item { height: 16; width: 1 }
    boundsBehavior: Flickable.StopAtBounds
    // There is no current item to show: without this the list's (invisible) highlight glides to
    // the current row at 400 px/s, drawing frames for seconds after every resize of a long chat
    // (about 1.7 cores for 10 s on a software renderer).
    highlightFollowsCurrentItem: false
    ScrollBar.vertical: ScrollBar { id: scrollBar }

    delegate: MessageDelegate {
        chat: view.chat
        width: view.width
    }

    // Following stops when the user scrolls up (drag, wheel, keys, scroll bar) and resumes when they
    // come back to the end. Our own positioning is marked so it never counts as the user's.
    property bool autoScrolling: false
    property real lastContentY: 0
    function followEnd() {
        if (!followBottom) return
        autoScrolling = true
        positionViewAtEnd()
        autoScrolling = false
    }
    // Just after a conversation is opened the list resets its position and its delegates settle to
    // their real heights, which moves contentY up without the user: that opened chats at the top.
    // Until it has settled (or the user moves the view), a move up is ours to undo, not the user's
    // intent.
    property bool opening: false
    Timer { id: openingTimer; interval: 500; onTriggered: view.opening = false }
    onMovingChanged: if (moving) opening = false   // the user's wheel or drag ends it at once
    onContentYChanged: {
        if (!autoScrolling) {
            if (atYEnd) followBottom = true
            else if (contentY < lastContentY - 1) {
                if (opening) Qt.callLater(followEnd)
                else followBottom = false
            }
        }
        lastContentY = contentY
    }
    // A wheel or flick upwards is intent even before contentY has moved far.
    onVerticalVelocityChanged: if (verticalVelocity < 0 && !autoScrolling) followBottom = false
    onCountChanged: Qt.callLater(followEnd)
    // Delegates grow after their text changed (layout happens later), so follow the height too.
    onContentHeightChanged: Qt.callLater(followEnd)
    onHeightChanged: Qt.callLater(followEnd)
    Connections {
        target: view.chat.messages
        function onContentChangedAt(row) { Qt.callLater(view.followEnd) }
        function onModelReset() {
            view.followBottom = true
            view.opening = true
            openingTimer.restart()
            Qt.callLater(view.followEnd)
        }
    }
    Connections {
        target: view.chat
        function onBusyChanged() { if (view.chat.busy) view.followBottom = true }
    }
}
