// model_default_values.h: what a user chose as the defaults for one model file (issue 10).
#pragma once

#include <QString>

#include <optional>

namespace ponder {

// Each field unset means "the app's default". A new chat with the model starts from the set
// ones; contextLength applies when the model is loaded.
struct ModelDefaultValues {
    std::optional<QString> systemPrompt;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> topK;
    std::optional<int> contextLength;
    bool empty() const { return !systemPrompt && !temperature && !topP && !topK && !contextLength; }
    bool operator==(const ModelDefaultValues&) const = default;
};

}  // namespace ponder
