// StatusBar.qml: the model line above the chat: name, backend/device and why (or the load's stage and progress), context use, memory.
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
            // Gives way first on a narrow window, so the buttons on the right stay reachable.
            Layout.fillWidth: true
            Layout.preferredWidth: bar.library.loading && bar.width < 700 ? 110 : 260
            Layout.maximumWidth: 260
            Layout.minimumWidth: bar.library.loading ? 100 : 130
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
            // Short on a narrow window: the stage line beside it has the percentage too.
            Layout.preferredWidth: bar.width >= 700 ? 140 : 48
            Accessible.name: qsTr("Loading progress")
        }
        ToolButton {
            visible: bar.library.loading
            font.pointSize: Theme.smallSize
            text: qsTr("Cancel")
            Accessible.name: qsTr("Cancel loading")
            onClicked: bar.library.cancelLoad()
        }
        // Two small lines beside the model: the device and why (or what a load is doing), then
        // context and memory. They take the room left and elide, never overlap the buttons.
        ColumnLayout {
            Layout.fillWidth: true
            // The context figure stays whole; the device line and the memory elide. Clipped:
            // a label squeezed to no width draws its whole text (Text elides only into a width
            // it can hold), which ran over the Unload button on a narrow window.
            Layout.minimumWidth: bar.library.modelReady ? contextLabel.implicitWidth : 0
            clip: true
            spacing: 0
            Label {
                objectName: "backendLabel"
                Layout.fillWidth: true
                elide: Text.ElideRight
                color: Theme.mutedText
                font.pointSize: Theme.smallSize
                text: bar.library.loading ? bar.library.loadStageText
                      : bar.library.modelReady ? bar.library.backendText : ""
                visible: text.length > 0
                ToolTip.visible: backendHover.hovered && text.length > 0
                ToolTip.text: text
                HoverHandler { id: backendHover }
            }
            RowLayout {
                Layout.fillWidth: true
                visible: bar.library.modelReady
                spacing: 12
                Label {
                    id: contextLabel
                    objectName: "contextLabel"
                    color: Theme.mutedText
                    font.pointSize: Theme.smallSize
                    text: qsTr("Context %1 / %2").arg(bar.chat.contextUsed)
                              .arg(bar.chat.contextSize > 0 ? bar.chat.contextSize : bar.library.loadedContext)
                }
                MemoryMeterLabel {
                    active: bar.library.modelReady
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                    // Too narrow for even "Memory …": not a clipped stub of it (opacity, not
                    // visible, so the layout's width for it does not change).
                    opacity: width >= 48 ? 1 : 0
                }
            }
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
