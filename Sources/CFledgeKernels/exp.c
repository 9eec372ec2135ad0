#include "FledgeKernels.h"
#include "fledge_math.h"

FLEDGE_CLONES
void fledge_exp(const float *x, float *out, size_t count) {
    for (size_t i = 0; i < count; i++) {
        float v = x[i];
        float e = fledge_expf_inline(v);
        // Past the clamp exp overflows to inf, as in glibc and torch.
        e = v > 88.72283f ? INFINITY : e;
        out[i] = v != v ? v : e;
    }
}
