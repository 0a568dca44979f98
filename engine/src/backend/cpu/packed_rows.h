// packed_rows.h: rows per interleaved group of the layouts in packed_*.h.
#pragma once

namespace ponder::cpu {

inline constexpr int kPackRows = 8;  // rows per interleaved group

}  // namespace ponder::cpu
