// Theme.qml: colours, spacing and fonts for light and dark, one instance for the whole app.
pragma Singleton
import QtQuick

QtObject {
    property bool dark: false
    property int fontSize: 11

    readonly property color window: dark ? "#1e1f22" : "#ffffff"
    readonly property color sidebar: dark ? "#25262a" : "#f4f5f7"
    readonly property color surface: dark ? "#2b2d31" : "#ffffff"
    readonly property color raised: dark ? "#34363c" : "#eef0f3"
    readonly property color border: dark ? "#3d4047" : "#dcdfe4"
    readonly property color text: dark ? "#e6e7ea" : "#1d1f23"
    readonly property color mutedText: dark ? "#9aa0a8" : "#5f6670"
    readonly property color quietText: dark ? "#8b919a" : "#6b7280"
    readonly property color accent: dark ? "#6ea8fe" : "#2563eb"
    readonly property color accentText: "#ffffff"
    readonly property color userBubble: dark ? "#2f3b52" : "#e8effd"
    readonly property color reasoningBackground: dark ? "#27292e" : "#f7f7f9"
    readonly property color codeBackground: dark ? "#1a1b1e" : "#f6f8fa"
    readonly property color danger: dark ? "#f28b82" : "#c62828"
    readonly property color dangerBackground: dark ? "#4a2a2a" : "#fdecea"
    readonly property color success: dark ? "#81c995" : "#2e7d32"
    readonly property color selection: dark ? "#3a3f4b" : "#dde6f7"

    readonly property int spacing: 8
    readonly property int radius: 8
    readonly property int sidebarWidth: 260
    readonly property string monoFamily: "DejaVu Sans Mono"
    readonly property real smallSize: fontSize - 1
    readonly property real largeSize: fontSize + 3
}
