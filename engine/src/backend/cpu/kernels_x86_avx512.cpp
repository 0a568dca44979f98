// kernels_x86_avx512.cpp: the x86 kernels compiled with AVX-512 BW/VL + VNNI enabled.
#define PONDER_ISA_AVX512 1
#include "backend/cpu/x86/kernel_table.h"
