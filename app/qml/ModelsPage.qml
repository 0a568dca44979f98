// ModelsPage.qml: the model library in settings: load, locate a moved file, forget.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Ponder

ColumnLayout {
    id: page
    required property ModelLibrary library
    spacing: 8

    ListView {
        id: list
        objectName: "modelList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        spacing: 6
        highlightFollowsCurrentItem: false  // no current-item highlight: see ChatView.qml
        model: page.library.models
        delegate: Rectangle {
            id: row
            required property var modelId
            required property string name
            required property string size
            required property string quantization
            required property string path
            required property bool missing
            width: ListView.view.width
            implicitHeight: content.implicitHeight + 16
            radius: Theme.radius
            color: Theme.raised
            RowLayout {
                id: content
                anchors.fill: parent
                anchors.margins: 8
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    Label {
                        Layout.fillWidth: true
                        text: row.name + "  ·  " + row.size + (row.quantization ? "  ·  " + row.quantization : "")
                        elide: Text.ElideRight
                        color: Theme.text
                    }
                    Label {
                        Layout.fillWidth: true
                        text: row.missing ? qsTr("File missing: %1").arg(row.path) : row.path
                        elide: Text.ElideMiddle
                        color: row.missing ? Theme.danger : Theme.quietText
                        font.pointSize: Theme.smallSize
                    }
                }
                Button {
                    visible: row.missing
                    text: qsTr("Locate…")
                    Accessible.name: qsTr("Locate the moved model file")
                    onClicked: { locateDialog.targetId = row.modelId; locateDialog.open() }
                }
                Button {
                    visible: !row.missing
                    enabled: !page.library.loading && page.library.loadedPath !== row.path
                    text: page.library.loadedPath === row.path && page.library.modelReady ? qsTr("Loaded") : qsTr("Load")
                    Accessible.name: qsTr("Load model")
                    onClicked: page.library.load(row.path)
                }
                ToolButton {
                    text: "✕"
                    Accessible.name: qsTr("Remove from library")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Remove from the library (the file is kept)")
                    onClicked: page.library.remove(row.modelId)
                }
            }
        }
        Label {
            anchors.centerIn: parent
            width: parent.width - 40
            visible: list.count === 0
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            color: Theme.quietText
            text: qsTr("No models yet: drop a .gguf file onto the window.")
        }
    }

    FileDialog {
        id: locateDialog
        objectName: "locateDialog"
        property var targetId: 0
        title: qsTr("Locate model file")
        nameFilters: [qsTr("GGUF models (*.gguf)")]
        onAccepted: page.library.locate(targetId, selectedFile)
    }
}
