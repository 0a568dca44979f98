// SettingComboBox.qml: a ComboBox that always shows a setting's value, also after a language switch re-creates its translated model.
import QtQuick
import QtQuick.Controls

ComboBox {
    id: box
    property string settingValue   // bind to the setting; set the setting in onActivated

    textRole: "text"
    valueRole: "value"
    function sync() {
        const i = indexOfValue(settingValue)
        if (i >= 0 && i !== currentIndex) currentIndex = i
    }
    onSettingValueChanged: sync()
    // The model is re-evaluated when the language changes and the box falls back to its first entry.
    onModelChanged: Qt.callLater(box.sync)
    onCountChanged: Qt.callLater(box.sync)
    Component.onCompleted: sync()
}
