// ChatBackup.qml: JSON backup of chats through file dialogs: one chat, every chat, and import.
import QtQuick
import QtQuick.Dialogs
import Ponder

Item {
    id: backup
    required property ChatController chat

    function fileName(title) { return (title || qsTr("Chat")).replace(/[\/\\:*?"<>|]/g, " ").trim() }
    function inFolder(dialog, name) {
        return dialog.currentFolder.toString().replace(/\/?$/, "/") + encodeURIComponent(name) + ".json"
    }
    function exportChat(id, title) {
        exportChatDialog.targetId = id
        exportChatDialog.selectedFile = inFolder(exportChatDialog, fileName(title))
        exportChatDialog.open()
    }
    function exportAll() {
        exportAllDialog.selectedFile = inFolder(exportAllDialog, qsTr("Ponder chats"))
        exportAllDialog.open()
    }
    function importChats() { importChatsDialog.open() }

    FileDialog {
        id: exportChatDialog
        objectName: "jsonExportDialog"
        property var targetId: 0
        title: qsTr("Export chat as JSON")
        acceptLabel: qsTr("Export")
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("Ponder chat export (*.json)")]
        defaultSuffix: "json"
        onAccepted: backup.chat.exportConversationJson(targetId, selectedFile)
    }
    FileDialog {
        id: exportAllDialog
        objectName: "exportAllDialog"
        title: qsTr("Export all chats")
        acceptLabel: qsTr("Export")
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("Ponder chat export (*.json)")]
        defaultSuffix: "json"
        onAccepted: backup.chat.exportAllJson(selectedFile)
    }
    FileDialog {
        id: importChatsDialog
        objectName: "importChatsDialog"
        title: qsTr("Import chats")
        acceptLabel: qsTr("Import")
        fileMode: FileDialog.OpenFile
        nameFilters: [qsTr("Ponder chat export (*.json)")]
        onAccepted: backup.chat.importJson(selectedFile)
    }
}
