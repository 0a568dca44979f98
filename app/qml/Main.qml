// Main.qml: the main window: sidebar, status bar, chat or empty state, composer, drop target and dialogs.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Ponder

ApplicationWindow {
    id: root
    required property ChatController chat
    required property ModelLibrary library
    required property AppSettings appSettings
    required property DeviceListModel devices
    required property Localizer localizer

    width: 1200
    height: 800
    minimumWidth: 720
    minimumHeight: 480
    visible: true
    title: chat.title.length > 0 ? qsTr("%1 — Ponder").arg(chat.title) : qsTr("Ponder")
    color: Theme.window
    font.pointSize: Theme.fontSize
    // The Controls style draws with the palette: derive it from the theme so dialogs, fields and
    // buttons follow light/dark too.
    palette.window: Theme.surface
    palette.windowText: Theme.text
    palette.base: Theme.surface
    palette.alternateBase: Theme.raised
    palette.text: Theme.text
    palette.button: Theme.raised
    palette.buttonText: Theme.text
    palette.brightText: Theme.accentText
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.accentText
    palette.placeholderText: Theme.quietText
    palette.toolTipBase: Theme.raised
    palette.toolTipText: Theme.text
    palette.light: Theme.raised
    palette.midlight: Theme.raised
    palette.mid: Theme.border
    palette.dark: Theme.accent
    palette.shadow: Theme.border

    SystemPalette { id: systemPalette }
    Binding {
        target: Theme; property: "dark"
        value: root.appSettings.theme === "dark"
               || (root.appSettings.theme === "system" && systemPalette.window.hslLightness < 0.5)
    }
    Binding { target: Theme; property: "fontSize"; value: root.appSettings.fontSize }
    Binding { target: root.chat.messages; property: "darkCode"; value: Theme.dark }

    function openSettings() { settingsDialog.open() }
    function focusInput() { composer.focusInput() }
    function focusSearch() { sidebar.focusSearch() }

    Shortcut { sequence: "Ctrl+N"; onActivated: { root.chat.newConversation(); root.focusInput() } }
    Shortcut { sequences: ["Ctrl+F", "Ctrl+K"]; onActivated: root.focusSearch() }
    Shortcut { sequence: "Ctrl+,"; onActivated: root.openSettings() }
    Shortcut { sequence: "Ctrl+L"; onActivated: root.focusInput() }
    Shortcut { sequence: "Ctrl+O"; onActivated: importDialog.open() }
    Shortcut { sequence: "F1"; onActivated: aboutDialog.open() }
    Shortcut {
        sequence: "Esc"
        enabled: root.chat.busy || root.library.loading
        onActivated: root.chat.busy ? root.chat.stop() : root.library.cancelLoad()
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        Sidebar {
            id: sidebar
            chat: root.chat
            Layout.preferredWidth: Theme.sidebarWidth
            Layout.fillHeight: true
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            StatusBar {
                chat: root.chat
                library: root.library
                Layout.fillWidth: true
                onImportRequested: importDialog.open()
                onSettingsRequested: root.openSettings()
            }

            ErrorBanner {
                Layout.fillWidth: true
                objectName: "importError"
                message: root.library.importError
                onDismissed: root.library.dismissError()
            }
            ErrorBanner {
                Layout.fillWidth: true
                objectName: "chatError"
                message: root.chat.lastError
                onDismissed: root.chat.clearError()
            }
            ErrorBanner {
                Layout.fillWidth: true
                objectName: "loadError"
                message: root.library.loadError
                onDismissed: root.library.dismissLoadError()
            }

            Item {
                Layout.fillWidth: true
                Layout.fillHeight: true

                EmptyState {
                    anchors.fill: parent
                    visible: root.chat.messages.count === 0
                    modelReady: root.library.modelReady
                    modelLoading: root.library.loading
                    libraryHasModels: root.library.models.count > 0
                    modelName: root.library.loadedName
                    onImportRequested: importDialog.open()
                }
                ChatView {
                    id: chatView
                    anchors.fill: parent
                    visible: root.chat.messages.count > 0
                    chat: root.chat
                }
            }

            Composer {
                id: composer
                chat: root.chat
                Layout.fillWidth: true
            }
        }
    }

    DropArea {
        id: dropArea
        objectName: "dropArea"
        anchors.fill: parent
        keys: ["text/uri-list"]
        onEntered: (drag) => drag.accept(Qt.CopyAction)
        onDropped: (drop) => {
            root.library.importUrls(drop.urls)
            drop.accept(Qt.CopyAction)
        }
        Rectangle {
            anchors.fill: parent
            anchors.margins: 12
            visible: dropArea.containsDrag
            color: Qt.rgba(Theme.accent.r, Theme.accent.g, Theme.accent.b, 0.12)
            border.color: Theme.accent
            border.width: 2
            radius: Theme.radius * 2
            Label {
                anchors.centerIn: parent
                text: qsTr("Drop a .gguf model file to import it")
                font.pointSize: Theme.largeSize
                color: Theme.accent
            }
        }
    }

    ModelCard {
        id: modelCard
        library: root.library
        anchors.centerIn: parent
    }

    BusyIndicator {
        objectName: "importBusy"
        anchors.centerIn: parent
        running: root.library.busy
        visible: running
        Accessible.name: qsTr("Checking the model file")
    }

    SettingsDialog {
        id: settingsDialog
        chat: root.chat
        appSettings: root.appSettings
        devices: root.devices
        library: root.library
        anchors.centerIn: parent
        onAboutRequested: aboutDialog.open()
    }

    AboutDialog {
        id: aboutDialog
        anchors.centerIn: parent
    }

    FileDialog {
        id: importDialog
        objectName: "importDialog"
        title: qsTr("Import model")
        nameFilters: [qsTr("GGUF models (*.gguf)")]
        fileMode: FileDialog.OpenFiles
        onAccepted: root.library.importUrls(selectedFiles)
    }
}
