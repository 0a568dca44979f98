// Sidebar.qml: new chat, history search, and the conversation list grouped by day (rename/pin/delete).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Ponder

Rectangle {
    id: sidebar
    required property ChatController chat
    color: Theme.sidebar

    function focusSearch() { searchField.forceActiveFocus(); searchField.selectAll() }
    function sectionTitle(key) {
        switch (key) {
        case "pinned": return qsTr("Pinned")
        case "today": return qsTr("Today")
        case "yesterday": return qsTr("Yesterday")
        case "week": return qsTr("Previous 7 days")
        default: return qsTr("Older")
        }
    }

    Rectangle { anchors.right: parent.right; width: 1; height: parent.height; color: Theme.border }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 10
        spacing: 8

        Button {
            objectName: "newChatButton"
            Layout.fillWidth: true
            text: qsTr("New chat")
            Accessible.name: qsTr("New chat")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("New chat (Ctrl+N)")
            onClicked: sidebar.chat.newConversation()
        }
        TextField {
            id: searchField
            objectName: "searchField"
            Layout.fillWidth: true
            placeholderText: qsTr("Search chats (Ctrl+K)")
            Accessible.name: qsTr("Search chats")
            text: sidebar.chat.searchQuery
            onTextEdited: sidebar.chat.searchQuery = text
            Keys.onEscapePressed: { text = ""; sidebar.chat.searchQuery = "" }
        }

        ListView {
            id: list
            objectName: "conversationList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: sidebar.chat.conversations
            spacing: 2
            highlightFollowsCurrentItem: false  // no current-item highlight: see ChatView.qml
            section.property: sidebar.chat.searchQuery.length > 0 ? "" : "section"
            section.delegate: Label {
                id: sectionLabel
                required property string section
                width: ListView.view.width
                topPadding: 10
                bottomPadding: 4
                text: sidebar.sectionTitle(sectionLabel.section)
                color: Theme.quietText
                font.pointSize: Theme.smallSize
                font.bold: true
            }
            delegate: ItemDelegate {
                id: item
                required property int index
                required property var conversationId
                required property string title
                required property bool pinned
                required property string snippet
                width: ListView.view.width
                highlighted: item.conversationId === sidebar.chat.conversationId
                Accessible.name: title
                rightPadding: actionsButton.visible ? actionsButton.width + 4 : 8
                contentItem: ColumnLayout {
                    spacing: 2
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: 6
                        Label {
                            Layout.fillWidth: true
                            text: (item.pinned ? "📌 " : "") + item.title
                            elide: Text.ElideRight
                            color: Theme.text
                        }
                        GeneratingMark {
                            objectName: "generatingMark"
                            visible: item.conversationId === sidebar.chat.generatingConversationId
                            onStopRequested: sidebar.chat.stop()
                        }
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: item.snippet.length > 0
                        text: item.snippet
                        elide: Text.ElideRight
                        color: Theme.quietText
                        font.pointSize: Theme.smallSize
                    }
                }
                background: Rectangle {
                    radius: Theme.radius
                    color: item.highlighted ? Theme.selection : (item.hovered ? Theme.raised : "transparent")
                }
                onClicked: sidebar.chat.openConversation(item.conversationId)
                TapHandler {
                    acceptedButtons: Qt.RightButton
                    onTapped: menu.popup()
                }
                ToolButton {
                    id: actionsButton
                    anchors.right: parent.right
                    anchors.verticalCenter: parent.verticalCenter
                    visible: item.hovered || item.highlighted
                    text: "⋯"
                    Accessible.name: qsTr("Chat actions")
                    onClicked: menu.popup()
                }
                Menu {
                    id: menu
                    MenuItem {
                        text: qsTr("Rename…")
                        onTriggered: renameDialog.openFor(item.conversationId, item.title)
                    }
                    MenuItem {
                        text: item.pinned ? qsTr("Unpin") : qsTr("Pin")
                        onTriggered: sidebar.chat.setPinned(item.conversationId, !item.pinned)
                    }
                    MenuItem {
                        text: qsTr("Export as Markdown…")
                        onTriggered: exportDialog.openFor(item.conversationId, item.title)
                    }
                    MenuItem {
                        text: qsTr("Export as JSON…")
                        onTriggered: backup.exportChat(item.conversationId, item.title)
                    }
                    MenuItem {
                        text: qsTr("Delete…")
                        onTriggered: deleteDialog.openFor(item.conversationId, item.title)
                    }
                }
            }
            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                width: parent.width - 20
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                color: Theme.quietText
                text: sidebar.chat.searchQuery.length > 0 ? qsTr("No chat matches your search.")
                                                          : qsTr("Your chats will appear here.")
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 4
            ToolButton {
                objectName: "importChatsButton"
                Layout.fillWidth: true
                text: qsTr("Import chats…")
                font.pointSize: Theme.smallSize
                Accessible.name: qsTr("Import chats from a JSON export")
                onClicked: backup.importChats()
            }
            ToolButton {
                objectName: "exportAllButton"
                Layout.fillWidth: true
                enabled: list.count > 0 || sidebar.chat.searchQuery.length > 0
                text: qsTr("Export all…")
                font.pointSize: Theme.smallSize
                Accessible.name: qsTr("Export all chats as JSON")
                onClicked: backup.exportAll()
            }
        }
    }

    ChatBackup {
        id: backup
        chat: sidebar.chat
    }

    Dialog {
        id: renameDialog
        objectName: "renameDialog"
        property var targetId: 0
        function openFor(id, title) { targetId = id; renameField.text = title; open(); renameField.forceActiveFocus() }
        parent: Overlay.overlay
        anchors.centerIn: parent
        modal: true
        title: qsTr("Rename chat")
        footer: DialogButtonBox {
            Button { text: qsTr("Rename"); DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole }
            Button { text: qsTr("Cancel"); DialogButtonBox.buttonRole: DialogButtonBox.RejectRole }
        }
        width: 380
        TextField {
            id: renameField
            width: renameDialog.availableWidth
            Accessible.name: qsTr("Chat title")
            onAccepted: renameDialog.accept()
        }
        onAccepted: sidebar.chat.renameConversation(targetId, renameField.text)
    }

    Dialog {
        id: deleteDialog
        objectName: "deleteDialog"
        property var targetId: 0
        property string targetTitle
        function openFor(id, title) { targetId = id; targetTitle = title; open() }
        parent: Overlay.overlay
        anchors.centerIn: parent
        modal: true
        title: qsTr("Delete chat?")
        footer: DialogButtonBox {
            Button { text: qsTr("Delete"); DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole }
            Button { text: qsTr("Cancel"); DialogButtonBox.buttonRole: DialogButtonBox.RejectRole }
        }
        width: 420
        Label {
            width: deleteDialog.availableWidth
            wrapMode: Text.Wrap
            text: qsTr("“%1” and all its branches will be deleted for good.").arg(deleteDialog.targetTitle)
        }
        onAccepted: sidebar.chat.deleteConversation(targetId)
    }

    FileDialog {
        id: exportDialog
        objectName: "exportDialog"
        property var targetId: 0
        // Suggests "<chat title>.md" in the folder last used, and says what the button does.
        function openFor(id, chatTitle) {
            targetId = id
            const name = (chatTitle || qsTr("Chat")).replace(/[\/\\:*?"<>|]/g, " ").trim()
            selectedFile = currentFolder.toString().replace(/\/?$/, "/") + encodeURIComponent(name) + ".md"
            open()
        }
        title: qsTr("Export chat")
        acceptLabel: qsTr("Export")
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("Markdown (*.md)")]
        defaultSuffix: "md"
        onAccepted: sidebar.chat.exportConversation(targetId, selectedFile)
    }
}
