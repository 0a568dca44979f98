<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Ponder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ponder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline chat with open-weight reasoning models. Nothing you type leaves this computer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatBackup</name>
    <message>
        <source>Chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ponder chats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export chat as JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ponder chat export (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export all chats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import chats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodeBlock</name>
    <message>
        <source>code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Message (Enter to send, Shift+Enter for a new line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop generating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DraftTokenLabel</name>
    <message>
        <source>%1 tokens: more than the %2 left in the context; older messages will be left out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tokens · %2 of %3 left in the context</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>Ask %1 anything: type below and press Enter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop a .gguf model file onto this window to start chatting, offline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a model from the list at the top to start chatting, or drop another .gguf file onto this window.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EngineTexts</name>
    <message>
        <source>%1 GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto: discrete GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto: integrated GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto: the only Vulkan device, %1, is a software renderer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto: no GPU can be used: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto: this build has no GPU backend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>device %1 requested, but only %2 found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 requested, but it cannot be used: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 requested, but this build has no %1 backend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto: %1 needs about %2 at context %3, %4 has %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto: the %1 device cannot be used: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto: %1 cannot run %2 on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a model of the “%2” architecture, which Ponder cannot run yet (supported: llama, qwen2, qwen3, deepseek2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 backend (%2) cannot run %3: it has no %4. Choose another device or the CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 needs about %2 at context %3, but %4 has %5. Choose a shorter context or the CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no Vulkan driver found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the Vulkan loader is older than 1.2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the Vulkan loader lacks Vulkan 1.2 instance functions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 device %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (not found)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message>
        <source>Dismiss error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GeneratingMark</name>
    <message>
        <source>Generating: stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing an answer… click to stop</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoadStageText</name>
    <message>
        <source>Reading file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing weights… %1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uploading to GPU… %1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finishing…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>%1 — Ponder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ponder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop a .gguf model file to import it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the model file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemoryMeterLabel</name>
    <message>
        <source>Memory %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory Ponder uses now, most of it the loaded model&apos;s weights and context cache</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>Edit message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send as new branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The answer could not be finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit and resend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First token after %1 ms · %2 tokens/s · %3 tokens · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the conversation…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interrupted: Ponder closed before this answer was finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete this question and its answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete this answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue this answer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelCard</name>
    <message>
        <source>Fits on GPU (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs on CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Does not fit in memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes: shows its thinking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This architecture is not supported by Ponder&apos;s engine yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy into Ponder&apos;s model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too large for %1: choose the CPU or a shorter context</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <source>File missing: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locate the moved model file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove from library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove from the library (the file is kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No models yet: drop a .gguf file onto the window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locate model file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReasoningPanel</name>
    <message>
        <source>Thinking… %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thought for %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thought for under a second</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReplyNotices</name>
    <message numerus="yes">
        <source>ⓘ %n older message(s) of this chat were left out: the conversation is longer than the model&apos;s context, so the model did not see them for this answer.</source>
        <translation>
            <numerusform>ⓘ %n older message of this chat was left out: the conversation is longer than the model&apos;s context, so the model did not see it for this answer.</numerusform>
            <numerusform>ⓘ %n older messages of this chat were left out: the conversation is longer than the model&apos;s context, so the model did not see them for this answer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>ⓘ The reasoning budget ended the thinking after %n token(s), and the reply ran out before an answer came. Raise the reasoning budget or the maximum reply length in the chat settings, then regenerate.</source>
        <translation>
            <numerusform>ⓘ The reasoning budget ended the thinking after %n token, and the reply ran out before an answer came. Raise the reasoning budget or the maximum reply length in the chat settings, then regenerate.</numerusform>
            <numerusform>ⓘ The reasoning budget ended the thinking after %n tokens, and the reply ran out before an answer came. Raise the reasoning budget or the maximum reply length in the chat settings, then regenerate.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>ⓘ The reasoning budget ended the thinking after %n token(s); the model then answered from what it had thought so far.</source>
        <translation>
            <numerusform>ⓘ The reasoning budget ended the thinking after %n token; the model then answered from what it had thought so far.</numerusform>
            <numerusform>ⓘ The reasoning budget ended the thinking after %n tokens; the model then answered from what it had thought so far.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>App</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional instructions for the model in this chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reasoning (for models that can switch it off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reasoning budget (tokens, −1 = none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat penalty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed (0 = random)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use as defaults for new chats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset to defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Font size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend, device and context length apply the next time a model is loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer length limit (tokens, −1 = none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Ponder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot switch its reasoning off, so this setting does not apply to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Defaults for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Defaults for this model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context length (0 = the app&apos;s setting)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The context length applies the next time this model is loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use as defaults for this model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New chats with this model start with this chat&apos;s system prompt, temperature, top-p and top-k.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget this model&apos;s defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The saved device is not among the devices found; a model loaded with it runs on the CPU. Choose another device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices are looked for when Ponder starts: after installing a graphics driver or connecting a GPU, restart Ponder.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>Pinned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Older</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New chat (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search chats (Ctrl+K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search chats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No chat matches your search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your chats will appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete chat?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” and all its branches will be deleted for good.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as Markdown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as JSON…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import chats…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import chats from a JSON export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export all…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export all chats as JSON</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel loading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context %1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings (Ctrl+,)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unload the model and free its memory</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ponder::ChatController</name>
    <message>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That conversation no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a model first: choose one from the list at the top, or drop a .gguf file onto the window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a chat export Ponder can read: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ponder::DeviceListModel</name>
    <message>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for devices…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic picks %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ponder::EngineService</name>
    <message>
        <source>No model is loaded.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ponder::MemoryMeter</name>
    <message>
        <source>%1 GB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ponder::ModelDefaults</name>
    <message>
        <source>Load a model to give it its own defaults.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>temperature %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>top-p %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>top-k %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its own system prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing saved: new chats with %1 start from the app&apos;s defaults.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New chats with %1 start with %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ponder::ModelLibrary</name>
    <message>
        <source>Only files on this computer can be imported: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a model file: Ponder reads .gguf files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not copy the model into %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not the model this entry was made for (%2), so the entry was not changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This model is already in the library (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was not added: its architecture (%2) is not supported by Ponder&apos;s engine yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ponder::PonderApp</name>
    <message>
        <source>Cannot create the folders %1 and %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The main window could not be created (see the log).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history database was damaged (%1). It was kept as %2 and a new, empty history was started.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
