// ReasoningPanel.qml: the reasoning's header row: "Thinking… N s" while the model reasons (live), then
// "Thought for N s"; click to expand. The reasoning text itself is shown by the rows below it (one
// per block, see MessageDelegate.qml), so a long reasoning is virtualised like the answer.
import QtQuick
import QtQuick.Controls
import Ponder

AbstractButton {
    id: panel
    property bool thinking: false
    property bool expanded: false
    property int seconds: 0
    signal toggled()

    property double startedAt: 0
    property int liveSeconds: 0
    readonly property bool open: thinking || expanded

    objectName: "reasoningHeader"
    implicitHeight: headerLabel.implicitHeight + 8
    Accessible.name: headerLabel.text
    Accessible.role: Accessible.Button
    onClicked: if (!panel.thinking) panel.toggled()
    onThinkingChanged: if (thinking && startedAt === 0) startedAt = Date.now()
    Component.onCompleted: if (thinking) startedAt = Date.now()
    Timer {
        interval: 250
        repeat: true
        running: panel.thinking
        onTriggered: panel.liveSeconds = Math.floor((Date.now() - panel.startedAt) / 1000)
    }

    contentItem: Label {
        id: headerLabel
        objectName: "reasoningHeaderText"
        text: (panel.open ? "▾ " : "▸ ")
              + (panel.thinking ? qsTr("Thinking… %1 s").arg(Math.max(panel.seconds, panel.liveSeconds))
                                : panel.seconds < 1 ? qsTr("Thought for under a second")
                                : qsTr("Thought for %1 s").arg(panel.seconds))
        color: Theme.quietText
        font.pointSize: Theme.smallSize
        font.italic: panel.thinking
    }
    background: Item {}
    HoverHandler { cursorShape: Qt.PointingHandCursor }
}
