// ReasoningPanel.qml: "Thinking…" while the model reasons (live, quieter), then "Thought for N s", click to expand.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder

ColumnLayout {
    id: panel
    property var blocks   // BlockListModel of the reasoning: one TextEdit per paragraph, so streaming re-lays out only the last
    property bool thinking: false
    property bool expanded: false
    property int seconds: 0
    signal toggled()

    property double startedAt: 0
    property int liveSeconds: 0
    readonly property bool open: thinking || expanded
    spacing: 4

    onThinkingChanged: if (thinking && startedAt === 0) startedAt = Date.now()
    Component.onCompleted: if (thinking) startedAt = Date.now()
    Timer {
        interval: 250
        repeat: true
        running: panel.thinking
        onTriggered: panel.liveSeconds = Math.floor((Date.now() - panel.startedAt) / 1000)
    }

    AbstractButton {
        id: header
        objectName: "reasoningHeader"
        Layout.fillWidth: true
        implicitHeight: headerLabel.implicitHeight + 8
        Accessible.name: headerLabel.text
        Accessible.role: Accessible.Button
        onClicked: if (!panel.thinking) panel.toggled()
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

    Rectangle {
        Layout.fillWidth: true
        visible: panel.open
        implicitHeight: body.implicitHeight + 16
        color: Theme.reasoningBackground
        radius: Theme.radius
        Rectangle { width: 3; height: parent.height; radius: 1; color: Theme.border }
        Column {
            id: body
            x: 14
            y: 8
            width: parent.width - 22
            spacing: 6
            Repeater {
                model: panel.open ? panel.blocks : null
                delegate: TextEdit {
                    required property var model
                    objectName: "reasoningText"
                    width: body.width
                    readOnly: true
                    selectByMouse: true
                    wrapMode: TextEdit.Wrap
                    textFormat: TextEdit.PlainText
                    text: model.text
                    color: Theme.quietText
                    font.pointSize: Theme.smallSize
                    selectionColor: Theme.selection
                    selectedTextColor: Theme.text
                }
            }
        }
    }
}
