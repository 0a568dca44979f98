// backend_registry.h: internal view of the backends compiled into this build (tools, tests,
// benchmarks). The one place outside a backend's own folder that knows the concrete backends:
// everything else asks through here or through Backend.
#pragma once

#include "backend/backend.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace ponder {

// One way of running the ops: a backend, or a CPU kernel table forced for comparison
// ("cpu-scalar", "cpu-avx2", "cpu-avx512"). Only variants that can run on this machine are listed.
struct BackendVariant {
    std::string name;
    std::function<std::unique_ptr<Backend>(int threads)> create;
};
std::vector<BackendVariant> backend_variants();

// A fact about a device, as the backend that owns it describes it (the CPU's cores and ISA
// flags; a GPU's driver and limits), for `ponder-cli devices`.
struct DeviceDetail {
    std::string key;    // JSON key, e.g. "physical_cores"
    std::string label;  // in words, e.g. "physical cores"
    std::variant<std::string, std::int64_t, std::vector<std::string>> value;
};
std::vector<DeviceDetail> device_details(const DeviceInfo& device);

}  // namespace ponder
