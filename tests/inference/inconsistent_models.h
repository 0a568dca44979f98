// inconsistent_models.h: a generator of model files that are each wrong in exactly one way the
// loader checks (hyper-parameters against each other, vocabulary against the embedding, tensor
// shapes against the hyper-parameters, the GGUF specification's own limits). Built on the tiny
// model fixture (GgufWriter); used by the loader's tests and as seeds of the loader fuzzer.
#pragma once

#include "tiny_model.h"

#include <ostream>
#include <string>
#include <vector>

namespace ponder::test {

struct InconsistentModel {
    std::string name;                     // "q_projection_rows": a file-name-safe label
    TinyModelSpec spec;                   // the tiny model with the one fault
    std::vector<std::string> expect;      // fragments the error message must contain
};

// gtest prints a parameter by its name instead of its bytes.
inline void PrintTo(const InconsistentModel& m, std::ostream* os) { *os << m.name; }

// One case per check; every case's message names the key or tensor and both numbers.
std::vector<InconsistentModel> inconsistent_models();

}  // namespace ponder::test
