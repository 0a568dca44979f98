// tokenizer.cpp: Tokenizer: vocabulary checks, special-token partitioning, encode/decode dispatch.
#include "tokenizer/tokenizer.h"

#include "tokenizer/bpe.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/spm.h"
#include "tokenizer/token_index.h"
#include "util/error.h"

#include <algorithm>
#include <array>
#include <limits>

namespace ponder {

namespace {

// Token texts that end a turn in the families Ponder runs (the list llama.cpp uses to find
// end-of-generation tokens by text; Qwen's FIM control tokens also stop generation there).
constexpr std::array<std::string_view, 16> kEndOfGenerationTexts = {
    "<|eot_id|>",
    "<|im_end|>",
    "<|end|>",
    "<|return|>",
    "<|call|>",
    "<end_of_turn>",
    "<|endoftext|>",
    "<|eom_id|>",
    "<EOT>",
    "_<EOT>",
    "<|end_of_text|>",
    "<end_of_utterance>",
    "<\xEF\xBD\x9C"
    "end\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>",  // <｜end▁of▁sentence｜>
    "<|fim_pad|>",
    "<|repo_name|>",
    "<|file_sep|>"};

// A run of input text, or one special token already recognised.
struct Fragment {
    std::int32_t token = -1;  // >= 0: a special token
    std::string_view text;    // raw text when token < 0
};

}  // namespace

struct Tokenizer::Impl {
    Vocab vocab;
    std::unique_ptr<tokenizer::TokenIndex> index;
    std::unique_ptr<tokenizer::BpeModel> bpe;
    std::unique_ptr<tokenizer::PreTokenizer> pre;
    std::unique_ptr<tokenizer::SpmModel> spm;
    std::vector<std::int32_t> specials;  // Control/UserDefined/Unknown, longest text first
    std::vector<std::int32_t> eog;       // sorted
    bool add_bos = false, add_eos = false, add_space_prefix = false;

    TokenType type(std::int32_t id) const {
        return vocab.types.empty() ? TokenType::Normal : vocab.types[static_cast<std::size_t>(id)];
    }
    void check_id(std::int32_t id) const {
        if (id < 0 || static_cast<std::size_t>(id) >= vocab.tokens.size())
            fail("tokenizer: token id %d is out of range (vocabulary has %zu tokens)", id, vocab.tokens.size());
    }
    std::vector<Fragment> partition(std::string_view text, bool parse_special) const;
    void encode_text(std::string_view text, std::vector<std::int32_t>& out) const;
};

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Tokenizer::~Tokenizer() = default;

std::unique_ptr<Tokenizer> Tokenizer::from_vocab(Vocab vocab) {
    auto impl = std::make_unique<Impl>();
    Vocab& v = impl->vocab;
    v = std::move(vocab);
    const std::size_t n = v.tokens.size();
    if (n == 0) fail("tokenizer: the vocabulary has no tokens (tokenizer.ggml.tokens)");
    if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max() / 2))
        fail("tokenizer: the vocabulary has %zu tokens, more than Ponder supports", n);
    if (!v.scores.empty() && v.scores.size() != n)
        fail("tokenizer: tokenizer.ggml.scores has %zu entries but there are %zu tokens", v.scores.size(), n);
    if (!v.types.empty() && v.types.size() != n)
        fail("tokenizer: tokenizer.ggml.token_type has %zu entries but there are %zu tokens", v.types.size(), n);
    for (std::size_t i = 0; i < v.types.size(); ++i) {
        const auto t = static_cast<std::int32_t>(v.types[i]);
        if (t < 0 || t > 6) fail("tokenizer: token %zu has unknown token type %d", i, t);
    }
    const std::pair<const char*, std::int32_t*> ids[] = {{"bos", &v.bos},     {"eos", &v.eos}, {"unknown", &v.unk},
                                                         {"padding", &v.pad}, {"eot", &v.eot}, {"eom", &v.eom}};
    for (const auto& [name, id] : ids)
        if (*id < -1 || *id >= static_cast<std::int64_t>(n))
            fail("tokenizer: the %s token id %d is out of range (vocabulary has %zu tokens)", name, *id, n);

    impl->index = std::make_unique<tokenizer::TokenIndex>(v.tokens);

    // End-of-generation ids; text-detected ones become Control, as llama.cpp does, so that they are
    // hidden unless rendered and only parsed with parse_special.
    for (std::int32_t id : {v.eos, v.eot, v.eom})
        if (id >= 0) impl->eog.push_back(id);
    for (std::string_view text : kEndOfGenerationTexts) {
        const std::int32_t id = impl->index->find(text);
        if (id < 0) continue;
        impl->eog.push_back(id);
        if (!v.types.empty() && v.types[id] != TokenType::UserDefined) v.types[id] = TokenType::Control;
    }
    std::sort(impl->eog.begin(), impl->eog.end());
    impl->eog.erase(std::unique(impl->eog.begin(), impl->eog.end()), impl->eog.end());

    for (std::size_t i = 0; i < v.types.size(); ++i) {
        const TokenType t = v.types[i];
        if ((t == TokenType::Control || t == TokenType::UserDefined || t == TokenType::Unknown) && !v.tokens[i].empty())
            impl->specials.push_back(static_cast<std::int32_t>(i));
    }
    std::stable_sort(impl->specials.begin(), impl->specials.end(),
                     [&](std::int32_t a, std::int32_t b) { return v.tokens[a].size() > v.tokens[b].size(); });

    if (v.kind == VocabKind::BytePairBpe) {
        tokenizer::PreTokenizer::Config config = tokenizer::PreTokenizer::config_for(v.pre);
        const bool llama3 = config.ignore_merges;  // the Llama 3 family also defaults to BOS
        impl->pre = std::make_unique<tokenizer::PreTokenizer>(std::move(config.patterns));
        impl->bpe = std::make_unique<tokenizer::BpeModel>(v.tokens, *impl->index, v.merges, llama3);
        impl->add_bos = v.add_bos.value_or(llama3 && v.bos >= 0);
        impl->add_space_prefix = false;
    } else {
        impl->spm = std::make_unique<tokenizer::SpmModel>(v.tokens, v.scores, *impl->index, v.unk);
        impl->add_bos = v.add_bos.value_or(v.bos >= 0);
        impl->add_space_prefix = v.add_space_prefix.value_or(true);
    }
    impl->add_eos = v.add_eos.value_or(false);
    if (impl->add_bos && v.bos < 0) fail("tokenizer: the vocabulary asks for a BOS token but has no bos id");
    if (impl->add_eos && v.eos < 0) fail("tokenizer: the vocabulary asks for an EOS token but has no eos id");
    return std::unique_ptr<Tokenizer>(new Tokenizer(std::move(impl)));
}

// Splits text around special-token occurrences, longest token first (llama.cpp's order, so that
// overlapping candidates resolve the same way). Control and Unknown tokens only with parse_special;
// UserDefined tokens always.
std::vector<Fragment> Tokenizer::Impl::partition(std::string_view text, bool parse_special) const {
    std::vector<Fragment> fragments{{-1, text}};
    std::vector<Fragment> next;
    for (std::int32_t id : specials) {
        const TokenType t = type(id);
        if (!parse_special && t != TokenType::UserDefined) continue;
        const std::string_view needle = vocab.tokens[id];
        bool found_any = false;
        for (const Fragment& f : fragments)
            if (f.token < 0 && f.text.find(needle) != std::string_view::npos) found_any = true;
        if (!found_any) continue;
        next.clear();
        for (const Fragment& f : fragments) {
            if (f.token >= 0) {
                next.push_back(f);
                continue;
            }
            std::size_t pos = 0;
            for (std::size_t hit; (hit = f.text.find(needle, pos)) != std::string_view::npos;
                 pos = hit + needle.size()) {
                if (hit > pos) next.push_back({-1, f.text.substr(pos, hit - pos)});
                next.push_back({id, {}});
            }
            if (pos < f.text.size()) next.push_back({-1, f.text.substr(pos)});
        }
        fragments.swap(next);
    }
    return fragments;
}

void Tokenizer::Impl::encode_text(std::string_view text, std::vector<std::int32_t>& out) const {
    if (bpe) {
        std::vector<std::string_view> pieces;
        pre->split(text, pieces);
        for (std::string_view piece : pieces) bpe->encode_piece(piece, out);
    } else {
        spm->encode(tokenizer::spm_escape(text), out);
    }
}

std::vector<std::int32_t> Tokenizer::encode(std::string_view text, bool add_special, bool parse_special) const {
    const Impl& m = *m_impl;
    std::vector<std::int32_t> out;
    out.reserve(text.size() / 3 + 2);
    if (add_special && m.add_bos) out.push_back(m.vocab.bos);
    if (!text.empty()) {
        // SentencePiece: a space goes in front of the text and after every special token, as
        // SentencePiece's own "add dummy prefix" does for each piece of text it is given.
        bool after_special = true;
        std::string spaced;
        for (const Fragment& f : m.partition(text, parse_special)) {
            if (f.token >= 0) {
                out.push_back(f.token);
                after_special = true;
                continue;
            }
            if (m.spm && m.add_space_prefix && after_special) {
                spaced.assign(1, ' ');
                spaced.append(f.text);
                m.encode_text(spaced, out);
            } else {
                m.encode_text(f.text, out);
            }
            after_special = false;
        }
    }
    if (add_special && m.add_eos) out.push_back(m.vocab.eos);
    return out;
}

std::string Tokenizer::token_piece(std::int32_t id, bool render_special) const {
    const Impl& m = *m_impl;
    m.check_id(id);
    const std::string& text = m.vocab.tokens[id];
    std::string out;
    switch (m.type(id)) {
    case TokenType::Control:
    case TokenType::Unknown:
        if (render_special) out = text;
        break;
    case TokenType::UserDefined: out = text; break;
    case TokenType::Unused: break;
    case TokenType::Byte:
        if (m.spm) {
            const int b = tokenizer::spm_byte_value(text);
            if (b >= 0) out += static_cast<char>(b);
            break;
        }
        [[fallthrough]];
    case TokenType::Normal:
    case TokenType::Undefined:
        if (m.bpe)
            tokenizer::append_from_byte_level(out, text);
        else
            tokenizer::spm_unescape_append(out, text);
        break;
    }
    return out;
}

std::string Tokenizer::decode(std::span<const std::int32_t> ids, bool render_special) const {
    std::string out;
    bool first_text = true;
    for (std::int32_t id : ids) {
        std::string piece = token_piece(id, render_special);
        if (piece.empty()) continue;
        // Undo the SentencePiece space prefix: only on the first text, and only when it came from
        // an ordinary token (a rendered "<s>" keeps the following space, as in llama.cpp).
        if (first_text && m_impl->spm && m_impl->add_space_prefix && piece[0] == ' ' &&
            m_impl->type(id) != TokenType::Control && m_impl->type(id) != TokenType::UserDefined)
            piece.erase(0, 1);
        first_text = false;
        out += piece;
    }
    return out;
}

std::string_view Tokenizer::token_text(std::int32_t id) const {
    m_impl->check_id(id);
    return m_impl->vocab.tokens[id];
}

std::optional<std::int32_t> Tokenizer::find_token(std::string_view stored_text) const {
    const std::int32_t id = m_impl->index->find(stored_text);
    if (id < 0) return std::nullopt;
    return id;
}

TokenType Tokenizer::token_type(std::int32_t id) const {
    m_impl->check_id(id);
    return m_impl->type(id);
}

std::int32_t Tokenizer::bos() const { return m_impl->vocab.bos; }
std::int32_t Tokenizer::eos() const { return m_impl->vocab.eos; }
bool Tokenizer::add_bos() const { return m_impl->add_bos; }
bool Tokenizer::add_eos() const { return m_impl->add_eos; }

bool Tokenizer::is_end_of_generation(std::int32_t id) const {
    return std::binary_search(m_impl->eog.begin(), m_impl->eog.end(), id);
}

bool Tokenizer::is_control(std::int32_t id) const {
    if (id < 0 || static_cast<std::size_t>(id) >= m_impl->vocab.tokens.size()) return false;
    const TokenType t = m_impl->type(id);
    return t == TokenType::Control || t == TokenType::Unknown;
}

int Tokenizer::vocab_size() const { return static_cast<int>(m_impl->vocab.tokens.size()); }

const Vocab& Tokenizer::vocab() const { return m_impl->vocab; }

}  // namespace ponder
