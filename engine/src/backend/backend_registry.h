// backend_registry.h: internal view of the backends compiled into this build (tests, benchmarks).
#pragma once

#include "backend/backend.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ponder {

// One way of running the ops: a backend, or a CPU kernel table forced for comparison
// ("cpu-scalar", "cpu-avx2", "cpu-avx512"). Only variants that can run on this machine are listed.
struct BackendVariant {
    std::string name;
    std::function<std::unique_ptr<Backend>(int threads)> create;
};
std::vector<BackendVariant> backend_variants();

}  // namespace ponder
