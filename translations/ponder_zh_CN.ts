<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Ponder</source>
        <translation>关于 Ponder</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
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
        <translation>离线与开放权重推理模型对话。你输入的内容不会离开这台电脑。</translation>
    </message>
</context>
<context>
    <name>ChatBackup</name>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Ponder chats</source>
        <translation>Ponder 对话</translation>
    </message>
    <message>
        <source>Export chat as JSON</source>
        <translation>将对话导出为 JSON</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Ponder chat export (*.json)</source>
        <translation>Ponder 对话导出文件 (*.json)</translation>
    </message>
    <message>
        <source>Export all chats</source>
        <translation>导出所有对话</translation>
    </message>
    <message>
        <source>Import chats</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
</context>
<context>
    <name>CodeBlock</name>
    <message>
        <source>code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Message (Enter to send, Shift+Enter for a new line)</source>
        <translation>输入消息（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Stop generating</source>
        <translation>停止生成</translation>
    </message>
    <message>
        <source>Send message</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <source>Stop (Esc)</source>
        <translation>停止 (Esc)</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>发送 (Enter)</translation>
    </message>
</context>
<context>
    <name>DraftTokenLabel</name>
    <message>
        <source>%1 tokens: more than the %2 left in the context; older messages will be left out</source>
        <translation>%1 个词元：超过上下文剩余的 %2；较早的消息将被略去</translation>
    </message>
    <message>
        <source>%1 tokens · %2 of %3 left in the context</source>
        <translation>%1 个词元 · 上下文剩余 %2 / %3</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>Ask %1 anything: type below and press Enter.</source>
        <translation>向 %1 提问：在下方输入并按 Enter。</translation>
    </message>
    <message>
        <source>Drop a .gguf model file onto this window to start chatting, offline.</source>
        <translation>把 .gguf 模型文件拖到此窗口即可开始离线聊天。</translation>
    </message>
    <message>
        <source>Import model…</source>
        <translation>导入模型…</translation>
    </message>
    <message>
        <source>Import model</source>
        <translation>导入模型</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Choose a model from the list at the top to start chatting, or drop another .gguf file onto this window.</source>
        <translation>从顶部的列表中选择一个模型即可开始聊天，也可以把另一个 .gguf 文件拖到此窗口。</translation>
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
        <translation>自动：独立显卡</translation>
    </message>
    <message>
        <source>auto: integrated GPU</source>
        <translation>自动：集成显卡</translation>
    </message>
    <message>
        <source>auto: the only Vulkan device, %1, is a software renderer</source>
        <translation>自动：唯一的 Vulkan 设备 %1 是软件渲染器</translation>
    </message>
    <message>
        <source>auto: no GPU can be used: %1</source>
        <translation>自动：没有可用的 GPU：%1</translation>
    </message>
    <message>
        <source>auto: this build has no GPU backend</source>
        <translation>自动：此版本没有 GPU 后端</translation>
    </message>
    <message>
        <source>requested</source>
        <translation>已指定</translation>
    </message>
    <message>
        <source>device %1 requested, but only %2 found</source>
        <translation>指定了设备 %1，但只找到 %2 个</translation>
    </message>
    <message>
        <source>%1 requested, but it cannot be used: %2</source>
        <translation>指定了 %1，但无法使用：%2</translation>
    </message>
    <message>
        <source>%1 requested, but this build has no %1 backend</source>
        <translation>指定了 %1，但此版本没有 %1 后端</translation>
    </message>
    <message>
        <source>auto: %1 needs about %2 at context %3, %4 has %5</source>
        <translation>自动：%1 在上下文 %3 时约需 %2，%4 只有 %5</translation>
    </message>
    <message>
        <source>auto: the %1 device cannot be used: %2</source>
        <translation>自动：%1 设备无法使用：%2</translation>
    </message>
    <message>
        <source>auto: %1 cannot run %2 on %3</source>
        <translation>自动：%1 无法在 %3 上运行 %2</translation>
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
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>%1 is a model of the “%2” architecture, which Ponder cannot run yet (supported: llama, qwen2, qwen3, deepseek2).</source>
        <translation>%1 是“%2”架构的模型，Ponder 尚无法运行（支持：llama、qwen2、qwen3、deepseek2）。</translation>
    </message>
    <message>
        <source>The %1 backend (%2) cannot run %3: it has no %4. Choose another device or the CPU.</source>
        <translation>%1 后端（%2）无法运行 %3：它缺少 %4。请选择其他设备或 CPU。</translation>
    </message>
    <message>
        <source>%1 needs about %2 at context %3, but %4 has %5. Choose a shorter context or the CPU.</source>
        <translation>%1 在上下文 %3 时约需 %2，但 %4 只有 %5。请选择更短的上下文或 CPU。</translation>
    </message>
    <message>
        <source>no Vulkan driver found</source>
        <translation>未找到 Vulkan 驱动</translation>
    </message>
    <message>
        <source>the Vulkan loader is older than 1.2</source>
        <translation>Vulkan 加载器版本低于 1.2</translation>
    </message>
    <message>
        <source>the Vulkan loader lacks Vulkan 1.2 instance functions</source>
        <translation>Vulkan 加载器缺少 Vulkan 1.2 实例函数</translation>
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
        <translation>%1 设备 %2</translation>
    </message>
    <message>
        <source>%1 (not found)</source>
        <translation>%1（未找到）</translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message>
        <source>Dismiss error</source>
        <translation>关闭错误提示</translation>
    </message>
</context>
<context>
    <name>GeneratingMark</name>
    <message>
        <source>Generating: stop</source>
        <translation>正在生成：停止</translation>
    </message>
    <message>
        <source>Writing an answer… click to stop</source>
        <translation>正在写回答…点击停止</translation>
    </message>
</context>
<context>
    <name>LoadStageText</name>
    <message>
        <source>Reading file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <source>Preparing weights… %1 %</source>
        <translation>正在准备权重… %1 %</translation>
    </message>
    <message>
        <source>Uploading to GPU… %1 %</source>
        <translation>正在上传到 GPU… %1 %</translation>
    </message>
    <message>
        <source>Finishing…</source>
        <translation>即将完成…</translation>
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
        <translation>松开以导入 .gguf 模型文件</translation>
    </message>
    <message>
        <source>Checking the model file</source>
        <translation>正在检查模型文件</translation>
    </message>
    <message>
        <source>Import model</source>
        <translation>导入模型</translation>
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
        <translation>内存 %1</translation>
    </message>
    <message>
        <source>Memory Ponder uses now, most of it the loaded model&apos;s weights and context cache</source>
        <translation>Ponder 当前占用的内存，大部分是已加载模型的权重和上下文缓存</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>Edit message</source>
        <translation>编辑消息</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Send as new branch</source>
        <translation>作为新分支发送</translation>
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
        <translation>上一个版本</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>下一个版本</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation>复制消息</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Edit and resend</source>
        <translation>编辑并重新发送</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Regenerate answer</source>
        <translation>重新生成回答</translation>
    </message>
    <message>
        <source>First token after %1 ms · %2 tokens/s · %3 tokens · %4</source>
        <translation>首个词元 %1 毫秒 · %2 词元/秒 · %3 个词元 · %4</translation>
    </message>
    <message>
        <source>Reading the conversation…</source>
        <translation>正在读取对话…</translation>
    </message>
    <message>
        <source>Interrupted: Ponder closed before this answer was finished.</source>
        <translation>已中断：Ponder 在这条回答完成前关闭了。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete this question and its answers</source>
        <translation>删除此问题及其回答</translation>
    </message>
    <message>
        <source>Delete this answer</source>
        <translation>删除此回答</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Continue this answer</source>
        <translation>继续这个回答</translation>
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
        <translation>在 CPU 上运行</translation>
    </message>
    <message>
        <source>Does not fit in memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>File size</source>
        <translation>文件大小</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>Yes: shows its thinking</source>
        <translation>是：会显示思考过程</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Memory needed</source>
        <translation>所需内存</translation>
    </message>
    <message>
        <source>This architecture is not supported by Ponder&apos;s engine yet.</source>
        <translation>Ponder 引擎暂不支持此架构。</translation>
    </message>
    <message>
        <source>Copy into Ponder&apos;s model folder</source>
        <translation>复制到 Ponder 的模型文件夹</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Add to library</source>
        <translation>添加到模型库</translation>
    </message>
    <message>
        <source>Too large for %1: choose the CPU or a shorter context</source>
        <translation>%1 放不下：请选择 CPU 或更短的上下文</translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <source>File missing: %1</source>
        <translation>文件丢失：%1</translation>
    </message>
    <message>
        <source>Locate…</source>
        <translation>定位…</translation>
    </message>
    <message>
        <source>Locate the moved model file</source>
        <translation>定位已移动的模型文件</translation>
    </message>
    <message>
        <source>Loaded</source>
        <translation>已加载</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <source>Load model</source>
        <translation>加载模型</translation>
    </message>
    <message>
        <source>Remove from library</source>
        <translation>从模型库移除</translation>
    </message>
    <message>
        <source>Remove from the library (the file is kept)</source>
        <translation>从模型库移除（保留文件）</translation>
    </message>
    <message>
        <source>No models yet: drop a .gguf file onto the window.</source>
        <translation>还没有模型：把 .gguf 文件拖到窗口上。</translation>
    </message>
    <message>
        <source>Locate model file</source>
        <translation>定位模型文件</translation>
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
            <numerusform>ⓘ 本对话中较早的 %n 条消息被略去：对话长度超出了模型的上下文，模型在生成这个回答时没有看到它们。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>ⓘ The reasoning budget ended the thinking after %n token(s), and the reply ran out before an answer came. Raise the reasoning budget or the maximum reply length in the chat settings, then regenerate.</source>
        <translation>
            <numerusform>ⓘ 推理预算在 %n 个词元后结束了思考，回复在给出答案之前就已用尽。请在对话设置中提高推理预算或最大回复长度，然后重新生成。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>ⓘ The reasoning budget ended the thinking after %n token(s); the model then answered from what it had thought so far.</source>
        <translation>
            <numerusform>ⓘ 推理预算在 %n 个词元后结束了思考；模型随后根据已有的思考作答。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>This chat</source>
        <translation>当前对话</translation>
    </message>
    <message>
        <source>App</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Optional instructions for the model in this chat</source>
        <translation>可选：本对话中给模型的指示</translation>
    </message>
    <message>
        <source>Reasoning (for models that can switch it off)</source>
        <translation>推理（适用于可关闭推理的模型）</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>Reasoning budget (tokens, −1 = none)</source>
        <translation>推理预算（词元，−1 = 不限）</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
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
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Seed (0 = random)</source>
        <translation>随机种子（0 = 随机）</translation>
    </message>
    <message>
        <source>Use as defaults for new chats</source>
        <translation>设为新对话的默认值</translation>
    </message>
    <message>
        <source>Reset to defaults</source>
        <translation>恢复默认值</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Follow system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>字号</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <source>Backend, device and context length apply the next time a model is loaded.</source>
        <translation>后端、设备和上下文长度将在下次加载模型时生效。</translation>
    </message>
    <message>
        <source>Models folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Answer length limit (tokens, −1 = none)</source>
        <translation>回答长度上限（词元，−1 = 不限）</translation>
    </message>
    <message>
        <source>About Ponder</source>
        <translation>关于 Ponder</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>%1 cannot switch its reasoning off, so this setting does not apply to it.</source>
        <translation>%1 无法关闭推理，因此此设置对它无效。</translation>
    </message>
    <message>
        <source>Defaults for %1</source>
        <translation>%1 的默认值</translation>
    </message>
    <message>
        <source>Defaults for this model</source>
        <translation>此模型的默认值</translation>
    </message>
    <message>
        <source>Context length (0 = the app&apos;s setting)</source>
        <translation>上下文长度（0 = 使用应用设置）</translation>
    </message>
    <message>
        <source>The context length applies the next time this model is loaded.</source>
        <translation>上下文长度将在下次加载此模型时生效。</translation>
    </message>
    <message>
        <source>Use as defaults for this model</source>
        <translation>设为此模型的默认值</translation>
    </message>
    <message>
        <source>New chats with this model start with this chat&apos;s system prompt, temperature, top-p and top-k.</source>
        <translation>使用此模型的新对话将沿用本对话的系统提示词、温度、top-p 和 top-k。</translation>
    </message>
    <message>
        <source>Forget this model&apos;s defaults</source>
        <translation>清除此模型的默认值</translation>
    </message>
    <message>
        <source>The saved device is not among the devices found; a model loaded with it runs on the CPU. Choose another device.</source>
        <translation>已保存的设备不在找到的设备中；用它加载的模型将在 CPU 上运行。请选择其他设备。</translation>
    </message>
    <message>
        <source>Devices are looked for when Ponder starts: after installing a graphics driver or connecting a GPU, restart Ponder.</source>
        <translation>Ponder 在启动时查找设备：安装显卡驱动或连接 GPU 后，请重新启动 Ponder。</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>Pinned</source>
        <translation>已置顶</translation>
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
        <translation>过去 7 天</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>更早</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>New chat (Ctrl+N)</source>
        <translation>新对话 (Ctrl+N)</translation>
    </message>
    <message>
        <source>Search chats (Ctrl+K)</source>
        <translation>搜索对话 (Ctrl+K)</translation>
    </message>
    <message>
        <source>Search chats</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <source>Chat actions</source>
        <translation>对话操作</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>取消置顶</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>置顶</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>No chat matches your search.</source>
        <translation>没有匹配的对话。</translation>
    </message>
    <message>
        <source>Your chats will appear here.</source>
        <translation>你的对话将显示在这里。</translation>
    </message>
    <message>
        <source>Rename chat</source>
        <translation>重命名对话</translation>
    </message>
    <message>
        <source>Chat title</source>
        <translation>对话标题</translation>
    </message>
    <message>
        <source>Delete chat?</source>
        <translation>删除对话？</translation>
    </message>
    <message>
        <source>“%1” and all its branches will be deleted for good.</source>
        <translation>“%1”及其所有分支将被永久删除。</translation>
    </message>
    <message>
        <source>Export as Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <source>Export chat</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Export as JSON…</source>
        <translation>导出为 JSON…</translation>
    </message>
    <message>
        <source>Import chats…</source>
        <translation>导入对话…</translation>
    </message>
    <message>
        <source>Import chats from a JSON export</source>
        <translation>从 JSON 导出文件导入对话</translation>
    </message>
    <message>
        <source>Export all…</source>
        <translation>全部导出…</translation>
    </message>
    <message>
        <source>Export all chats as JSON</source>
        <translation>将所有对话导出为 JSON</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Loading progress</source>
        <translation>加载进度</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel loading</source>
        <translation>取消加载</translation>
    </message>
    <message>
        <source>Context %1 / %2</source>
        <translation>上下文 %1 / %2</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Import model</source>
        <translation>导入模型</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Settings (Ctrl+,)</source>
        <translation>设置 (Ctrl+,)</translation>
    </message>
    <message>
        <source>Unload</source>
        <translation>卸载</translation>
    </message>
    <message>
        <source>Unload the model and free its memory</source>
        <translation>卸载模型并释放其内存</translation>
    </message>
</context>
<context>
    <name>ponder::ChatController</name>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>That conversation no longer exists.</source>
        <translation>该对话已不存在。</translation>
    </message>
    <message>
        <source>Load a model first: choose one from the list at the top, or drop a .gguf file onto the window.</source>
        <translation>请先加载模型：从顶部的列表中选择一个，或把 .gguf 文件拖到窗口上。</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is not a chat export Ponder can read: %2</source>
        <translation>%1 不是 Ponder 能读取的对话导出文件：%2</translation>
    </message>
</context>
<context>
    <name>ponder::DeviceListModel</name>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Automatic: %1</source>
        <translation>自动：%1</translation>
    </message>
    <message>
        <source>Looking for devices…</source>
        <translation>正在查找设备…</translation>
    </message>
    <message>
        <source>Automatic picks %1</source>
        <translation>自动选择 %1</translation>
    </message>
</context>
<context>
    <name>ponder::EngineService</name>
    <message>
        <source>No model is loaded.</source>
        <translation>尚未加载模型。</translation>
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
        <translation>加载模型后可为它设置专属默认值。</translation>
    </message>
    <message>
        <source>temperature %1</source>
        <translation>温度 %1</translation>
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
        <translation>专属的系统提示词</translation>
    </message>
    <message>
        <source>Nothing saved: new chats with %1 start from the app&apos;s defaults.</source>
        <translation>尚未保存：使用 %1 的新对话将采用应用的默认值。</translation>
    </message>
    <message>
        <source>New chats with %1 start with %2.</source>
        <translation>使用 %1 的新对话将采用 %2。</translation>
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
        <translation>只能导入本机上的文件：%1</translation>
    </message>
    <message>
        <source>%1 is not a model file: Ponder reads .gguf files.</source>
        <translation>%1 不是模型文件：Ponder 读取 .gguf 文件。</translation>
    </message>
    <message>
        <source>Could not copy the model into %1.</source>
        <translation>无法把模型复制到 %1。</translation>
    </message>
    <message>
        <source>%1 is not the model this entry was made for (%2), so the entry was not changed.</source>
        <translation>%1 不是此条目对应的模型（%2），条目未作更改。</translation>
    </message>
    <message>
        <source>This model is already in the library (%1).</source>
        <translation>此模型已在模型库中（%1）。</translation>
    </message>
    <message>
        <source>%1 was not added: its architecture (%2) is not supported by Ponder&apos;s engine yet.</source>
        <translation>未添加 %1：Ponder 的引擎尚不支持其架构（%2）。</translation>
    </message>
</context>
<context>
    <name>ponder::PonderApp</name>
    <message>
        <source>Cannot create the folders %1 and %2.</source>
        <translation>无法创建文件夹 %1 和 %2。</translation>
    </message>
    <message>
        <source>The main window could not be created (see the log).</source>
        <translation>无法创建主窗口（请查看日志）。</translation>
    </message>
    <message>
        <source>The history database was damaged (%1). It was kept as %2 and a new, empty history was started.</source>
        <translation>历史记录数据库已损坏（%1）。原文件已保留为 %2，并已新建一个空的历史记录。</translation>
    </message>
</context>
</TS>
