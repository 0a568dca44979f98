// kernels_x86_avx2.cpp: the x86 kernels compiled for AVX2 + FMA + F16C.
#include "backend/cpu/kernels_x86.inc"
