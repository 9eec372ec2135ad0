// Hot elementwise kernels in C, compiled for several instruction sets with target_clones so the
// best one is picked at load time on any x86-64 CPU (AVX-512, AVX2, baseline). Each works on
// contiguous float arrays; `count` elements.
#ifndef FLEDGE_KERNELS_H
#define FLEDGE_KERNELS_H
#include <stddef.h>

/// out[i] = exp(x[i]), vectorised polynomial (relative error ~1e-7).
void fledge_exp(const float *x, float *out, size_t count);

#endif
