// common.glsl: extensions and helpers every Ponder compute shader uses. Quantized KV caches are
// byte arrays (8-bit storage); weights are read as words that may hold a value unaligned
// (weights.glsl), as block sizes such as Q8_0's 34 and Q6_K's 210 bytes leave rows unaligned.
#extension GL_EXT_shader_8bit_storage : require
#extension GL_EXT_shader_16bit_storage : require
#extension GL_EXT_shader_explicit_arithmetic_types_int8 : require
#extension GL_EXT_shader_explicit_arithmetic_types_int16 : require
#extension GL_EXT_control_flow_attributes : require

// Grids past the device's 65535 workgroups per dimension are spread by the backend
// (VulkanBackend::dispatch): a 1-D grid over x and y, and rows in y over y and z, each rounded
// up to whole lines, so up to one line's worth of surplus workgroups run past the real count.
// Every shader indexed by these returns at once for an index past its own count (on GPUs
// without robust buffer access their reads and writes would land outside the tensors).
uint flat_group() { return gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x; }
uint flat_row() { return gl_WorkGroupID.y + gl_WorkGroupID.z * gl_NumWorkGroups.y; }

// A signed byte read from 8-bit storage, without 8-bit arithmetic (which would need the
// shaderInt8 feature: 8-bit storage alone allows loads and stores).
int s8(uint v) { return int(v << 24) >> 24; }  // v: the byte, widened by the caller

float half_bits_to_float(uint bits) { return unpackHalf2x16(bits).x; }
uint float_to_half_bits(float v) { return packHalf2x16(vec2(v, 0.0)) & 0xFFFFu; }
