// AboutDialog.qml: the app's name and version (the one version every Ponder program prints).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder

Dialog {
    id: dialog
    objectName: "aboutDialog"
    title: qsTr("About Ponder")
    modal: true
    footer: DialogButtonBox {
        Button {
            objectName: "aboutClose"
            text: qsTr("Close")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }
    ColumnLayout {
        spacing: 6
        Label { text: qsTr("Ponder"); font.bold: true; font.pointSize: Theme.largeSize; color: Theme.text }
        Label {
            objectName: "aboutVersion"
            text: qsTr("Version %1").arg(Qt.application.version)
            color: Theme.text
        }
        Label {
            text: qsTr("Offline chat with open-weight reasoning models. Nothing you type leaves this computer.")
            wrapMode: Text.Wrap
            Layout.maximumWidth: 420
            color: Theme.mutedText
        }
    }
}
