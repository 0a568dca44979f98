// MemoryMeterLabel.qml: "Memory 1.3 GB" in the status bar while a model is loaded, sampled live.
import QtQuick
import QtQuick.Controls
import Ponder

Label {
    id: label
    property bool active: false
    objectName: "memoryLabel"
    visible: active && meter.text.length > 0
    text: qsTr("Memory %1").arg(meter.text)
    color: Theme.mutedText
    font.pointSize: Theme.smallSize
    ToolTip.visible: hover.hovered
    ToolTip.text: qsTr("Memory Ponder uses now, most of it the loaded model's weights and context cache")
    HoverHandler { id: hover }
    MemoryMeter {
        id: meter
        active: label.active
    }
}
