// cmd_devices.cpp: `ponder-cli devices [--json]`: devices of every backend in this build with the
// details each backend gives (backend_registry.h), and what --backend auto would pick and why.
#include "commands.h"

#include "backend/backend_registry.h"

#include <ponder/engine.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>
#include <variant>
#include <vector>

namespace ponder::cli {

namespace {

std::string detail_text(const DeviceDetail& d) {
    if (const auto* s = std::get_if<std::string>(&d.value)) return *s;
    if (const auto* n = std::get_if<std::int64_t>(&d.value)) return std::to_string(*n);
    std::string joined;
    for (const std::string& s : std::get<std::vector<std::string>>(d.value)) joined += (joined.empty() ? "" : " ") + s;
    return joined.empty() ? "(none)" : joined;
}

}  // namespace

int cmd_devices(Args& args) {
    const bool json = args.flag("--json");
    args.positional();
    const std::vector<DeviceInfo> devices = list_devices();
    const BackendChoice choice = choose_backend(BackendKind::Auto);

    if (json) {
        nlohmann::ordered_json j;
        j["devices"] = nlohmann::json::array();
        for (const DeviceInfo& d : devices) {
            nlohmann::ordered_json e;
            e["backend"] = std::string(to_string(d.backend));
            e["index"] = d.index;
            e["name"] = d.name;
            e["memory_bytes"] = d.memory_bytes;
            e["discrete_gpu"] = d.discrete_gpu;
            for (const DeviceDetail& detail : device_details(d))
                std::visit([&](const auto& v) { e[detail.key] = v; }, detail.value);
            j["devices"].push_back(e);
        }
        j["auto"] = {{"backend", std::string(to_string(choice.backend))},
                     {"device_index", choice.device_index},
                     {"device_name", choice.device_name},
                     {"reason", choice.reason}};
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }

    for (const DeviceInfo& d : devices) {
        std::printf("%-6s #%d  %s\n", std::string(to_string(d.backend)).c_str(), d.index, d.name.c_str());
        std::printf("           memory: %.1f GiB%s\n", static_cast<double>(d.memory_bytes) / (1024.0 * 1024 * 1024),
                    d.discrete_gpu ? " (discrete GPU)" : "");
        for (const DeviceDetail& detail : device_details(d))
            std::printf("           %s: %s\n", detail.label.c_str(), detail_text(detail).c_str());
    }
    std::printf("auto: %s\n", choice.reason.c_str());
    return 0;
}

}  // namespace ponder::cli
