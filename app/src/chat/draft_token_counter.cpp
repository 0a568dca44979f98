// draft_token_counter.cpp: debounce, ask the service, keep only the answer for the current text.
#include "chat/draft_token_counter.h"

namespace ponder {

DraftTokenCounter::DraftTokenCounter(InferenceService& inference, QObject* parent)
    : QObject(parent), m_inference(inference) {
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &DraftTokenCounter::request);
    connect(&m_inference, &InferenceService::tokensCounted, this, &DraftTokenCounter::onCounted);
    connect(&m_inference, &InferenceService::modelLoaded, this, &DraftTokenCounter::recount);
}

void DraftTokenCounter::setText(const QString& text) {
    if (text == m_text) return;
    m_text = text;
    if (text.trimmed().isEmpty()) {
        m_debounce.stop();
        set(text.isEmpty() ? -1 : 0, false);
        return;
    }
    // A keystroke every few ms must not become a count every few ms: wait for a pause.
    set(m_tokens, true);
    m_debounce.start();
}

void DraftTokenCounter::recount() {
    if (m_text.trimmed().isEmpty()) return;
    set(-1, true);
    m_debounce.start();
}

void DraftTokenCounter::request() {
    if (!m_inference.hasModel()) {
        set(-1, false);  // nothing to count with; the composer then shows nothing
        return;
    }
    m_inference.countTokens(m_text);
}

void DraftTokenCounter::onCounted(const QString& text, int count) {
    if (text != m_text) return;  // typed on since: the count for the newer text follows
    set(count, m_debounce.isActive());
}

void DraftTokenCounter::set(int tokens, bool counting) {
    if (tokens == m_tokens && counting == m_counting) return;
    m_tokens = tokens;
    m_counting = counting;
    emit tokensChanged();
}

}  // namespace ponder
