// shaders.h: the SPIR-V of shaders/*.comp, compiled by glslc at build time and embedded (the
// build generates shaders.cpp with one entry per variant, e.g. "matmul_q4_k" = matmul.comp with
// -DW_Q4_K).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace ponder::vk {

// Empty when this build has no shader of that name.
std::span<const std::uint32_t> shader_spirv(std::string_view name);

}  // namespace ponder::vk
