// DraftTokenLabel.qml: "12 tokens · 3,980 left" under the message being typed; warns when the
// message alone would not fit the space left in the context.
import QtQuick
import QtQuick.Controls
import Ponder

Label {
    id: label
    required property ChatController chat
    readonly property int tokens: chat.draft.tokens
    readonly property int contextSize: chat.contextSize
    readonly property int spaceLeft: Math.max(0, contextSize - chat.contextUsed)
    readonly property bool tooLong: tokens >= 0 && contextSize > 0 && tokens > spaceLeft

    objectName: "draftTokens"
    visible: tokens >= 0 && contextSize > 0
    text: tooLong ? qsTr("%1 tokens: more than the %2 left in the context; older messages will be left out")
                      .arg(tokens).arg(spaceLeft)
                  : qsTr("%1 tokens · %2 of %3 left in the context").arg(tokens).arg(spaceLeft).arg(contextSize)
    color: tooLong ? Theme.danger : Theme.quietText
    opacity: chat.draft.counting ? 0.6 : 1   // a figure for text that has changed since
    font.pointSize: Theme.smallSize
    elide: Text.ElideRight
}
