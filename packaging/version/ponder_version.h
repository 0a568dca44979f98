// ponder_version.h: Ponder's version, one definition for every program (packaging/version/CMakeLists.txt).
#pragma once

namespace ponder {

const char* version_number();  // "0.1.0": the top-level CMake project's VERSION
const char* version_commit();  // "1a2b3c4d5e6f" or "1a2b3c4d5e6f-dirty"; "" outside a git checkout
const char* version_text();    // "0.1.0 (git 1a2b3c4d5e6f)", or "0.1.0" outside a checkout

}  // namespace ponder
