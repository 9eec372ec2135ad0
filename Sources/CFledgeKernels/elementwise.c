// Transcendental elementwise kernels (forward and the backward rules that need exp/log).
#include "FledgeKernels.h"
#include "fledge_math.h"

FLEDGE_CLONES
void fledge_log(const float *x, float *out, size_t count) {
    for (size_t i = 0; i < count; i++) out[i] = fledge_logf_inline(x[i]);
}

// tanh: an odd polynomial (fitted, relative error < 1e-7) below |x| = 0.625, where the exp
// form would cancel; 1 - 2 / (exp(2|x|) + 1) above.
FLEDGE_INLINE float fledge_tanhf_inline(float x) {
    float a = fabsf(x);
    float z = x * x;
    float p = -0.005731123565164764f;
    p = 0.020664663351714477f + z * p;
    p = -0.05374842468005954f + z * p;
    p = 0.13331560945707488f + z * p;
    p = -0.33333287127106026f + z * p;
    float small = x + x * z * p;
    float large = 1.0f - 2.0f / (fledge_expf_inline(2.0f * a) + 1.0f);
    large = copysignf(large, x);
    float result = a < 0.625f ? small : large;
    return x != x ? x : result;
}

FLEDGE_CLONES
void fledge_tanh(const float *x, float *out, size_t count) {
    for (size_t i = 0; i < count; i++) out[i] = fledge_tanhf_inline(x[i]);
}

FLEDGE_CLONES
void fledge_sigmoid(const float *x, float *out, size_t count) {
    for (size_t i = 0; i < count; i++) {
        float v = x[i];
        float s = fledge_sigmoidf_inline(v);
        out[i] = v != v ? v : s;
    }
}

// log(1 + e) for e in [0, 1] as e * P(e), P a degree-9 least-squares fit of log1p(e) / e
// (relative error 1.6e-7 in float32): no log and no division, so softplus costs one exp.
FLEDGE_INLINE float fledge_log1p_unit(float e) {
    float e2 = e * e, e4 = e2 * e2, e8 = e4 * e4;
    float p01 = 1.0f + e * -0.49999889731407166f, p23 = 0.33329665660858154f + e * -0.2495117336511612f;
    float p45 = 0.19661039113998413f + e * -0.15263321995735168f;
    float p67 = 0.10533013939857483f + e * -0.05627000704407692f;
    float p89 = 0.019487882032990456f + e * -0.003164031310006976f;
    float p = (p01 + e2 * p23) + e4 * (p45 + e2 * p67) + e8 * p89;
    return e * p;
}

// softplus(z) = max(z, 0) + log(1 + exp(-|z|)), which never overflows.
FLEDGE_CLONES
void fledge_softplus(const float *x, float *out, size_t count, float beta, float threshold) {
    float inverse = 1.0f / beta;
    for (size_t i = 0; i < count; i++) {
        float v = x[i];
        float z = v * beta;
        float soft = (fmaxf(z, 0.0f) + fledge_log1p_unit(fledge_expf_inline(-fabsf(z)))) * inverse;
        out[i] = (z > threshold || v != v) ? v : soft;
    }
}

FLEDGE_CLONES
void fledge_softplus_backward(const float *x, const float *gradient, float *out, size_t count,
                              float beta, float threshold) {
    for (size_t i = 0; i < count; i++) {
        float z = x[i] * beta;
        float slope = z > threshold ? 1.0f : fledge_sigmoidf_inline(z);
        out[i] = gradient[i] * slope;
    }
}

// Standard normal CDF Phi(x) = erfc(-x / sqrt 2) / 2, with erfc(z) for z >= 0 from the
// Chebyshev fit of Numerical Recipes (erfcc, relative error < 1.2e-7 for all z), so the small
// tail for negative x keeps its relative accuracy (1 + erf(x) would cancel there). The exponent
// -z^2 + poly is formed with its rounding errors carried separately.
FLEDGE_INLINE float fledge_normal_cdf(float x) {
    float z = fabsf(x) * 0.70710678118654752f;
    float t = 1.0f / (1.0f + 0.5f * z);
    // Estrin's scheme: a dependency chain of 5 instead of 10 (the loop is latency-bound).
    float t2 = t * t, t4 = t2 * t2;
    float p01 = -1.26551223f + t * 1.00002368f, p23 = 0.37409196f + t * 0.09678418f;
    float p45 = -0.18628806f + t * 0.27886807f, p67 = -1.13520398f + t * 1.48851587f;
    float p89 = -0.82215223f + t * 0.17087277f;
    float poly = (p01 + t2 * p23) + t4 * ((p45 + t2 * p67) + t4 * p89);
    // z^2 = x^2 / 2 from x, not from the rounded z: at x = -9 the rounding of z alone would
    // cost 5e-6 relative error in the tail.
    float xx = x * x;
    float square = 0.5f * xx;
    float squareError = 0.5f * fmaf(x, x, -xx);
    float sum = poly - square;
    float back = sum - poly;
    float sumError = (poly - (sum - back)) + (-square - back);
    float erfc = t * fledge_expf_inline(sum) * (1.0f + sumError - squareError);
    float half = 0.5f * erfc;
    return x < 0.0f ? half : 1.0f - half;
}

FLEDGE_CLONES
void fledge_gelu(const float *x, float *out, size_t count) {
    for (size_t i = 0; i < count; i++) out[i] = x[i] * fledge_normal_cdf(x[i]);
}

FLEDGE_CLONES
void fledge_gelu_backward(const float *x, const float *gradient, float *out, size_t count) {
    for (size_t i = 0; i < count; i++) {
        float v = x[i];
        float density = 0.39894228040143268f * fledge_expf_inline(-0.5f * v * v);
        out[i] = gradient[i] * (fledge_normal_cdf(v) + v * density);
    }
}

// gelu with the tanh approximation, written as x * sigmoid(2u) (= x * (1 + tanh u) / 2) so
// negative inputs do not cancel; u = sqrt(2/pi) * (x + 0.044715 x^3).
FLEDGE_CLONES
void fledge_gelu_tanh(const float *x, float *out, size_t count) {
    for (size_t i = 0; i < count; i++) {
        float v = x[i];
        float u = 0.79788456080286536f * (v + 0.044715f * v * v * v);
        out[i] = v * fledge_sigmoidf_inline(2.0f * u);
    }
}

// d/dx: s + x * (1 - tanh^2 u) / 2 * du/dx with s = sigmoid(2u), and (1 - tanh^2 u) / 2 = 2 s (1 - s).
FLEDGE_CLONES
void fledge_gelu_tanh_backward(const float *x, const float *gradient, float *out, size_t count) {
    for (size_t i = 0; i < count; i++) {
        float v = x[i];
        float u = 0.79788456080286536f * (v + 0.044715f * v * v * v);
        float s = fledge_sigmoidf_inline(2.0f * u);
        float du = 0.79788456080286536f * (1.0f + 0.134145f * v * v);
        out[i] = gradient[i] * (s + 2.0f * v * s * (1.0f - s) * du);
    }
}
