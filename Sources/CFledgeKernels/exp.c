#include "FledgeKernels.h"
#include <math.h>

#if defined(__x86_64__) && defined(__linux__)
#define FLEDGE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define FLEDGE_CLONES
#endif

// exp(x) = 2^n * exp(r), r = x - n*ln2 in [-ln2/2, ln2/2]; degree-6 polynomial for exp(r).
static inline float fledge_expf_inline(float x) {
    x = fminf(fmaxf(x, -87.3f), 88.7f);
    float n = __builtin_roundevenf(x * 1.44269504088896341f);
    float r = x - n * 0.693145751953125f;
    r = r - n * 1.428606765330187045e-06f;
    float p = 1.3888889e-3f + r * 1.9841270e-4f;
    p = 8.3333333e-3f + r * p;
    p = 4.1666667e-2f + r * p;
    p = 1.6666667e-1f + r * p;
    p = 0.5f + r * p;
    p = 1.0f + r * p;
    p = 1.0f + r * p;
    int bits = ((int)n + 127) << 23;
    float scale;
    __builtin_memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

FLEDGE_CLONES
void fledge_exp(const float *x, float *out, size_t count) {
    for (size_t i = 0; i < count; i++) out[i] = fledge_expf_inline(x[i]);
}
