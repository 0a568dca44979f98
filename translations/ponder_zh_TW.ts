<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Ponder</source>
        <translation>關於 Ponder</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>關閉</translation>
    </message>
    <message>
        <source>Ponder</source>
        <translation>Ponder</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <source>Offline chat with open-weight reasoning models. Nothing you type leaves this computer.</source>
        <translation>離線與開放權重推理模型對話。你輸入的內容不會離開這台電腦。</translation>
    </message>
</context>
<context>
    <name>ChatBackup</name>
    <message>
        <source>Chat</source>
        <translation>對話</translation>
    </message>
    <message>
        <source>Ponder chats</source>
        <translation>Ponder 對話</translation>
    </message>
    <message>
        <source>Export chat as JSON</source>
        <translation>將對話匯出為 JSON</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>匯出</translation>
    </message>
    <message>
        <source>Ponder chat export (*.json)</source>
        <translation>Ponder 對話匯出檔 (*.json)</translation>
    </message>
    <message>
        <source>Export all chats</source>
        <translation>匯出所有對話</translation>
    </message>
    <message>
        <source>Import chats</source>
        <translation>匯入對話</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>匯入</translation>
    </message>
</context>
<context>
    <name>CodeBlock</name>
    <message>
        <source>code</source>
        <translation>程式碼</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已複製</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>複製</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>複製程式碼</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Message (Enter to send, Shift+Enter for a new line)</source>
        <translation>輸入訊息（Enter 傳送，Shift+Enter 換行）</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>訊息</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>傳送</translation>
    </message>
    <message>
        <source>Stop generating</source>
        <translation>停止產生</translation>
    </message>
    <message>
        <source>Send message</source>
        <translation>傳送訊息</translation>
    </message>
    <message>
        <source>Stop (Esc)</source>
        <translation>停止 (Esc)</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>傳送 (Enter)</translation>
    </message>
</context>
<context>
    <name>DraftTokenLabel</name>
    <message>
        <source>%1 tokens: more than the %2 left in the context; older messages will be left out</source>
        <translation>%1 個詞元：超過上下文剩餘的 %2；較早的訊息將被略去</translation>
    </message>
    <message>
        <source>%1 tokens · %2 of %3 left in the context</source>
        <translation>%1 個詞元 · 上下文剩餘 %2 / %3</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>Ask %1 anything: type below and press Enter.</source>
        <translation>向 %1 提問：在下方輸入並按 Enter。</translation>
    </message>
    <message>
        <source>Drop a .gguf model file onto this window to start chatting, offline.</source>
        <translation>將 .gguf 模型檔拖到此視窗即可開始離線聊天。</translation>
    </message>
    <message>
        <source>Import model…</source>
        <translation>匯入模型…</translation>
    </message>
    <message>
        <source>Import model</source>
        <translation>匯入模型</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>正在載入模型…</translation>
    </message>
    <message>
        <source>Choose a model from the list at the top to start chatting, or drop another .gguf file onto this window.</source>
        <translation>從頂端的清單中選擇一個模型即可開始聊天，也可以把另一個 .gguf 檔案拖到此視窗。</translation>
    </message>
</context>
<context>
    <name>EngineTexts</name>
    <message>
        <source>%1 GiB</source>
        <translation>%1 GiB</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>auto: discrete GPU</source>
        <translation>自動：獨立顯示卡</translation>
    </message>
    <message>
        <source>auto: integrated GPU</source>
        <translation>自動：內建顯示卡</translation>
    </message>
    <message>
        <source>auto: the only Vulkan device, %1, is a software renderer</source>
        <translation>自動：唯一的 Vulkan 裝置 %1 是軟體算繪器</translation>
    </message>
    <message>
        <source>auto: no GPU can be used: %1</source>
        <translation>自動：沒有可用的 GPU：%1</translation>
    </message>
    <message>
        <source>auto: this build has no GPU backend</source>
        <translation>自動：此版本沒有 GPU 後端</translation>
    </message>
    <message>
        <source>requested</source>
        <translation>已指定</translation>
    </message>
    <message>
        <source>device %1 requested, but only %2 found</source>
        <translation>指定了裝置 %1，但只找到 %2 個</translation>
    </message>
    <message>
        <source>%1 requested, but it cannot be used: %2</source>
        <translation>指定了 %1，但無法使用：%2</translation>
    </message>
    <message>
        <source>%1 requested, but this build has no %1 backend</source>
        <translation>指定了 %1，但此版本沒有 %1 後端</translation>
    </message>
    <message>
        <source>auto: %1 needs about %2 at context %3, %4 has %5</source>
        <translation>自動：%1 在上下文 %3 時約需 %2，%4 只有 %5</translation>
    </message>
    <message>
        <source>auto: the %1 device cannot be used: %2</source>
        <translation>自動：%1 裝置無法使用：%2</translation>
    </message>
    <message>
        <source>auto: %1 cannot run %2 on %3</source>
        <translation>自動：%1 無法在 %3 上執行 %2</translation>
    </message>
    <message>
        <source>%1: %2, %3</source>
        <translation>%1：%2，%3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>無法開啟 %1：%2</translation>
    </message>
    <message>
        <source>%1 is a model of the “%2” architecture, which Ponder cannot run yet (supported: llama, qwen2, qwen3, deepseek2).</source>
        <translation>%1 是「%2」架構的模型，Ponder 尚無法執行（支援：llama、qwen2、qwen3、deepseek2）。</translation>
    </message>
    <message>
        <source>The %1 backend (%2) cannot run %3: it has no %4. Choose another device or the CPU.</source>
        <translation>%1 後端（%2）無法執行 %3：它缺少 %4。請選擇其他裝置或 CPU。</translation>
    </message>
    <message>
        <source>%1 needs about %2 at context %3, but %4 has %5. Choose a shorter context or the CPU.</source>
        <translation>%1 在上下文 %3 時約需 %2，但 %4 只有 %5。請選擇較短的上下文或 CPU。</translation>
    </message>
    <message>
        <source>no Vulkan driver found</source>
        <translation>未找到 Vulkan 驅動程式</translation>
    </message>
    <message>
        <source>the Vulkan loader is older than 1.2</source>
        <translation>Vulkan 載入器版本低於 1.2</translation>
    </message>
    <message>
        <source>the Vulkan loader lacks Vulkan 1.2 instance functions</source>
        <translation>Vulkan 載入器缺少 Vulkan 1.2 實例函式</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>%1 device %2</source>
        <translation>%1 裝置 %2</translation>
    </message>
    <message>
        <source>%1 (not found)</source>
        <translation>%1（找不到）</translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message>
        <source>Dismiss error</source>
        <translation>關閉錯誤訊息</translation>
    </message>
</context>
<context>
    <name>GeneratingMark</name>
    <message>
        <source>Generating: stop</source>
        <translation>正在產生：停止</translation>
    </message>
    <message>
        <source>Writing an answer… click to stop</source>
        <translation>正在撰寫回答…點擊停止</translation>
    </message>
</context>
<context>
    <name>LoadStageText</name>
    <message>
        <source>Reading file…</source>
        <translation>正在讀取檔案…</translation>
    </message>
    <message>
        <source>Preparing weights… %1 %</source>
        <translation>正在準備權重… %1 %</translation>
    </message>
    <message>
        <source>Uploading to GPU… %1 %</source>
        <translation>正在上傳到 GPU… %1 %</translation>
    </message>
    <message>
        <source>Finishing…</source>
        <translation>即將完成…</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>%1 — Ponder</source>
        <translation>%1 — Ponder</translation>
    </message>
    <message>
        <source>Ponder</source>
        <translation>Ponder</translation>
    </message>
    <message>
        <source>Drop a .gguf model file to import it</source>
        <translation>放開以匯入 .gguf 模型檔</translation>
    </message>
    <message>
        <source>Checking the model file</source>
        <translation>正在檢查模型檔</translation>
    </message>
    <message>
        <source>Import model</source>
        <translation>匯入模型</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
</context>
<context>
    <name>MemoryMeterLabel</name>
    <message>
        <source>Memory %1</source>
        <translation>記憶體 %1</translation>
    </message>
    <message>
        <source>Memory Ponder uses now, most of it the loaded model&apos;s weights and context cache</source>
        <translation>Ponder 目前使用的記憶體，大部分是已載入模型的權重與上下文快取</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>Edit message</source>
        <translation>編輯訊息</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Send as new branch</source>
        <translation>以新分支傳送</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>The answer could not be finished.</source>
        <translation>回答未能完成。</translation>
    </message>
    <message>
        <source>Previous version</source>
        <translation>上一個版本</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>下一個版本</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>複製</translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation>複製訊息</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>編輯</translation>
    </message>
    <message>
        <source>Edit and resend</source>
        <translation>編輯並重新傳送</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新產生</translation>
    </message>
    <message>
        <source>Regenerate answer</source>
        <translation>重新產生回答</translation>
    </message>
    <message>
        <source>First token after %1 ms · %2 tokens/s · %3 tokens · %4</source>
        <translation>首個詞元 %1 毫秒 · %2 詞元/秒 · %3 個詞元 · %4</translation>
    </message>
    <message>
        <source>Reading the conversation…</source>
        <translation>正在讀取對話…</translation>
    </message>
    <message>
        <source>Interrupted: Ponder closed before this answer was finished.</source>
        <translation>已中斷：Ponder 在這則回答完成前關閉了。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>刪除</translation>
    </message>
    <message>
        <source>Delete this question and its answers</source>
        <translation>刪除此問題及其回答</translation>
    </message>
    <message>
        <source>Delete this answer</source>
        <translation>刪除此回答</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>繼續</translation>
    </message>
    <message>
        <source>Continue this answer</source>
        <translation>繼續這個回答</translation>
    </message>
</context>
<context>
    <name>ModelCard</name>
    <message>
        <source>Fits on GPU (%1)</source>
        <translation>可放入 GPU（%1）</translation>
    </message>
    <message>
        <source>Runs on CPU</source>
        <translation>在 CPU 上執行</translation>
    </message>
    <message>
        <source>Does not fit in memory</source>
        <translation>記憶體不足</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架構</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>參數量</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>File size</source>
        <translation>檔案大小</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>上下文長度</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>Yes: shows its thinking</source>
        <translation>是：會顯示思考過程</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Memory needed</source>
        <translation>所需記憶體</translation>
    </message>
    <message>
        <source>This architecture is not supported by Ponder&apos;s engine yet.</source>
        <translation>Ponder 引擎尚不支援此架構。</translation>
    </message>
    <message>
        <source>Copy into Ponder&apos;s model folder</source>
        <translation>複製到 Ponder 的模型資料夾</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Add to library</source>
        <translation>加入模型庫</translation>
    </message>
    <message>
        <source>Too large for %1: choose the CPU or a shorter context</source>
        <translation>%1 放不下：請選擇 CPU 或更短的上下文</translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <source>File missing: %1</source>
        <translation>檔案遺失：%1</translation>
    </message>
    <message>
        <source>Locate…</source>
        <translation>尋找…</translation>
    </message>
    <message>
        <source>Locate the moved model file</source>
        <translation>尋找已移動的模型檔</translation>
    </message>
    <message>
        <source>Loaded</source>
        <translation>已載入</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>載入</translation>
    </message>
    <message>
        <source>Load model</source>
        <translation>載入模型</translation>
    </message>
    <message>
        <source>Remove from library</source>
        <translation>從模型庫移除</translation>
    </message>
    <message>
        <source>Remove from the library (the file is kept)</source>
        <translation>從模型庫移除（保留檔案）</translation>
    </message>
    <message>
        <source>No models yet: drop a .gguf file onto the window.</source>
        <translation>還沒有模型：將 .gguf 檔拖到視窗上。</translation>
    </message>
    <message>
        <source>Locate model file</source>
        <translation>尋找模型檔</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
</context>
<context>
    <name>ReasoningPanel</name>
    <message>
        <source>Thinking… %1 s</source>
        <translation>思考中… %1 秒</translation>
    </message>
    <message>
        <source>Thought for %1 s</source>
        <translation>已思考 %1 秒</translation>
    </message>
    <message>
        <source>Thought for under a second</source>
        <translation>思考不到一秒</translation>
    </message>
</context>
<context>
    <name>ReplyNotices</name>
    <message numerus="yes">
        <source>ⓘ %n older message(s) of this chat were left out: the conversation is longer than the model&apos;s context, so the model did not see them for this answer.</source>
        <translation>
            <numerusform>ⓘ 本對話中較早的 %n 則訊息被略去：對話長度超出了模型的上下文，模型在產生這個回答時沒有看到它們。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>ⓘ The reasoning budget ended the thinking after %n token(s), and the reply ran out before an answer came. Raise the reasoning budget or the maximum reply length in the chat settings, then regenerate.</source>
        <translation>
            <numerusform>ⓘ 推理預算在 %n 個詞元後結束了思考，回覆在給出答案之前就已用盡。請在對話設定中提高推理預算或最大回覆長度，然後重新產生。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>ⓘ The reasoning budget ended the thinking after %n token(s); the model then answered from what it had thought so far.</source>
        <translation>
            <numerusform>ⓘ 推理預算在 %n 個詞元後結束了思考；模型隨後根據已有的思考作答。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>This chat</source>
        <translation>目前對話</translation>
    </message>
    <message>
        <source>App</source>
        <translation>應用程式</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系統提示詞</translation>
    </message>
    <message>
        <source>Optional instructions for the model in this chat</source>
        <translation>選填：此對話中給模型的指示</translation>
    </message>
    <message>
        <source>Reasoning (for models that can switch it off)</source>
        <translation>推理（適用於可關閉推理的模型）</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>Reasoning budget (tokens, −1 = none)</source>
        <translation>推理預算（詞元，−1 = 不限）</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>溫度</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <source>Repeat penalty</source>
        <translation>重複懲罰</translation>
    </message>
    <message>
        <source>Seed (0 = random)</source>
        <translation>隨機種子（0 = 隨機）</translation>
    </message>
    <message>
        <source>Use as defaults for new chats</source>
        <translation>設為新對話的預設值</translation>
    </message>
    <message>
        <source>Reset to defaults</source>
        <translation>還原預設值</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主題</translation>
    </message>
    <message>
        <source>Follow system</source>
        <translation>跟隨系統</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>淺色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>字型大小</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>語言</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>裝置</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>上下文長度</translation>
    </message>
    <message>
        <source>Backend, device and context length apply the next time a model is loaded.</source>
        <translation>後端、裝置與上下文長度將在下次載入模型時生效。</translation>
    </message>
    <message>
        <source>Models folder</source>
        <translation>模型資料夾</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Answer length limit (tokens, −1 = none)</source>
        <translation>回答長度上限（詞元，−1 = 不限）</translation>
    </message>
    <message>
        <source>About Ponder</source>
        <translation>關於 Ponder</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>關閉</translation>
    </message>
    <message>
        <source>%1 cannot switch its reasoning off, so this setting does not apply to it.</source>
        <translation>%1 無法關閉推理，因此此設定對它無效。</translation>
    </message>
    <message>
        <source>Defaults for %1</source>
        <translation>%1 的預設值</translation>
    </message>
    <message>
        <source>Defaults for this model</source>
        <translation>此模型的預設值</translation>
    </message>
    <message>
        <source>Context length (0 = the app&apos;s setting)</source>
        <translation>上下文長度（0 = 使用應用程式設定）</translation>
    </message>
    <message>
        <source>The context length applies the next time this model is loaded.</source>
        <translation>上下文長度將在下次載入此模型時生效。</translation>
    </message>
    <message>
        <source>Use as defaults for this model</source>
        <translation>設為此模型的預設值</translation>
    </message>
    <message>
        <source>New chats with this model start with this chat&apos;s system prompt, temperature, top-p and top-k.</source>
        <translation>使用此模型的新對話將沿用本對話的系統提示詞、溫度、top-p 和 top-k。</translation>
    </message>
    <message>
        <source>Forget this model&apos;s defaults</source>
        <translation>清除此模型的預設值</translation>
    </message>
    <message>
        <source>The saved device is not among the devices found; a model loaded with it runs on the CPU. Choose another device.</source>
        <translation>已儲存的裝置不在找到的裝置中；用它載入的模型將在 CPU 上執行。請選擇其他裝置。</translation>
    </message>
    <message>
        <source>Devices are looked for when Ponder starts: after installing a graphics driver or connecting a GPU, restart Ponder.</source>
        <translation>Ponder 在啟動時尋找裝置：安裝顯示卡驅動程式或連接 GPU 後，請重新啟動 Ponder。</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>Pinned</source>
        <translation>已釘選</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>過去 7 天</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>更早</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新對話</translation>
    </message>
    <message>
        <source>New chat (Ctrl+N)</source>
        <translation>新對話 (Ctrl+N)</translation>
    </message>
    <message>
        <source>Search chats (Ctrl+K)</source>
        <translation>搜尋對話 (Ctrl+K)</translation>
    </message>
    <message>
        <source>Search chats</source>
        <translation>搜尋對話</translation>
    </message>
    <message>
        <source>Chat actions</source>
        <translation>對話動作</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重新命名…</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>取消釘選</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>釘選</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>刪除…</translation>
    </message>
    <message>
        <source>No chat matches your search.</source>
        <translation>沒有符合的對話。</translation>
    </message>
    <message>
        <source>Your chats will appear here.</source>
        <translation>你的對話會顯示在這裡。</translation>
    </message>
    <message>
        <source>Rename chat</source>
        <translation>重新命名對話</translation>
    </message>
    <message>
        <source>Chat title</source>
        <translation>對話標題</translation>
    </message>
    <message>
        <source>Delete chat?</source>
        <translation>刪除對話？</translation>
    </message>
    <message>
        <source>“%1” and all its branches will be deleted for good.</source>
        <translation>「%1」及其所有分支將被永久刪除。</translation>
    </message>
    <message>
        <source>Export as Markdown…</source>
        <translation>匯出為 Markdown…</translation>
    </message>
    <message>
        <source>Export chat</source>
        <translation>匯出對話</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重新命名</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>刪除</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>匯出</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>對話</translation>
    </message>
    <message>
        <source>Export as JSON…</source>
        <translation>匯出為 JSON…</translation>
    </message>
    <message>
        <source>Import chats…</source>
        <translation>匯入對話…</translation>
    </message>
    <message>
        <source>Import chats from a JSON export</source>
        <translation>從 JSON 匯出檔匯入對話</translation>
    </message>
    <message>
        <source>Export all…</source>
        <translation>全部匯出…</translation>
    </message>
    <message>
        <source>Export all chats as JSON</source>
        <translation>將所有對話匯出為 JSON</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Loading…</source>
        <translation>載入中…</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>尚未載入模型</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Loading progress</source>
        <translation>載入進度</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel loading</source>
        <translation>取消載入</translation>
    </message>
    <message>
        <source>Context %1 / %2</source>
        <translation>上下文 %1 / %2</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>匯入…</translation>
    </message>
    <message>
        <source>Import model</source>
        <translation>匯入模型</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Settings (Ctrl+,)</source>
        <translation>設定 (Ctrl+,)</translation>
    </message>
    <message>
        <source>Unload</source>
        <translation>卸載</translation>
    </message>
    <message>
        <source>Unload the model and free its memory</source>
        <translation>卸載模型並釋放其記憶體</translation>
    </message>
</context>
<context>
    <name>ponder::ChatController</name>
    <message>
        <source>New chat</source>
        <translation>新對話</translation>
    </message>
    <message>
        <source>That conversation no longer exists.</source>
        <translation>該對話已不存在。</translation>
    </message>
    <message>
        <source>Load a model first: choose one from the list at the top, or drop a .gguf file onto the window.</source>
        <translation>請先載入模型：從頂端的清單中選擇一個，或將 .gguf 檔拖到視窗上。</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>無法寫入 %1：%2</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>無法讀取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is not a chat export Ponder can read: %2</source>
        <translation>%1 不是 Ponder 能讀取的對話匯出檔：%2</translation>
    </message>
</context>
<context>
    <name>ponder::DeviceListModel</name>
    <message>
        <source>Automatic</source>
        <translation>自動</translation>
    </message>
    <message>
        <source>Automatic: %1</source>
        <translation>自動：%1</translation>
    </message>
    <message>
        <source>Looking for devices…</source>
        <translation>正在尋找裝置…</translation>
    </message>
    <message>
        <source>Automatic picks %1</source>
        <translation>自動選擇 %1</translation>
    </message>
</context>
<context>
    <name>ponder::EngineService</name>
    <message>
        <source>No model is loaded.</source>
        <translation>尚未載入模型。</translation>
    </message>
</context>
<context>
    <name>ponder::MemoryMeter</name>
    <message>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
</context>
<context>
    <name>ponder::ModelDefaults</name>
    <message>
        <source>Load a model to give it its own defaults.</source>
        <translation>載入模型後可為它設定專屬預設值。</translation>
    </message>
    <message>
        <source>temperature %1</source>
        <translation>溫度 %1</translation>
    </message>
    <message>
        <source>top-p %1</source>
        <translation>top-p %1</translation>
    </message>
    <message>
        <source>top-k %1</source>
        <translation>top-k %1</translation>
    </message>
    <message>
        <source>its own system prompt</source>
        <translation>專屬的系統提示詞</translation>
    </message>
    <message>
        <source>Nothing saved: new chats with %1 start from the app&apos;s defaults.</source>
        <translation>尚未儲存：使用 %1 的新對話將採用應用程式的預設值。</translation>
    </message>
    <message>
        <source>New chats with %1 start with %2.</source>
        <translation>使用 %1 的新對話將採用 %2。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
</context>
<context>
    <name>ponder::ModelLibrary</name>
    <message>
        <source>Only files on this computer can be imported: %1</source>
        <translation>只能匯入本機上的檔案：%1</translation>
    </message>
    <message>
        <source>%1 is not a model file: Ponder reads .gguf files.</source>
        <translation>%1 不是模型檔：Ponder 讀取 .gguf 檔。</translation>
    </message>
    <message>
        <source>Could not copy the model into %1.</source>
        <translation>無法將模型複製到 %1。</translation>
    </message>
    <message>
        <source>%1 is not the model this entry was made for (%2), so the entry was not changed.</source>
        <translation>%1 不是此項目對應的模型（%2），項目未作變更。</translation>
    </message>
    <message>
        <source>This model is already in the library (%1).</source>
        <translation>此模型已在模型庫中（%1）。</translation>
    </message>
    <message>
        <source>%1 was not added: its architecture (%2) is not supported by Ponder&apos;s engine yet.</source>
        <translation>未加入 %1：Ponder 的引擎尚不支援其架構（%2）。</translation>
    </message>
</context>
<context>
    <name>ponder::PonderApp</name>
    <message>
        <source>Cannot create the folders %1 and %2.</source>
        <translation>無法建立資料夾 %1 和 %2。</translation>
    </message>
    <message>
        <source>The main window could not be created (see the log).</source>
        <translation>無法建立主視窗（請查看記錄）。</translation>
    </message>
    <message>
        <source>The history database was damaged (%1). It was kept as %2 and a new, empty history was started.</source>
        <translation>歷史紀錄資料庫已損毀（%1）。原檔案已保留為 %2，並已建立新的空白歷史紀錄。</translation>
    </message>
</context>
</TS>
