// pretokenizer.cpp: PCRE2-based pre-tokenizer patterns (one list per tokenizer.ggml.pre) and splitting.
#include "tokenizer/pretokenizer.h"

#include "util/error.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace ponder::tokenizer {

namespace {

// Patterns are the published pre-tokenizer definitions (Hugging Face tokenizer.json files, as
// listed per `tokenizer.ggml.pre` by llama.cpp). Written for PCRE2 with UTF + UCP.

// Llama 3 / tiktoken cl100k style: contractions, letters with one leading non-letter, 1-3 digits.
const char* const kLlama3 =
    R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// Qwen2: as Llama 3 but every digit is its own piece.
const char* const kQwen2 =
    R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// GPT-2 (also the default for byte-level BPE without a known `pre`).
const char* const kGpt2 = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

// DeepSeek LLM: newline isolation, then an explicit Latin/Greek/Cyrillic/... letter class,
// (code points that Unicode normalization would fold are written as \x{...} escapes),
// ASCII + full-width punctuation, trailing whitespace, CJK/Hangul runs, digit runs.
const char* const kDeepseekLlmLetters =
    "\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-"
    "ὗὙὛὝὟ-\\x{1F7D}ᾀ-ᾴᾶ-ᾼ\\x{1FBE}ῂ-ῄῆ-ῌῐ-\\x{1FD3}ῖ-\\x{1FDB}ῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤ\\x{2126}ℨ\\x{212A}-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-"
    "ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]"
    "+";
const char* const kDeepseekLlmPunct = "\\s?[!-/:-~！-／：-～‘-‟　-。]+";
const char* const kCjkHangul = "[一-龥ࠀ-一가-퟿]+";

// DeepSeek V3: 1-3 digits, CJK/kana runs, then a cl100k-like pattern with punctuation/symbols.
const char* const kDeepseekV3Main =
    R"([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// Per-thread match state: PCRE2 match data is not shareable between concurrent matches, and a
// JIT stack larger than the 32 KiB default keeps long runs (e.g. 100 KB of spaces) on the JIT path.
struct MatchScratch {
    pcre2_match_data* data = nullptr;
    pcre2_match_context* context = nullptr;
    pcre2_jit_stack* jit_stack = nullptr;

    MatchScratch() {
        data = pcre2_match_data_create(1, nullptr);
        context = pcre2_match_context_create(nullptr);
        jit_stack = pcre2_jit_stack_create(32 * 1024, 8 * 1024 * 1024, nullptr);
        if (context && jit_stack) pcre2_jit_stack_assign(context, nullptr, jit_stack);
    }
    ~MatchScratch() {
        pcre2_jit_stack_free(jit_stack);
        pcre2_match_context_free(context);
        pcre2_match_data_free(data);
    }
    MatchScratch(const MatchScratch&) = delete;
    MatchScratch& operator=(const MatchScratch&) = delete;
};

MatchScratch& scratch() {
    thread_local MatchScratch s;
    if (!s.data || !s.context) fail("tokenizer: out of memory creating regex match data");
    return s;
}

std::string pcre2_message(int code) {
    PCRE2_UCHAR buffer[256];
    if (pcre2_get_error_message(code, buffer, sizeof buffer) < 0) return strprintf("PCRE2 error %d", code);
    return reinterpret_cast<const char*>(buffer);
}

}  // namespace

struct PreTokenizer::Step {
    pcre2_code* code = nullptr;
    std::string pattern;
    ~Step() { pcre2_code_free(code); }
};

PreTokenizer::PreTokenizer(std::vector<std::string> patterns) {
    for (std::string& pattern : patterns) {
        auto step = std::make_unique<Step>();
        step->pattern = std::move(pattern);
        int error = 0;
        PCRE2_SIZE error_offset = 0;
        // MATCH_INVALID_UTF: arbitrary bytes may come in; invalid sequences simply never match
        // and end up in gap pieces, which byte-level BPE still encodes losslessly.
        step->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(step->pattern.data()), step->pattern.size(),
                                   PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &error, &error_offset, nullptr);
        if (!step->code)
            fail("tokenizer: pre-tokenizer pattern does not compile at offset %zu: %s",
                 static_cast<size_t>(error_offset), pcre2_message(error).c_str());
        pcre2_jit_compile(step->code, PCRE2_JIT_COMPLETE);  // best effort: the interpreter also works
        m_steps.push_back(std::move(step));
    }
}

PreTokenizer::~PreTokenizer() = default;

void PreTokenizer::split(std::string_view text, std::vector<std::string_view>& out) const {
    if (text.empty()) return;
    std::vector<std::string_view> current{text};
    std::vector<std::string_view> next;
    MatchScratch& s = scratch();
    for (const auto& step : m_steps) {
        next.clear();
        for (std::string_view piece : current) {
            const auto* subject = reinterpret_cast<PCRE2_SPTR>(piece.data());
            std::size_t pos = 0, gap_start = 0;
            while (pos < piece.size()) {
                int rc = pcre2_match(step->code, subject, piece.size(), pos, 0, s.data, s.context);
                if (rc == PCRE2_ERROR_NOMATCH) break;
                if (rc == PCRE2_ERROR_JIT_STACKLIMIT)  // pathological input: retry without JIT
                    rc = pcre2_match(step->code, subject, piece.size(), pos, PCRE2_NO_JIT, s.data, s.context);
                if (rc < 0)
                    fail("tokenizer: pre-tokenizer regex failed at byte %zu: %s", pos, pcre2_message(rc).c_str());
                const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(s.data);
                const std::size_t begin = ov[0], end = ov[1];
                if (end <= begin) {  // empty match: none of our patterns do this, but never loop
                    pos = begin + 1;
                    continue;
                }
                if (begin > gap_start) next.push_back(piece.substr(gap_start, begin - gap_start));
                next.push_back(piece.substr(begin, end - begin));
                pos = gap_start = end;
            }
            if (gap_start < piece.size()) next.push_back(piece.substr(gap_start));
        }
        current.swap(next);
    }
    out.insert(out.end(), current.begin(), current.end());
}

PreTokenizer::Config PreTokenizer::config_for(std::string_view pre) {
    auto is = [pre](std::initializer_list<std::string_view> names) {
        for (std::string_view n : names)
            if (pre == n) return true;
        return false;
    };
    // Llama 3 family: a pre-token that is itself a token is taken whole (ignore_merges).
    if (is({"llama-bpe", "llama3", "llama-v3", "falcon3", "falcon-h1", "pixtral"})) return {{kLlama3}, true};
    if (is({"smaug-bpe", "dbrx", "chatglm-bpe"})) return {{kLlama3}, false};
    if (is({"qwen2", "deepseek-r1-qwen", "stablelm2", "hunyuan", "grok-2"})) return {{kQwen2}, false};
    if (is({"gpt-2", "mpt", "olmo", "jais", "trillion", "granite-docling"})) return {{kGpt2}, false};
    if (pre == "deepseek-llm")
        return {{"[\\r\\n]", kDeepseekLlmLetters, kDeepseekLlmPunct, "\\s+$", kCjkHangul, "\\p{N}+"}, false};
    if (pre == "deepseek-coder") return {{"[\\r\\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", kCjkHangul, "\\p{N}"}, false};
    if (pre == "deepseek-v3") return {{"\\p{N}{1,3}", "[一-龥぀-ゟ゠-ヿ]+", kDeepseekV3Main}, false};
    // Further families llama.cpp lists (same published patterns; not covered by reference data here).
    if (is({"default", ""}))  // llama.cpp's default for byte-level BPE without a known `pre`
        return {{R"([\p{P}\$\+<=>\^~\|]+)", kGpt2, R"(\p{N}+)", "[0-9][0-9][0-9]"}, false};
    if (pre == "falcon") return {{R"([\p{P}\$\+<=>\^~\|`]+)", kGpt2, "[0-9][0-9][0-9]"}, false};
    if (is({"starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b"}))
        return {{R"(\p{N})", kGpt2}, false};
    if (is({"poro-chat", "bloom", "gpt3-finnish"})) return {{" ?[^(\\s|.,!?…。，、।۔،)]+"}, false};
    if (pre == "viking") return {{" ?[^(\\s|.,!?…。，、।۔،)]+", R"(\p{N})"}, false};
    if (pre == "seed-coder")
        return {
            {R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1}| ?[^\s\p{L}\p{N}\r\n]+|\s*[\r\n]+|\s+(?!\S)|\s+)"},
            false};
    fail(
        "tokenizer: unsupported pre-tokenizer '%.*s' (tokenizer.ggml.pre); supported: llama-bpe, qwen2, "
        "deepseek-r1-qwen, deepseek-llm, deepseek-coder, deepseek-v3, gpt-2 and a few related families",
        static_cast<int>(pre.size()), pre.data());
}

std::vector<std::string> PreTokenizer::patterns_for(std::string_view pre) { return config_for(pre).patterns; }

}  // namespace ponder::tokenizer
