// NumberField.qml: a labelled numeric input that commits on Enter or focus loss.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder

RowLayout {
    id: field
    property string label
    property real value
    property real from: 0
    property real to: 1
    property int decimals: 2
    signal committed(real value)

    Label {
        text: field.label
        color: Theme.mutedText
        Layout.preferredWidth: 300
        elide: Text.ElideRight
    }
    TextField {
        id: input
        Layout.preferredWidth: 120
        text: field.decimals > 0 ? Number(field.value).toFixed(field.decimals) : String(Math.round(field.value))
        validator: DoubleValidator { bottom: field.from; top: field.to; decimals: field.decimals; notation: DoubleValidator.StandardNotation; locale: "C" }
        inputMethodHints: Qt.ImhFormattedNumbersOnly
        Accessible.name: field.label
        onEditingFinished: {
            const v = Number(text)
            if (!isNaN(v)) field.committed(Math.min(field.to, Math.max(field.from, v)))
        }
    }
}
