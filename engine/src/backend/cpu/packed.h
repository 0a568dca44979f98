// packed.h: row-interleaved weight layouts the CPU backend builds at load for its fastest kernels.
//
// Why: in the file's layout a K-quant super-block belongs to one row, so a dot product spends a
// third of its work unpacking that row's scales and reducing eight sub-block sums horizontally.
// Interleaving eight rows puts one row in each 32-bit lane: a VNNI dot of four weight bytes per
// lane against four broadcast activation bytes yields eight rows' partial sums at once, scales
// apply to whole vectors (one scale per lane), and no horizontal reduction is left. Eight
// interleaved rows are also what a prompt tile wants: one unpacked weight vector serves every
// token of the tile.
//
// One header per format family: packed_q32.h (Q8_0, Q4_0, IQ4_NL, Q5_0) and packed_k.h (Q2_K..Q6_K,
// IQ4_XS), each with its packers; the x86 kernels on these layouts sit in the matching
// backend/cpu/x86/*_formats.h.
#pragma once

#include "backend/cpu/packed_k.h"
#include "backend/cpu/packed_q32.h"
#include "backend/cpu/packed_rows.h"
