// draft_token_counter.h: the tokens of the message being typed, counted off the GUI thread, debounced.
#pragma once

#include "inference/inference_service.h"

#include <QtQml/qqmlregistration.h>
#include <QObject>
#include <QString>
#include <QTimer>

namespace ponder {

// The composer hands every edit to setText(); once typing pauses for kDebounceMs the service
// counts the text on its own thread, and `tokens` follows. Answers for text that has changed
// since are ignored, so the figure always belongs to what is in the input.
class DraftTokenCounter : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by ChatController")
    Q_PROPERTY(int tokens READ tokens NOTIFY tokensChanged)       // -1: not counted (yet, or no model)
    Q_PROPERTY(bool counting READ counting NOTIFY tokensChanged)  // an answer for the current text is due
public:
    static constexpr int kDebounceMs = 250;

    explicit DraftTokenCounter(InferenceService& inference, QObject* parent = nullptr);

    int tokens() const { return m_tokens; }
    bool counting() const { return m_counting; }
    Q_INVOKABLE void setText(const QString& text);
    void recount();  // the model changed: the same text may be a different number of tokens

Q_SIGNALS:
    void tokensChanged();

private:
    void request();
    void onCounted(const QString& text, int count);
    void set(int tokens, bool counting);

    InferenceService& m_inference;
    QTimer m_debounce;
    QString m_text;
    int m_tokens = -1;
    bool m_counting = false;
};

}  // namespace ponder
