// read_bandwidth.h: how fast this machine streams memory right now (CpuBackend::measure_read_bandwidth,
// which `ponder-cli bench` reports next to generation speed).
//
// Generation is memory-bound, so its tokens/s mean little without the bandwidth the machine
// had at that moment (a shared VM's varies by 2x from hour to hour). bench reports the share
// of this figure that generation achieved.
#pragma once

#include <cstddef>

namespace ponder::cpu {

// GB/s of `threads` threads reading disjoint parts of a `bytes` buffer (far larger than the
// caches), best of three passes.
double measure_read_bandwidth(int threads, std::size_t bytes = std::size_t{256} << 20);

}  // namespace ponder::cpu
