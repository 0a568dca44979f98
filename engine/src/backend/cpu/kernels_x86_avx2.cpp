// kernels_x86_avx2.cpp: the x86 kernels compiled for AVX2 + FMA + F16C.
#include "backend/cpu/x86/kernel_table.h"
