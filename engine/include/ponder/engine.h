// engine.h: the whole public surface of Ponder's inference engine (models, devices, sessions).
// The app and ponder-cli's run/chat/bench use only this header. Everything else is internal.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ponder {

// What kind of failure an Error is, so an app can say it in its own words and language. The
// arguments (Error::args) are listed per code; what() stays the English text, for logs and for
// codes an app does not know (new codes may be added at the end).
enum class ErrorCode {
    Other = 0,                // no specific code: show what()
    FileUnreadable,           // args: path, system reason
    UnsupportedArchitecture,  // args: path, architecture
    BackendCannotRun,         // args: backend, device, model, what is missing
    TooLittleMemory,          // args: model file, memory needed, context length, device, memory it has
};

// Load/setup failures. The message is user-readable and names the file, key or tensor involved.
struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
    Error(const std::string& message, ErrorCode error_code, std::vector<std::string> error_args)
        : std::runtime_error(message), code(error_code), args(std::move(error_args)) {}
    ErrorCode code = ErrorCode::Other;
    std::vector<std::string> args;
};
// Thrown by load_model() when its progress callback asked to cancel.
struct Cancelled : Error {
    using Error::Error;
};

// ---------------------------------------------------------------------------------------------
// Devices and backends

enum class BackendKind { Auto, Cpu, Vulkan, Cuda };
std::string_view to_string(BackendKind kind);  // "auto", "cpu", "vulkan", "cuda"
std::optional<BackendKind> parse_backend_kind(std::string_view name);

struct DeviceInfo {
    BackendKind backend = BackendKind::Cpu;
    int index = 0;                   // index within its backend
    std::string name;                // e.g. "NVIDIA GeForce RTX 4090", "AMD Ryzen 9 (16 threads)"
    std::uint64_t memory_bytes = 0;  // device memory (system RAM for the CPU)
    bool memory_is_free = false;     // memory_bytes is what was free (a GPU whose driver says), not the total
    bool discrete_gpu = false;
};
// Every usable device of every backend this build contains, CPU last. Never throws.
std::vector<DeviceInfo> list_devices();

// Why a backend was chosen (BackendChoice::reason_code); the arguments are in reason_args.
enum class BackendReason {
    Other = 0,               // show reason
    AutoDiscreteGpu,         // (none)
    AutoIntegratedGpu,       // (none)
    AutoSoftwareGpuOnly,     // args: the software device's name
    AutoNoGpu,               // args: why no GPU was usable (English, from the driver)
    NoGpuBackendBuilt,       // (none)
    Requested,               // (none)
    RequestedDeviceMissing,  // args: requested device index, devices found
    GpuUnavailable,          // args: backend requested, why (English, from the driver)
    BackendNotBuilt,         // args: backend requested
    TooLittleMemory,         // args: model file, memory needed, context length, GPU name, GPU memory
    GpuUnusable,             // args: backend, why (English, from the driver)
    GpuCannotRun,            // args: GPU name, operation, weight type
};

// What load_model() would pick for a request, and why, in words for the user.
struct BackendChoice {
    BackendKind backend = BackendKind::Cpu;
    int device_index = 0;
    std::string device_name;
    std::string reason;  // e.g. "CUDA: NVIDIA RTX 4090 (auto: NVIDIA GPU found)"
    // The same in parts, for an app that words it itself: the device (device_name, plus
    // device_memory_bytes for a GPU; 0 for the CPU) and why (reason_code with reason_args).
    std::uint64_t device_memory_bytes = 0;
    BackendReason reason_code = BackendReason::Other;
    std::vector<std::string> reason_args;
};
BackendChoice choose_backend(BackendKind requested, int device_index = 0);

// ---------------------------------------------------------------------------------------------
// Models

// What a model file is, read from its header only (no weights touched): fast even for huge files.
struct ModelInfo {
    std::filesystem::path path;  // first file (split models: part 1)
    int split_count = 1;
    std::string name;                     // general.name, else the file stem
    std::string architecture;             // "llama", "qwen2", "qwen3", "deepseek2", ...
    bool architecture_supported = false;  // this engine can run it
    std::uint64_t file_bytes = 0;         // all parts together
    std::uint64_t parameter_count = 0;
    std::string quantization;  // dominant weight type, e.g. "Q4_K", "Q8_0", "F16"
    int context_length = 0;    // trained context
    int n_layers = 0, n_heads = 0, n_kv_heads = 0, embedding_length = 0, feed_forward_length = 0;
    int head_dim = 0;
    std::string tokenizer_model;  // "gpt2" (byte-level BPE), "llama" (SentencePiece), ...
    std::string tokenizer_pre;
    int vocab_size = 0;
    bool has_chat_template = false;
    bool reasoning = false;                // template or vocabulary has think markers
    std::uint64_t kv_bytes_per_token = 0;  // F16 KV cache cost of one context position
    // MLA models (deepseek2): what per-head keys and values (ordinary attention) would cost per
    // position in F16, for comparison with the latent cache above; 0 for other architectures.
    std::uint64_t kv_bytes_per_token_mha = 0;
};
ModelInfo inspect_model(const std::filesystem::path& path);  // throws Error

// Memory a model needs on a device at a given context length (weights + KV cache + work buffers).
std::uint64_t estimate_memory_bytes(const ModelInfo& info, int context_length);

enum class KvCacheType { F16, Q8_0, F32 };

struct LoadOptions {
    std::filesystem::path path;  // .gguf file (or the first part of a split model)
    BackendKind backend = BackendKind::Auto;
    int device_index = 0;
    int context_length = 4096;  // clamped to the model's trained context
    int threads = 0;            // CPU threads; 0 = one per physical core
    KvCacheType kv_cache = KvCacheType::F16;
    // The engine's worker threads run at a lower OS priority, so a UI thread in the same process
    // (or anything else the user does) gets a core at once when it needs one; generation loses
    // little, since those threads need little. The thread that calls into the engine keeps its
    // own priority: lower it too with lower_current_thread_priority().
    bool background_threads = false;
};

// Lowers the calling thread's OS scheduling priority a little (Linux: nice +2; macOS: utility
// QoS; Windows: below normal). For the app's engine thread, which computes alongside the
// workers. Best effort.
void lower_current_thread_priority();

// A loaded model: immutable weights, tokenizer and chat template; shared by sessions.
class Model {
public:
    virtual ~Model() = default;
    virtual const ModelInfo& info() const = 0;
    virtual const BackendChoice& backend() const = 0;
    virtual int context_length() const = 0;              // as loaded (after clamping)
    virtual bool supports_reasoning_toggle() const = 0;  // template honours enable_thinking
    // Tokens `text` takes as message text (no control tokens parsed, nothing added): what a
    // message about to be sent will cost. Thread-safe; never throws for valid UTF-8 or not.
    virtual int count_tokens(std::string_view text) const = 0;
};

// Loads a model. on_progress gets 0..1 and returns false to cancel (then Cancelled is thrown).
// Throws Error for bad files, unsupported architectures/weight types, or too little memory.
std::shared_ptr<const Model> load_model(const LoadOptions& options,
                                        const std::function<bool(float fraction)>& on_progress = {});

// ---- Load progress with its phase (issue 11: the app shows the upload to the GPU) -----------
// Reading: the file is parsed and checked; Weights: each tensor goes to the backend (a copy to
// device memory on a GPU, used in place or repacked on the CPU; most of a load's time); Finishing:
// the chat template. fraction is over the whole load, as load_model()'s; backend is where the
// weights go (final once Weights starts: an `auto` GPU that cannot take the model is the CPU).
enum class LoadPhase { Reading, Weights, Finishing };
struct LoadProgress {
    float fraction = 0;
    LoadPhase phase = LoadPhase::Reading;
    BackendKind backend = BackendKind::Cpu;
};
std::shared_ptr<const Model> load_model_with_progress(const LoadOptions& options,
                                                      const std::function<bool(const LoadProgress&)>& on_progress);
// ---- end of load progress with its phase ----------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Conversations

enum class Role { System, User, Assistant };

struct Message {
    Role role = Role::User;
    std::string content;    // the answer text for assistant messages
    std::string reasoning;  // assistant's earlier reasoning; templates usually drop it
};

struct SamplingParams {
    float temperature = 0.6f;       // 0 = greedy
    int top_k = 40;                 // 0 = off
    float top_p = 0.95f;            // 1 = off
    float min_p = 0.05f;            // 0 = off
    float repeat_penalty = 1.0f;    // 1 = off (multiplicative, llama.cpp style)
    float presence_penalty = 0.0f;  // 0 = off (additive)
    int penalty_window = 64;        // last N tokens the penalties look at
    std::uint64_t seed = 0;         // 0 = random; any other value reproduces a run
};

enum class ContextPolicy {
    Stop,        // stop generating when the context is full
    DropOldest,  // drop the oldest turns (never the system prompt) and continue
};

struct GenerateOptions {
    SamplingParams sampling;
    int max_tokens = -1;        // -1 = until end of turn or context full; 0 = prompt only
    bool reasoning = true;      // for models that can switch thinking off
    int reasoning_budget = -1;  // max reasoning tokens before the engine closes the block; -1 = none
    ContextPolicy context_policy = ContextPolicy::DropOldest;
    // reply() only: the history's last message is an assistant reply that was cut short (stopped,
    // interrupted); the model goes on from its reasoning and text instead of starting a new reply,
    // and only the new text is streamed.
    bool continue_last = false;
};

enum class Channel { Reasoning, Answer };

// A streamed piece of text: always whole UTF-8 code points, never a partial think marker.
struct Piece {
    Channel channel = Channel::Answer;
    std::string_view text;
};

enum class StopReason { EndOfTurn, MaxTokens, Cancelled, ContextFull };

struct GenerationStats {
    int prompt_tokens = 0;  // tokens in the prompt
    int reused_tokens = 0;  // of those, taken from the KV cache
    int generated_tokens = 0;
    int reasoning_tokens = 0;
    double time_to_first_token_ms = 0;
    double prompt_ms = 0;
    double generation_ms = 0;
    double prompt_tokens_per_s = 0;
    double generation_tokens_per_s = 0;
    int context_used = 0;
    int context_size = 0;
    StopReason stop_reason = StopReason::EndOfTurn;
    std::string backend;  // e.g. "cpu"
    // reply(): history messages left out of the prompt so it fits the context (oldest turns
    // first, never a system message); 0 when the whole conversation was seen.
    int dropped_messages = 0;
    // The reasoning budget ran out and the engine closed the think block itself.
    bool reasoning_budget_reached = false;
};

// One conversation's decoding state; owns its KV cache. Use from one thread at a time.
class Session {
public:
    explicit Session(std::shared_ptr<const Model> model);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Renders history with the model's chat template (plus the generation prompt), reuses the
    // longest cached token prefix, and streams the assistant's reply through on_piece (return
    // false to stop). Stops at end of turn, max_tokens, stop request, or per context_policy.
    GenerationStats reply(std::span<const Message> history, const GenerateOptions& options,
                          const std::function<bool(const Piece&)>& on_piece, std::stop_token stop = {});

    // Raw completion: text is tokenized as is (BOS added when the vocabulary asks for it), no
    // template, no reasoning split; every piece is on the Answer channel.
    GenerationStats complete(std::string_view text, const GenerateOptions& options,
                             const std::function<bool(const Piece&)>& on_piece, std::stop_token stop = {});

    void clear();  // forget the cached context
    int context_used() const;
    int context_size() const;

private:
    friend struct SessionAccess;  // engine-internal read access (tests, ponder-cli logits)
    struct State;
    std::unique_ptr<State> m_state;
};

// ---------------------------------------------------------------------------------------------
// Logging: by default messages go to stderr; the app routes them into its own log.

enum class LogLevel { Debug, Info, Warning, Error };
void set_log_handler(std::function<void(LogLevel, std::string_view)> handler);

}  // namespace ponder
