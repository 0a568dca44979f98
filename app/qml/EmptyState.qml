// EmptyState.qml: what a new chat or a first start shows: one sentence saying what to do next,
// which depends on whether a model is loaded, loading, or only in the library (then the picker
// at the top is the way on, not another import).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder

Item {
    id: empty
    property bool modelReady: false
    property bool modelLoading: false
    property bool libraryHasModels: false
    property string modelName
    signal importRequested()

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 64, 520)
        spacing: 16
        Label {
            Layout.alignment: Qt.AlignHCenter
            text: "◐"
            font.pointSize: 40
            color: Theme.accent
        }
        Label {
            objectName: "emptyStateText"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            font.pointSize: Theme.largeSize
            color: Theme.text
            text: empty.modelReady
                  ? qsTr("Ask %1 anything: type below and press Enter.").arg(empty.modelName)
                  : empty.modelLoading
                    ? qsTr("Loading the model…")
                    : empty.libraryHasModels
                      ? qsTr("Choose a model from the list at the top to start chatting, or drop another .gguf file onto this window.")
                      : qsTr("Drop a .gguf model file onto this window to start chatting, offline.")
        }
        Button {
            Layout.alignment: Qt.AlignHCenter
            visible: !empty.modelReady && !empty.modelLoading
            text: qsTr("Import model…")
            Accessible.name: qsTr("Import model")
            onClicked: empty.importRequested()
        }
    }
}
