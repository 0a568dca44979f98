// ReplyNotices.qml: what happened to a reply that the user would not see otherwise: older messages
// left out so the prompt fits the context, and thinking ended by the reasoning budget (with why
// the answer is empty when it is). Hidden when there is nothing to say.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder

ColumnLayout {
    id: notices
    required property var stats          // the message's stats (MessageModel StatsRole)
    required property string content
    required property string status
    readonly property int dropped: stats && stats.droppedMessages !== undefined ? stats.droppedMessages : 0
    readonly property bool budgetReached: !!stats && stats.budgetReached === true
    readonly property int reasoningTokens: stats && stats.reasoningTokens !== undefined ? stats.reasoningTokens : 0
    readonly property bool noAnswer: content.trim().length === 0 && status !== "streaming"

    visible: dropped > 0 || budgetReached
    spacing: 4

    component Notice: Rectangle {
        property alias text: noticeText.text
        Layout.fillWidth: true
        implicitHeight: noticeText.implicitHeight + 12
        radius: Theme.radius
        color: Theme.reasoningBackground
        border.color: Theme.border
        Label {
            id: noticeText
            objectName: parent.objectName + "Text"
            anchors.fill: parent
            anchors.leftMargin: 10
            anchors.rightMargin: 10
            verticalAlignment: Text.AlignVCenter
            wrapMode: Text.Wrap
            color: Theme.mutedText
            font.pointSize: Theme.smallSize
        }
    }

    Notice {
        objectName: "contextNotice"
        visible: notices.dropped > 0
        text: qsTr("ⓘ %n older message(s) of this chat were left out: the conversation is longer than the model's context, so the model did not see them for this answer.", "", notices.dropped)
    }
    Notice {
        objectName: "budgetNotice"
        visible: notices.budgetReached
        text: notices.noAnswer
              ? qsTr("ⓘ The reasoning budget ended the thinking after %n token(s), and the reply ran out before an answer came. Raise the reasoning budget or the maximum reply length in the chat settings, then regenerate.", "", notices.reasoningTokens)
              : qsTr("ⓘ The reasoning budget ended the thinking after %n token(s); the model then answered from what it had thought so far.", "", notices.reasoningTokens)
    }
}
