// cpu_device.h: the CPU as the registry lists it (name, memory) and describes it (cores, ISA
// flags, kernel table), so that nothing outside backend/cpu needs to know the CPU backend's types.
#pragma once

#include "backend/backend_registry.h"

#include <vector>

namespace ponder::cpu {

DeviceInfo cpu_device_info();
std::vector<DeviceDetail> cpu_device_details();

}  // namespace ponder::cpu
