// GeneratingMark.qml: the sidebar's sign that this chat's answer is still being written, with its Stop.
import QtQuick
import QtQuick.Controls
import Ponder

ToolButton {
    id: mark
    signal stopRequested()

    implicitWidth: 22
    implicitHeight: 22
    padding: 0
    text: "■"
    font.pointSize: Theme.smallSize
    palette.buttonText: Theme.accent
    Accessible.name: qsTr("Generating: stop")
    ToolTip.visible: hovered
    ToolTip.text: qsTr("Writing an answer… click to stop")
    onClicked: mark.stopRequested()

    SequentialAnimation on opacity {
        running: mark.visible
        loops: Animation.Infinite
        NumberAnimation { to: 0.35; duration: 600 }
        NumberAnimation { to: 1.0; duration: 600 }
    }
}
