// ModelCard.qml: the import card for a validated model file: facts, memory fit, use in place or copy.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder

Popup {
    id: card
    objectName: "modelCard"
    required property ModelLibrary library
    readonly property var info: library.card

    visible: info.state === ImportCard.Ready
    modal: true
    closePolicy: Popup.CloseOnEscape
    onClosed: if (info.state === ImportCard.Ready) library.dismissCard()
    width: 460
    padding: 20
    background: Rectangle { color: Theme.surface; radius: Theme.radius * 1.5; border.color: Theme.border }

    function fitText(fit, device) {
        if (fit === "gpu") return qsTr("Fits on GPU (%1)").arg(device)
        if (fit === "cpu") return qsTr("Runs on CPU")
        if (fit === "refused") return qsTr("Too large for %1: choose the CPU or a shorter context").arg(device)
        return qsTr("Does not fit in memory")
    }

    contentItem: ColumnLayout {
        spacing: 12
        Label {
            objectName: "cardName"
            Layout.fillWidth: true
            text: card.info.name !== undefined ? card.info.name : ""
            font.pointSize: Theme.largeSize
            font.bold: true
            color: Theme.text
            wrapMode: Text.Wrap
        }
        Label {
            Layout.fillWidth: true
            text: card.info.fileName !== undefined ? card.info.fileName : ""
            color: Theme.quietText
            font.pointSize: Theme.smallSize
            elide: Text.ElideMiddle
        }
        GridLayout {
            Layout.fillWidth: true
            columns: 2
            columnSpacing: 16
            rowSpacing: 6
            Label { text: qsTr("Architecture"); color: Theme.mutedText }
            Label { objectName: "cardArchitecture"; text: card.info.architecture || "?"; color: Theme.text }
            Label { text: qsTr("Parameters"); color: Theme.mutedText }
            Label { text: card.info.parameters || "?"; color: Theme.text }
            Label { text: qsTr("Quantization"); color: Theme.mutedText }
            Label { text: card.info.quantization || "?"; color: Theme.text }
            Label { text: qsTr("File size"); color: Theme.mutedText }
            Label { text: card.info.size || "?"; color: Theme.text }
            Label { text: qsTr("Context length"); color: Theme.mutedText }
            Label { text: card.info.contextLength !== undefined ? card.info.contextLength.toLocaleString(Qt.locale(), "f", 0) : "?"; color: Theme.text }
            Label { text: qsTr("Reasoning"); color: Theme.mutedText }
            Label { text: card.info.reasoning ? qsTr("Yes: shows its thinking") : qsTr("No"); color: Theme.text }
            Label { text: qsTr("Memory needed"); color: Theme.mutedText }
            Label {
                objectName: "cardFit"
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: (card.info.memory || "?") + " · " + card.fitText(card.info.fit, card.info.deviceName)
                color: card.info.fit === "none" || card.info.fit === "refused" ? Theme.danger : card.info.fit === "gpu" ? Theme.success : Theme.text
            }
        }
        Label {
            Layout.fillWidth: true
            visible: card.info.supported === false
            text: qsTr("This architecture is not supported by Ponder's engine yet.")
            color: Theme.danger
            wrapMode: Text.Wrap
        }
        CheckBox {
            id: copyBox
            objectName: "copyIntoFolder"
            text: qsTr("Copy into Ponder's model folder")
            checked: false
            Accessible.name: text
        }
        RowLayout {
            Layout.alignment: Qt.AlignRight
            Button {
                objectName: "cardCancel"
                text: qsTr("Cancel")
                onClicked: card.library.dismissCard()
            }
            Button {
                objectName: "cardImport"
                text: qsTr("Add to library")
                enabled: card.info.supported !== false   // it would only fail to load
                highlighted: true
                palette.dark: Theme.accent
                onClicked: card.library.acceptCard(copyBox.checked)
            }
        }
    }
}
