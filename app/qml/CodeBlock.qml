// CodeBlock.qml: one fenced code block: language, copy button, highlighted monospace text.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder

Rectangle {
    id: block
    property string code
    property string language
    property string html
    signal copyRequested(string text)

    implicitHeight: column.implicitHeight
    color: Theme.codeBackground
    radius: Theme.radius
    border.color: Theme.border

    ColumnLayout {
        id: column
        width: parent.width
        spacing: 0
        RowLayout {
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
