// SettingsDialog.qml: this chat's generation settings and the app's appearance, language and backend.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder

Dialog {
    id: dialog
    objectName: "settingsDialog"
    required property ChatController chat
    required property AppSettings appSettings
    required property ModelLibrary library
    required property DeviceListModel devices
    readonly property ChatSettings cs: chat.chatSettings
    readonly property ModelDefaults md: chat.modelDefaults

    title: qsTr("Settings")
    modal: true
    width: 600
    height: Math.min(640, parent ? parent.height - 40 : 640)
    // The engine is asked which devices it has the first time the dialog opens, not at start-up.
    onOpened: devices.ensureListed()
    // The theme can change while this dialog is open. Qt 6.4 does not pass a palette change on to
    // the controls of an open popup (its combo boxes, spin boxes and buttons stayed light);
    // opening it again resolves them anew, so a theme switch made here reopens it at once (same
    // tab, same scroll position).
    Connections {
        target: Theme
        function onDarkChanged() {
            if (!dialog.visible) return
            dialog.close()
            dialog.open()
        }
    }
    // Own buttons rather than standardButtons: Qt's own catalogs are not installed, so these
    // would stay English.
    signal aboutRequested()
    footer: DialogButtonBox {
        Button {
            objectName: "settingsAbout"
            text: qsTr("About Ponder")
            DialogButtonBox.buttonRole: DialogButtonBox.HelpRole
            onClicked: dialog.aboutRequested()
        }
        Button {
            objectName: "settingsClose"
            text: qsTr("Close")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }

    header: ColumnLayout {
        spacing: 0
        Label {
            text: dialog.title
            font.pointSize: Theme.largeSize
            font.bold: true
            padding: 16
            bottomPadding: 4
            color: Theme.text
        }
        TabBar {
            id: tabs
            Layout.fillWidth: true
            // Basic draws unselected tabs with palette.dark/brightText: keep them quiet.
            palette.dark: Theme.raised
            palette.brightText: Theme.mutedText
            TabButton { objectName: "chatTab"; text: qsTr("This chat") }
            TabButton { objectName: "appTab"; text: qsTr("App") }
            TabButton { objectName: "modelsTab"; text: qsTr("Models") }
        }
    }

    StackLayout {
        anchors.fill: parent
        currentIndex: tabs.currentIndex

        ScrollView {
            id: chatPage
            objectName: "settingsChatPage"
            clip: true
            // Shown whenever there is more below (a small window or a large font): the style's
            // own bar only appears while scrolling, so the last fields and buttons looked missing.
            ScrollBar.vertical: ScrollBar {
                objectName: "settingsChatScrollBar"
                parent: chatPage
                x: chatPage.width - width
                height: chatPage.availableHeight
                policy: chatPage.contentHeight > chatPage.height ? ScrollBar.AlwaysOn : ScrollBar.AsNeeded
            }
            ColumnLayout {
                width: dialog.availableWidth - 12
                spacing: 10
                Label { text: qsTr("System prompt"); color: Theme.mutedText }
                TextArea {
                    Layout.fillWidth: true
                    Layout.preferredHeight: 80
                    wrapMode: TextEdit.Wrap
                    text: dialog.cs.systemPrompt
                    placeholderText: qsTr("Optional instructions for the model in this chat")
                    background: Rectangle {
                        radius: Theme.radius / 2
                        color: Theme.surface
                        border.color: Theme.border
                    }
                    Accessible.name: qsTr("System prompt")
                    onEditingFinished: dialog.cs.systemPrompt = text
                }
                Switch {
                    objectName: "reasoningSwitch"
                    text: qsTr("Reasoning (for models that can switch it off)")
                    enabled: !dialog.library.modelReady || dialog.library.reasoningToggle
                    opacity: enabled ? 1 : 0.45   // the style's own disabled look is faint in our palette
                    checked: dialog.cs.reasoningEnabled
                    Accessible.name: qsTr("Reasoning")
                    onToggled: dialog.cs.reasoningEnabled = checked
                }
                Label {
                    objectName: "reasoningSwitchNote"
                    Layout.fillWidth: true
                    visible: dialog.library.modelReady && !dialog.library.reasoningToggle
                    wrapMode: Text.Wrap
                    text: qsTr("%1 cannot switch its reasoning off, so this setting does not apply to it.")
                              .arg(dialog.library.loadedName)
                    color: Theme.quietText
                    font.pointSize: Theme.smallSize
                }
                NumberField {
                    label: qsTr("Reasoning budget (tokens, −1 = none)")
                    value: dialog.cs.reasoningBudget; from: -1; to: 1000000; decimals: 0
                    onCommitted: (v) => { dialog.cs.reasoningBudget = v }
                }
                NumberField {
                    label: qsTr("Answer length limit (tokens, −1 = none)")
                    value: dialog.cs.maxTokens; from: -1; to: 1000000; decimals: 0
                    onCommitted: (v) => { dialog.cs.maxTokens = v }
                }
                NumberField {
                    label: qsTr("Temperature")
                    value: dialog.cs.temperature; from: 0; to: 2
                    onCommitted: (v) => { dialog.cs.temperature = v }
                }
                NumberField {
                    label: qsTr("Top-p"); value: dialog.cs.topP; from: 0; to: 1
                    onCommitted: (v) => { dialog.cs.topP = v }
                }
                NumberField {
                    label: qsTr("Top-k"); value: dialog.cs.topK; from: 0; to: 1000; decimals: 0
                    onCommitted: (v) => { dialog.cs.topK = v }
                }
                NumberField {
                    label: qsTr("Min-p"); value: dialog.cs.minP; from: 0; to: 1
                    onCommitted: (v) => { dialog.cs.minP = v }
                }
                NumberField {
                    label: qsTr("Repeat penalty"); value: dialog.cs.repeatPenalty; from: 0.5; to: 2
                    onCommitted: (v) => { dialog.cs.repeatPenalty = v }
                }
                NumberField {
                    label: qsTr("Seed (0 = random)"); value: dialog.cs.seed; from: 0; to: 2147483647; decimals: 0
                    onCommitted: (v) => { dialog.cs.seed = v }
                }
                RowLayout {
                    Button {
                        text: qsTr("Use as defaults for new chats")
                        onClicked: {
                            const s = dialog.cs
                            dialog.appSettings.systemPrompt = s.systemPrompt
                            dialog.appSettings.temperature = s.temperature
                            dialog.appSettings.topP = s.topP
                            dialog.appSettings.topK = s.topK
                            dialog.appSettings.minP = s.minP
                            dialog.appSettings.repeatPenalty = s.repeatPenalty
                            dialog.appSettings.seed = s.seed
                            dialog.appSettings.reasoningEnabled = s.reasoningEnabled
                            dialog.appSettings.reasoningBudget = s.reasoningBudget
                            dialog.appSettings.maxTokens = s.maxTokens
                        }
                    }
                    Button {
                        text: qsTr("Reset to defaults")
                        onClicked: dialog.chat.resetChatSettings()
                    }
                }

                // Issue 10: defaults remembered per model file. A new chat with this model starts
                // from them (over the app's defaults above); the context length applies at its load.
                Rectangle { Layout.fillWidth: true; Layout.topMargin: 8; implicitHeight: 1; color: Theme.border }
                Label {
                    objectName: "modelDefaultsTitle"
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                    text: dialog.md.available ? qsTr("Defaults for %1").arg(dialog.md.modelName)
                                              : qsTr("Defaults for this model")
                    font.bold: true
                    color: Theme.text
                }
                Label {
                    objectName: "modelDefaultsSummary"
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    text: dialog.md.summary
                    color: Theme.mutedText
                    font.pointSize: Theme.smallSize
                }
                NumberField {
                    objectName: "modelContextField"
                    enabled: dialog.md.available
                    label: qsTr("Context length (0 = the app's setting)")
                    value: dialog.md.contextLength; from: 0; to: 1048576; decimals: 0
                    onCommitted: (v) => { dialog.md.contextLength = v }
                }
                Label {
                    Layout.fillWidth: true
                    visible: dialog.md.available
                    wrapMode: Text.Wrap
                    text: qsTr("The context length applies the next time this model is loaded.")
                    color: Theme.quietText
                    font.pointSize: Theme.smallSize
                }
                RowLayout {
                    Button {
                        objectName: "useAsModelDefaults"
                        enabled: dialog.md.available
                        text: qsTr("Use as defaults for this model")
                        ToolTip.visible: hovered
                        ToolTip.delay: 500
                        ToolTip.text: qsTr("New chats with this model start with this chat's system prompt, temperature, top-p and top-k.")
                        onClicked: dialog.md.saveFrom(dialog.cs)
                    }
                    Button {
                        objectName: "forgetModelDefaults"
                        enabled: dialog.md.available && (dialog.md.saved || dialog.md.contextLength > 0)
                        text: qsTr("Forget this model's defaults")
                        onClicked: dialog.md.forget()
                    }
                }
            }
        }

        ScrollView {
            id: appPage
            clip: true
            ScrollBar.vertical: ScrollBar {
                parent: appPage
                x: appPage.width - width
                height: appPage.availableHeight
                policy: appPage.contentHeight > appPage.height ? ScrollBar.AlwaysOn : ScrollBar.AsNeeded
            }
            GridLayout {
                width: dialog.availableWidth - 12
                columns: 2
                columnSpacing: 16
                rowSpacing: 10
                Label { text: qsTr("Theme"); color: Theme.mutedText }
                SettingComboBox {
                    objectName: "themeBox"
                    Layout.fillWidth: true
                    settingValue: dialog.appSettings.theme
                    model: [{ value: "system", text: qsTr("Follow system") },
                            { value: "light", text: qsTr("Light") },
                            { value: "dark", text: qsTr("Dark") }]
                    onActivated: dialog.appSettings.theme = currentValue
                    Accessible.name: qsTr("Theme")
                }
                Label { text: qsTr("Font size"); color: Theme.mutedText }
                SpinBox {
                    from: 9; to: 24
                    value: dialog.appSettings.fontSize
                    onValueModified: dialog.appSettings.fontSize = value
                    Accessible.name: qsTr("Font size")
                }
                Label { text: qsTr("Language"); color: Theme.mutedText }
                SettingComboBox {
                    objectName: "languageBox"
                    Layout.fillWidth: true
                    settingValue: dialog.appSettings.language
                    // Each language is named in itself so it can be found whatever is shown now.
                    model: [{ value: "en", text: "English" },
                            { value: "zh_CN", text: "简体中文" },
                            { value: "zh_TW", text: "繁體中文" }]
                    onActivated: dialog.appSettings.language = currentValue
                    Accessible.name: qsTr("Language")
                }
                Label { text: qsTr("Device"); color: Theme.mutedText }
                ComboBox {
                    id: devicePicker
                    objectName: "devicePicker"
                    Layout.fillWidth: true
                    model: dialog.devices
                    textRole: "text"
                    // Set, not bound: the model resets when the survey comes back, and a reset
                    // box falls back to its first entry (as SettingComboBox does).
                    function sync() {
                        if (currentIndex !== dialog.devices.currentRow) currentIndex = dialog.devices.currentRow
                    }
                    Connections {
                        target: dialog.devices
                        function onChoiceChanged() { Qt.callLater(devicePicker.sync) }
                    }
                    onCountChanged: Qt.callLater(sync)
                    Component.onCompleted: sync()
                    // The saved device that was not found is shown (the note below says so) but
                    // cannot be chosen again from the list.
                    delegate: ItemDelegate {
                        required property var model
                        required property int index
                        width: devicePicker.width
                        text: model.text
                        enabled: !model.missing
                        highlighted: devicePicker.highlightedIndex === index
                    }
                    onActivated: (row) => dialog.devices.choose(row)
                    Accessible.name: qsTr("Device")
                }
                Label {
                    objectName: "deviceNote"
                    Layout.columnSpan: 2
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    font.pointSize: Theme.smallSize
                    color: dialog.devices.currentMissing ? Theme.danger : Theme.quietText
                    text: dialog.devices.currentMissing
                          ? qsTr("The saved device is not among the devices found; a model loaded with it runs on the CPU. Choose another device.")
                          : dialog.devices.autoText
                }
                // The engine's GPU drivers are opened once per run (a loaded model keeps using
                // them), so a device added later is only found after a restart; there is no
                // Refresh button that could not find it.
                Label {
                    objectName: "deviceRestartHint"
                    Layout.columnSpan: 2
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    font.pointSize: Theme.smallSize
                    color: Theme.quietText
                    text: qsTr("Devices are looked for when Ponder starts: after installing a graphics driver or connecting a GPU, restart Ponder.")
                }
                Label { text: qsTr("Context length"); color: Theme.mutedText }
                SpinBox {
                    from: 256; to: 131072; stepSize: 1024
                    editable: true
                    value: dialog.appSettings.contextLength
                    onValueModified: dialog.appSettings.contextLength = value
                    Accessible.name: qsTr("Context length")
                }
                Label {
                    Layout.columnSpan: 2
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: Theme.quietText
                    font.pointSize: Theme.smallSize
                    text: qsTr("Backend, device and context length apply the next time a model is loaded.")
                }
                Label { text: qsTr("Models folder"); color: Theme.mutedText }
                Label {
                    Layout.fillWidth: true
                    text: dialog.library.modelsFolder
                    elide: Text.ElideMiddle
                    color: Theme.text
                }
            }
        }

        ModelsPage {
            library: dialog.library
        }
    }
}
