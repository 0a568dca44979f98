// tst_components.qml: behaviour of the reasoning panel, code block, error banner, number field and theme.
import QtQuick
import QtTest
import QtQuick.Controls
import Ponder

Item {
    id: root
    width: 600
    height: 400

    Component { id: panelComponent; ReasoningPanel { width: 500 } }
    Component { id: blocksComponent; BlockListModel { } }
    Component { id: codeComponent; CodeBlock { width: 500 } }
    Component { id: bannerComponent; ErrorBanner { width: 500 } }
    Component { id: numberComponent; NumberField { } }
    // The same footer the app's dialogs use (translatable buttons instead of standardButtons).
    Component {
        id: dialogComponent
        Dialog {
            visible: true
            footer: DialogButtonBox {
                Button { objectName: "yes"; text: "Delete"; DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole }
                Button { objectName: "no"; text: "Cancel"; DialogButtonBox.buttonRole: DialogButtonBox.RejectRole }
            }
        }
    }

    SignalSpy { id: spy }

    TestCase {
        name: "Components"
        when: windowShown

        function init() { spy.clear(); spy.signalName = "" }

        // The panel is the reasoning's header; its text is shown by the chat view's reasoning rows
        // (one per block, tested in the window: answer_view_test, window_test).
        function test_reasoning_panel_header_while_thinking_then_collapsed() {
            const panel = createTemporaryObject(panelComponent, root, { thinking: true })
            const header = findChild(panel, "reasoningHeaderText")
            verify(header.text.indexOf("Thinking") >= 0, header.text)
            verify(header.text.indexOf("▾") >= 0, "open while thinking: " + header.text)

            spy.target = panel
            spy.signalName = "toggled"
            mouseClick(panel)
            compare(spy.count, 0, "the panel cannot be collapsed while the model is thinking")

            panel.thinking = false
            panel.seconds = 12
            verify(header.text.indexOf("Thought for 12 s") >= 0, header.text)
            verify(header.text.indexOf("▸") >= 0, "closed once thinking ended: " + header.text)
            panel.seconds = 0
            verify(header.text.indexOf("0 s") < 0, "said: " + header.text)
            verify(header.text.indexOf("under a second") >= 0, header.text)
            panel.seconds = 12
            mouseClick(panel)
            compare(spy.count, 1)
            panel.expanded = true
            verify(header.text.indexOf("▾") >= 0, header.text)
        }

        function test_code_block_copy_button() {
            const block = createTemporaryObject(codeComponent, root,
                { code: "x = 1", language: "python", html: "<pre>x = 1</pre>" })
            spy.target = block
            spy.signalName = "copyRequested"
            const button = findChild(block, "copyCodeButton")
            compare(button.text, "Copy")
            mouseClick(button)
            compare(spy.count, 1)
            compare(spy.signalArguments[0][0], "x = 1")
            compare(button.text, "Copied")
            verify(findChild(block, "codeText").text.indexOf("x = 1") >= 0)
        }

        function test_error_banner_hides_without_message() {
            const banner = createTemporaryObject(bannerComponent, root)
            verify(!banner.visible)
            compare(banner.implicitHeight, 0)
            banner.message = "disk full"
            verify(banner.visible)
            verify(banner.implicitHeight > 0)
            compare(findChild(banner, "errorText").text, "disk full")
        }

        function test_number_field_commits_clamped_values() {
            const field = createTemporaryObject(numberComponent, root,
                { label: "Temperature", value: 0.6, from: 0, to: 2, decimals: 2 })
            spy.target = field
            spy.signalName = "committed"
            const input = field.children[1]
            input.forceActiveFocus()
            input.selectAll()
            keyClick(Qt.Key_1)
            keyClick(Qt.Key_Period)
            keyClick(Qt.Key_5)
            keyClick(Qt.Key_Return)
            compare(spy.count, 1)
            fuzzyCompare(spy.signalArguments[0][0], 1.5, 1e-9)
        }

        function test_dialog_footer_buttons_accept_and_reject() {
            const dialog = createTemporaryObject(dialogComponent, root)
            spy.target = dialog
            spy.signalName = "accepted"
            tryVerify(() => dialog.opened)
            const yes = findChild(dialog.footer, "yes")
            verify(yes !== null)
            yes.clicked()
            compare(spy.count, 1)
            verify(!dialog.visible)
            dialog.open()
            tryVerify(() => dialog.opened)
            spy.clear()
            spy.signalName = "rejected"
            findChild(dialog.footer, "no").clicked()
            compare(spy.count, 1)
        }

        function test_theme_switches_colours() {
            const light = Qt.rgba(Theme.window.r, Theme.window.g, Theme.window.b, 1)
            Theme.dark = true
            verify(!Qt.colorEqual(Theme.window, light))
            verify(Qt.colorEqual(Theme.text, "#e6e7ea"))
            Theme.dark = false
            verify(Qt.colorEqual(Theme.window, light))
        }
    }
}
