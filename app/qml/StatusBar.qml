// StatusBar.qml: the model line above the chat: name, backend/device and why, context use, load progress.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder

Rectangle {
    id: bar
    required property ChatController chat
    required property ModelLibrary library
    signal importRequested()
    signal settingsRequested()

    implicitHeight: 48
    color: Theme.window
    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 16
        anchors.rightMargin: 8
        spacing: 12

        ComboBox {
            id: modelPicker
            objectName: "modelPicker"
            Layout.preferredWidth: 260
            model: bar.library.models
            textRole: "label"   // name, weight format and size (and file name if those match)
            displayText: bar.library.loading ? qsTr("Loading…")
                        : bar.library.modelReady ? bar.library.loadedName : qsTr("No model loaded")
            enabled: !bar.chat.busy && count > 0
            Accessible.name: qsTr("Model")
            onActivated: (i) => {
                if (!bar.library.models.missingAt(i)) bar.library.load(bar.library.models.pathAt(i))
            }
        }
        ProgressBar {
            objectName: "loadProgress"
            visible: bar.library.loading
            value: bar.library.loadProgress
            Layout.preferredWidth: 140
            Accessible.name: qsTr("Loading progress")
        }
        Button {
            visible: bar.library.loading
            text: qsTr("Cancel")
            Accessible.name: qsTr("Cancel loading")
            onClicked: bar.library.cancelLoad()
        }
        Label {
            objectName: "backendLabel"
            Layout.fillWidth: true
            elide: Text.ElideRight
            color: Theme.mutedText
            font.pointSize: Theme.smallSize
            text: bar.library.modelReady ? bar.library.backendText : ""
            ToolTip.visible: backendHover.hovered && text.length > 0
            ToolTip.text: text
            HoverHandler { id: backendHover }
        }
        Label {
            objectName: "contextLabel"
            visible: bar.library.modelReady
            color: Theme.mutedText
            font.pointSize: Theme.smallSize
            text: qsTr("Context %1 / %2").arg(bar.chat.contextUsed)
                      .arg(bar.chat.contextSize > 0 ? bar.chat.contextSize : bar.library.loadedContext)
        }
        MemoryMeterLabel {
            active: bar.library.modelReady
        }
        ToolButton {
            objectName: "unloadButton"
            visible: bar.library.modelReady
            text: qsTr("Unload")
            font.pointSize: Theme.smallSize
            Accessible.name: qsTr("Unload the model and free its memory")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Unload the model and free its memory")
            onClicked: bar.library.unload()
        }
        ToolButton {
            text: qsTr("Import…")
            Accessible.name: qsTr("Import model")
            onClicked: bar.importRequested()
        }
        ToolButton {
            objectName: "settingsButton"
            text: "⚙"
            font.pointSize: Theme.largeSize
            Accessible.name: qsTr("Settings")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Settings (Ctrl+,)")
            onClicked: bar.settingsRequested()
        }
    }
}
