// engine.cpp: load_model() (GGUF -> config -> backend -> zero-copy weights -> tokenizer -> template)
// and the internal helpers of loaded_model.h that don't need a session.
#include "api/loaded_model.h"
#include "util/path_text.h"

#include "gguf/model_info.h"
#include "kv_cache/kv_cache.h"
#include "model/capabilities.h"
#include "model/consistency.h"
#include "model/transformer.h"
#include "util/error.h"
#include "util/log.h"

#include <algorithm>
#include <chrono>
#include <string>

namespace ponder {

bool LoadedModel::supports_reasoning_toggle() const {
    return m_template.chat_template && m_template.chat_template->honours_enable_thinking();
}

int LoadedModel::count_tokens(std::string_view text) const {
    return static_cast<int>(m_tokenizer->encode(text, false, false).size());
}

const LoadedModel& loaded_model(const Model& model) {
    const auto* m = dynamic_cast<const LoadedModel*>(&model);
    if (!m) fail("this Model was not created by ponder::load_model");
    return *m;
}

namespace {

// Progress goes out with the phase and the backend chosen so far (CPU until one is chosen).
struct Reporter {
    const std::function<bool(const LoadProgress&)>& on_progress;
    BackendKind backend = BackendKind::Cpu;
    void operator()(float fraction, LoadPhase phase) const {
        if (on_progress && !on_progress(LoadProgress{fraction, phase, backend}))
            throw Cancelled("model loading was cancelled");
    }
};

std::string token_text_or_empty(const Tokenizer& tok, std::int32_t id) {
    if (id < 0 || id >= tok.vocab_size()) return {};
    return std::string(tok.token_text(id));
}

void select_chat_template(LoadedModel& m) {
    const GgufFile& f = *m.m_file;
    const Tokenizer& tok = *m.m_tokenizer;
    std::vector<std::string> texts;
    if (auto strings = f.get_strings("tokenizer.ggml.tokens")) texts.assign(strings->begin(), strings->end());
    chat::TemplateSource src;
    if (auto t = f.get_string("tokenizer.chat_template")) src.chat_template = std::string(*t);
    src.architecture = m.m_config.arch_name;
    src.token_texts = texts;
    src.bos_token = token_text_or_empty(tok, tok.bos());
    src.eos_token = token_text_or_empty(tok, tok.eos());
    m.m_template = chat::select_template(src);
    const std::string_view source =
        m.m_template.chat_template ? std::string_view(m.m_template.chat_template->source()) : std::string_view();
    m.m_think = chat::discover_think_markers(texts, source);
}

}  // namespace

std::shared_ptr<const Model> load_model(const LoadOptions& options, const std::function<bool(float)>& on_progress) {
    if (!on_progress) return load_model_with_progress(options, {});
    return load_model_with_progress(options, [&](const LoadProgress& p) { return on_progress(p.fraction); });
}

std::shared_ptr<const Model> load_model_with_progress(const LoadOptions& options,
                                                      const std::function<bool(const LoadProgress&)>& on_progress) {
    const auto t0 = std::chrono::steady_clock::now();
    Reporter report{on_progress};
    report(0.0f, LoadPhase::Reading);
    auto m = std::make_shared<LoadedModel>();
    // The file is mapped and parsed once; everything below reads this one directory.
    m->m_file.emplace(GgufFile::open(options.path));
    const GgufFile& f = *m->m_file;
    m->m_config = read_config(f);  // throws "architecture X is not supported yet"
    m->m_info = model_info(f);
    // Everything is checked against everything else before a backend is created or any weight
    // is touched: a bad file fails in milliseconds, not after a multi-gigabyte upload.
    check_model_consistency(f, m->m_config);
    m->m_tokenizer = Tokenizer::from_gguf(f);
    report(0.05f, LoadPhase::Reading);

    const int requested = options.context_length > 0 ? options.context_length : 4096;
    m->m_context_length = std::max(1, std::min(requested, m->m_config.context_length));
    m->m_kv_type = options.kv_cache;

    m->m_choice = choose_backend(options.backend, options.device_index);
    BackendOptions bo;
    bo.threads = options.threads;
    bo.background_threads = options.background_threads;
    const DType kv_dtype = KvCache::dtype_for(m->m_kv_type, m->m_config.head_dim);
    const std::string file_name = path_to_utf8(options.path.filename());
    const std::vector<WeightUse> plan = plan_weights(f, m->m_config);
    // A GPU `auto` chose falls back to the CPU, with the reason, when the model would not fit or
    // uses something the device cannot run; a device the user asked for refuses with that reason.
    auto fall_back_to_cpu = [&](const std::string& why, BackendReason code, std::vector<std::string> args) {
        const BackendChoice cpu = choose_backend(BackendKind::Cpu, 0);
        PONDER_LOG_INFO("%s: not on %s: %s", file_name.c_str(), m->m_choice.device_name.c_str(), why.c_str());
        m->m_choice = cpu;
        m->m_choice.reason = "CPU: " + cpu.device_name + " (auto: " + why + ")";
        m->m_choice.reason_code = code;
        m->m_choice.reason_args = std::move(args);
        m->m_backend = create_backend(BackendKind::Cpu, 0, bo);
    };
    if (m->m_choice.backend != BackendKind::Cpu) {
        std::uint64_t device_bytes = 0;
        for (const DeviceInfo& d : list_devices())
            if (d.backend == m->m_choice.backend && d.index == m->m_choice.device_index) device_bytes = d.memory_bytes;
        const std::uint64_t need = estimate_memory_bytes(m->m_info, m->m_context_length);
        auto gib = [](std::uint64_t b) {
            return b >= (std::uint64_t{1} << 30)
                       ? strprintf("%.1f GiB", static_cast<double>(b) / (1024.0 * 1024 * 1024))
                       : strprintf("%.0f MiB", static_cast<double>(b) / (1024.0 * 1024));
        };
        if (device_bytes > 0 && need > device_bytes) {
            const std::string why =
                strprintf("%s needs about %s at context %d, %s has %s", file_name.c_str(), gib(need).c_str(),
                          m->m_context_length, m->m_choice.device_name.c_str(), gib(device_bytes).c_str());
            std::vector<std::string> args{file_name, gib(need), std::to_string(m->m_context_length),
                                          m->m_choice.device_name, gib(device_bytes)};
            if (options.backend != BackendKind::Auto)
                fail_coded(ErrorCode::TooLittleMemory, args, "%s; choose a shorter context or the CPU", why.c_str());
            fall_back_to_cpu(why, BackendReason::TooLittleMemory, std::move(args));
        }
    }
    if (!m->m_backend && m->m_choice.backend != BackendKind::Cpu && options.backend == BackendKind::Auto) {
        try {
            m->m_backend = create_backend(m->m_choice.backend, m->m_choice.device_index, bo);
        } catch (const Error& e) {
            const std::string backend(to_string(m->m_choice.backend));
            fall_back_to_cpu(backend + " device unusable: " + e.what(), BackendReason::GpuUnusable,
                             {backend, e.what()});
        }
        if (m->m_backend && m->m_backend->kind() != BackendKind::Cpu) {
            const auto missing = missing_capabilities(*m->m_backend, plan, kv_dtype);
            if (!missing.empty()) {
                const std::string op(to_string(missing.front().op)), type(to_string(missing.front().type));
                fall_back_to_cpu(
                    strprintf("%s cannot run %s on %s", m->m_choice.device_name.c_str(), op.c_str(), type.c_str()),
                    BackendReason::GpuCannotRun, {m->m_choice.device_name, op, type});
            }
        }
    }
    if (!m->m_backend) m->m_backend = create_backend(m->m_choice.backend, m->m_choice.device_index, bo);
    // Before any weight goes to the device: refuse, naming the tensors, what it cannot run.
    require_capabilities(*m->m_backend, plan, kv_dtype, file_name);
    report.backend = m->m_backend->kind();
    report(0.1f, LoadPhase::Weights);

    auto bind = [&] {
        return bind_weights(f, m->m_config, *m->m_backend, [&](int done, int total) {
            return !on_progress ||
                   // min: 0.1 + 0.8 rounds to just above 0.9f, and the bar must never step back.
                   on_progress(LoadProgress{std::min(0.9f, 0.1f + 0.8f * static_cast<float>(done) / std::max(1, total)),
                                            LoadPhase::Weights, report.backend});
        });
    };
    try {
        m->m_weights = bind();
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        // The device failed part-way through the weights (most often out of memory that the
        // estimate thought free: other programs hold some). What went up is freed with the
        // backend; `auto` goes on on the CPU, saying why; a device the user chose refuses.
        if (m->m_backend->kind() == BackendKind::Cpu || options.backend != BackendKind::Auto) throw;
        const std::string backend(to_string(m->m_choice.backend));
        m->m_backend.reset();
        fall_back_to_cpu(backend + " device unusable: " + e.what(), BackendReason::GpuUnusable, {backend, e.what()});
        report.backend = m->m_backend->kind();
        m->m_weights = bind();
    }
    report(0.9f, LoadPhase::Finishing);

    select_chat_template(*m);
    report(1.0f, LoadPhase::Finishing);
    m->m_load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    PONDER_LOG_INFO("loaded %s (%s, %d layers, context %d) on %s in %.0f ms", path_to_utf8(options.path).c_str(),
                    m->m_config.arch_name.c_str(), m->m_config.n_layers, m->m_context_length,
                    m->m_choice.device_name.c_str(), m->m_load_ms);
    return m;
}

std::vector<std::int32_t> tokenize(const Model& model, std::string_view text, bool add_special, bool parse_special) {
    return loaded_model(model).m_tokenizer->encode(text, add_special, parse_special);
}

std::vector<float> eval_logits(const Model& model, std::span<const std::int32_t> tokens) {
    if (tokens.empty()) fail("no tokens to evaluate");
    // Non-owning shared_ptr: the caller keeps the model alive for this call.
    EvalContext ctx(std::shared_ptr<const Model>(std::shared_ptr<const Model>{}, &model),
                    static_cast<int>(tokens.size()));
    const std::span<const float> logits = ctx.eval(tokens);
    return {logits.begin(), logits.end()};
}

EvalContext::EvalContext(std::shared_ptr<const Model> model, int capacity, int max_batch)
    : m_ref(std::move(model)), m_m(loaded_model(*m_ref)) {
    if (capacity <= 0) fail("EvalContext: capacity must be positive");
    const ModelConfig& c = m_m.m_config;
    std::lock_guard lock(m_m.m_backend_mutex);  // allocation goes through the shared backend
    m_cache =
        std::make_unique<KvCache>(*m_m.m_backend, c.n_layers, capacity, c.kv_dim(), c.head_dim, m_m.m_kv_type, c.mla());
    m_tf = std::make_unique<Transformer>(*m_m.m_backend, c, m_m.m_weights, std::max(1, std::min(capacity, max_batch)));
    m_logits.resize(c.vocab_size);
}

EvalContext::~EvalContext() {
    std::lock_guard lock(m_m.m_backend_mutex);
    m_tf.reset();
    m_cache.reset();
}

std::span<const float> EvalContext::eval(std::span<const std::int32_t> tokens) {
    for (std::int32_t id : tokens)
        if (id < 0 || id >= m_m.m_config.vocab_size)
            fail("token id %d is outside the vocabulary (0..%d)", id, m_m.m_config.vocab_size - 1);
    std::lock_guard lock(m_m.m_backend_mutex);
    m_tf->forward(tokens, *m_cache, m_logits);
    return m_logits;
}

void EvalContext::truncate(int n) { m_cache->truncate(n); }
int EvalContext::size() const { return m_cache->size(); }
int EvalContext::capacity() const { return m_cache->capacity(); }

}  // namespace ponder
