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
        model: page.library.models
        delegate: Rectangle {
            id: row
            required property var modelData
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
                        text: row.modelData.name + "  ·  " + row.modelData.size
                              + (row.modelData.quantization ? "  ·  " + row.modelData.quantization : "")
                        elide: Text.ElideRight
                        color: Theme.text
                    }
                    Label {
                        Layout.fillWidth: true
                        text: row.modelData.missing ? qsTr("File missing: %1").arg(row.modelData.path) : row.modelData.path
                        elide: Text.ElideMiddle
                        color: row.modelData.missing ? Theme.danger : Theme.quietText
                        font.pointSize: Theme.smallSize
                    }
                }
                Button {
                    visible: row.modelData.missing
                    text: qsTr("Locate…")
                    Accessible.name: qsTr("Locate the moved model file")
                    onClicked: { locateDialog.targetId = row.modelData.id; locateDialog.open() }
                }
                Button {
                    visible: !row.modelData.missing
                    enabled: !page.library.loading && page.library.loadedPath !== row.modelData.path
                    text: page.library.loadedPath === row.modelData.path && page.library.modelReady ? qsTr("Loaded") : qsTr("Load")
                    Accessible.name: qsTr("Load model")
                    onClicked: page.library.load(row.modelData.path)
                }
                ToolButton {
                    text: "✕"
                    Accessible.name: qsTr("Remove from library")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Remove from the library (the file is kept)")
                    onClicked: page.library.remove(row.modelData.id)
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
