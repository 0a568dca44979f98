// CodeBlock.qml: one fenced code block (or a later part of a long one): language, copy button,
// highlighted monospace text.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder

Rectangle {
    id: block
    property string code
    property string language
    property string html
    property bool joinsAbove: false  // a later part of a long code block: no header, square corners
    signal copyRequested(string text)  // this part's code (a long block's parts: see MessageDelegate)

    implicitHeight: column.implicitHeight
    color: Theme.codeBackground
    radius: joinsAbove ? 0 : Theme.radius
    border.color: Theme.border

    // A later part covers the bottom of the part above it; its own top edge is not drawn.
    Rectangle {
        visible: block.joinsAbove
        x: block.border.width
        width: parent.width - 2 * block.border.width
        height: block.border.width
        color: block.color
        z: 1
    }

    ColumnLayout {
        id: column
        width: parent.width
        spacing: 0
        RowLayout {
            visible: !block.joinsAbove
            Layout.fillWidth: true
            Layout.leftMargin: 10
            Label {
                Layout.fillWidth: true
                text: block.language.length > 0 ? block.language : qsTr("code")
                color: Theme.quietText
                font.pointSize: Theme.smallSize
            }
            ToolButton {
                id: copyButton
                objectName: "copyCodeButton"
                property bool copied: false
                text: copied ? qsTr("Copied") : qsTr("Copy")
                font.pointSize: Theme.smallSize
                Accessible.name: qsTr("Copy code")
                onClicked: { block.copyRequested(block.code); copied = true; resetTimer.restart() }
                Timer { id: resetTimer; interval: 1500; onTriggered: copyButton.copied = false }
            }
        }
        Flickable {
            Layout.fillWidth: true
            Layout.preferredHeight: codeText.implicitHeight
            Layout.leftMargin: 10
            Layout.rightMargin: 10
            Layout.bottomMargin: 6
            contentWidth: codeText.implicitWidth
            contentHeight: codeText.implicitHeight
            clip: true
            flickableDirection: Flickable.HorizontalFlick
            boundsBehavior: Flickable.StopAtBounds
            TextEdit {
                id: codeText
                objectName: "codeText"
                readOnly: true
                selectByMouse: true
                textFormat: TextEdit.RichText
                text: block.html
                color: Theme.text
                font.family: Theme.monoFamily
                font.pointSize: Theme.fontSize - 1
                selectionColor: Theme.selection
            }
        }
    }
}
