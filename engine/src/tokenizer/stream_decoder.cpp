// stream_decoder.cpp: StreamDecoder: token-by-token text that never ends inside a UTF-8 code point.
#include "tokenizer/tokenizer.h"
#include "util/utf8.h"

namespace ponder {

StreamDecoder::StreamDecoder(const Tokenizer& tokenizer) : StreamDecoder(tokenizer, Options{}) {}

StreamDecoder::StreamDecoder(const Tokenizer& tokenizer, Options options)
    : m_tokenizer(&tokenizer), m_options(options) {}

std::string StreamDecoder::push(std::int32_t id) {
    std::string piece = m_tokenizer->token_piece(id, m_options.render_special);
    if (piece.empty()) return {};
    // Same rule as Tokenizer::decode: a rendered Control/UserDefined token keeps the space after it.
    if (!m_seen_text && m_options.strip_leading_space && piece[0] == ' ') {
        const TokenType type = m_tokenizer->token_type(id);
        if (type != TokenType::Control && type != TokenType::UserDefined) piece.erase(0, 1);
    }
    m_seen_text = true;
    m_pending += piece;
    // Emit everything up to an unfinished (but so far valid) sequence at the end; bytes that can
    // never become valid are replaced by U+FFFD now rather than held back forever.
    const std::size_t complete = utf8::complete_prefix_length(m_pending);
    std::string out = utf8::sanitize(std::string_view(m_pending).substr(0, complete));
    m_pending.erase(0, complete);
    return out;
}

std::string StreamDecoder::flush() {
    std::string out = utf8::sanitize(m_pending);
    m_pending.clear();
    return out;
}

void StreamDecoder::reset() {
    m_pending.clear();
    m_seen_text = false;
}

}  // namespace ponder
