// Internal to CFledgeKernels: the target_clones attribute and inline scalar building blocks
// (exp, log) that the kernels' loops inline and the compiler vectorises per instruction set.
#ifndef FLEDGE_MATH_H
#define FLEDGE_MATH_H
#include <math.h>
#include <stdint.h>

#if defined(__x86_64__) && defined(__linux__)
#define FLEDGE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define FLEDGE_CLONES
#endif

// Helpers called from FLEDGE_CLONES loops must be inlined into each clone: a call to an
// out-of-line copy would run baseline SSE2 code and stop the loop from vectorising.
#define FLEDGE_INLINE static inline __attribute__((always_inline))

FLEDGE_INLINE float fledge_bits_to_float(uint32_t bits) {
    float value;
    __builtin_memcpy(&value, &bits, sizeof value);
    return value;
}

FLEDGE_INLINE uint32_t fledge_float_to_bits(float value) {
    uint32_t bits;
    __builtin_memcpy(&bits, &value, sizeof bits);
    return bits;
}

// exp(x) = 2^n * exp(r), r = x - n*ln2 in [-ln2/2, ln2/2]; degree-6 polynomial for exp(r).
// 2^n is applied as two factors so results near FLT_MAX and down into the subnormals stay
// right. Inputs are clamped to [-104, 88.72283] (exp is 0 below, ~FLT_MAX at the top) and NaN
// becomes a finite value: callers that must propagate NaN or overflow to inf select it back.
FLEDGE_INLINE float fledge_expf_inline(float x) {
    x = fminf(fmaxf(x, -104.0f), 88.72283f);
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
    int ni = (int)n;
    int half = ni >> 1;
    float scale1 = fledge_bits_to_float((uint32_t)(half + 127) << 23);
    float scale2 = fledge_bits_to_float((uint32_t)(ni - half + 127) << 23);
    return p * scale1 * scale2;
}

// log(x) after fdlibm/musl logf: x = 2^k * m with m in [sqrt(1/2), sqrt(2)), then
// log(m) = f - f^2/2 + s*(f^2/2 + R(s^2)), s = f/(2+f). Branch-free so loops vectorise;
// handles subnormals, 0 (-inf), negatives (NaN), inf and NaN.
FLEDGE_INLINE float fledge_logf_inline(float x) {
    const float ln2_hi = 6.9313812256e-01f, ln2_lo = 9.0580006145e-06f;
    const float Lg1 = 0.66666662693f, Lg2 = 0.40000972152f, Lg3 = 0.28498786688f, Lg4 = 0.24279078841f;
    int subnormal = x < 1.17549435e-38f;
    float scaled = subnormal ? x * 33554432.0f : x; // 2^25
    uint32_t ix = fledge_float_to_bits(scaled);
    ix += 0x3f800000u - 0x3f3504f3u;
    int k = (int)(ix >> 23) - 0x7f - (subnormal ? 25 : 0);
    ix = (ix & 0x007fffffu) + 0x3f3504f3u;
    float m = fledge_bits_to_float(ix);
    float f = m - 1.0f;
    float s = f / (2.0f + f);
    float z = s * s;
    float w = z * z;
    float t1 = w * (Lg2 + w * Lg4);
    float t2 = z * (Lg1 + w * Lg3);
    float R = t2 + t1;
    float hfsq = 0.5f * f * f;
    float dk = (float)k;
    float result = s * (hfsq + R) + dk * ln2_lo - hfsq + f + dk * ln2_hi;
    result = x == INFINITY ? INFINITY : result;
    result = x == 0.0f ? -INFINITY : result;
    result = (x < 0.0f || x != x) ? NAN : result;
    return result;
}

// The sum of `count` (a power of two, at most 32) partial sums, folded pairwise: log2(count)
// vector adds instead of a chain of `count` dependent scalar adds.
FLEDGE_INLINE float fledge_fold_sum(float *lanes, int count) {
    for (int width = count / 2; width >= 1; width /= 2)
        for (int j = 0; j < width; j++) lanes[j] += lanes[j + width];
    return lanes[0];
}

// 1 / (1 + exp(-x)); saturates to 0 and 1 without overflow.
FLEDGE_INLINE float fledge_sigmoidf_inline(float x) {
    return 1.0f / (1.0f + fledge_expf_inline(-x));
}

#endif
