// ErrorBanner.qml: a dismissable one-line error message; hidden while the message is empty.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder

Rectangle {
    id: banner
    property string message
    signal dismissed()

    visible: message.length > 0
    implicitHeight: visible ? row.implicitHeight + 16 : 0
    color: Theme.dangerBackground

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: 16
        anchors.rightMargin: 8
        Label {
            objectName: "errorText"
            Layout.fillWidth: true
            text: banner.message
            color: Theme.danger
            wrapMode: Text.Wrap
        }
        ToolButton {
            text: "✕"
            Accessible.name: qsTr("Dismiss error")
            onClicked: banner.dismissed()
        }
    }
}
