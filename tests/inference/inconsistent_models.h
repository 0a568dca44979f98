// inconsistent_models.h: a generator of model files that are each wrong in exactly one way the
// loader checks (hyper-parameters against each other, vocabulary against the embedding, tensor
// shapes against the hyper-parameters, the GGUF specification's own limits). Built on the tiny
// model fixtures (tiny_model.h, tiny_deepseek2.h; GgufWriter); used by the loader's tests.
#pragma once

#include "tiny_deepseek2.h"
#include "tiny_model.h"

#include <filesystem>
#include <optional>

#include <ostream>
#include <string>
#include <vector>

namespace ponder::test {

struct InconsistentModel {
    std::string name;                      // "q_projection_rows": a file-name-safe label
    TinyModelSpec spec;                    // the tiny model with the one fault (llama/qwen2/qwen3)
    std::optional<TinyDeepseek2Spec> ds2;  // or, when set, the tiny deepseek2 model with it
    std::vector<std::string> expect;       // fragments the error message must contain
};

// gtest prints a parameter by its name instead of its bytes.
inline void PrintTo(const InconsistentModel& m, std::ostream* os) { *os << m.name; }

// One case per check; every case's message names the key or tensor and both numbers.
std::vector<InconsistentModel> inconsistent_models();

// Writes the case's file (the dense fixture or the deepseek2 one).
void write_inconsistent_model(const std::filesystem::path& path, const InconsistentModel& model);

}  // namespace ponder::test
