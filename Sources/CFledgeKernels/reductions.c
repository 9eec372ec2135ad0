// Sums along the two contiguous layouts reductions and bias gradients hit most: each row to one
// value, and all rows into one row. Swift's own loops compile for baseline SSE2; these clones
// use the machine's widest vectors.
#include "FledgeKernels.h"
#include "fledge_math.h"

// 32 lanes (two AVX-512 registers) of partial sums hide the add latency, and are more accurate
// than one running sum.
#define SUM_LANES 32

FLEDGE_INLINE float run_sum(const float *x, size_t count) {
    float lanes[SUM_LANES] = {0};
    size_t i = 0;
    for (; i + SUM_LANES <= count; i += SUM_LANES)
        for (int j = 0; j < SUM_LANES; j++) lanes[j] += x[i + j];
    for (int j = 0; i + j < count; j++) lanes[j] += x[i + j];
    return fledge_fold_sum(lanes, SUM_LANES);
}

FLEDGE_CLONES
void fledge_sum_rows(const float *x, float *out, size_t rows, size_t cols) {
    for (size_t r = 0; r < rows; r++) out[r] = run_sum(x + r * cols, cols);
}

FLEDGE_CLONES
void fledge_add_rows(const float *x, float *out, size_t rows, size_t cols, size_t stride) {
    size_t r = 0;
    // Four rows per pass over `out`: a quarter of the loads and stores of the accumulator.
    for (; r + 4 <= rows; r += 4) {
        const float *a = x + r * stride, *b = a + stride, *c = b + stride, *d = c + stride;
        for (size_t i = 0; i < cols; i++) out[i] += (a[i] + b[i]) + (c[i] + d[i]);
    }
    for (; r < rows; r++) {
        const float *a = x + r * stride;
        for (size_t i = 0; i < cols; i++) out[i] += a[i];
    }
}

// Max and min propagate NaN (torch.amax / amin). Rows use a plain select per lane plus an
// integer "saw NaN" flag per lane (a NaN-aware select, or a float NaN detector, ran 3-5x slower);
// the column accumulation keeps NaN with a NaN-aware select, which is sticky: once out[i] is NaN,
// `v > out[i]` and `v != v` are both false for numbers.
#define EXTREME_LANES 16
#define NAN_AWARE_MAX(v, m) (((v) > (m) || (v) != (v)) ? (v) : (m))
#define NAN_AWARE_MIN(v, m) (((v) < (m) || (v) != (v)) ? (v) : (m))

#define DEFINE_EXTREME(name, BEFORE, PICK, identity)                                            \
    FLEDGE_INLINE float name##_run(const float *x, size_t count) {                             \
        float lanes[EXTREME_LANES];                                                            \
        int sawNaN[EXTREME_LANES] = {0};                                                       \
        for (int j = 0; j < EXTREME_LANES; j++) lanes[j] = identity;                           \
        size_t blocks = count / EXTREME_LANES;                                                 \
        for (size_t b = 0; b < blocks; b++)                                                    \
            for (int j = 0; j < EXTREME_LANES; j++) {                                          \
                float v = x[b * EXTREME_LANES + j];                                            \
                lanes[j] = v BEFORE lanes[j] ? v : lanes[j];                                   \
                sawNaN[j] |= v != v;                                                           \
            }                                                                                  \
        float result = lanes[0];                                                               \
        int any = sawNaN[0];                                                                   \
        for (int j = 1; j < EXTREME_LANES; j++) {                                              \
            result = lanes[j] BEFORE result ? lanes[j] : result;                               \
            any |= sawNaN[j];                                                                  \
        }                                                                                      \
        for (size_t i = blocks * EXTREME_LANES; i < count; i++) result = PICK(x[i], result);   \
        return any ? NAN : result;                                                             \
    }                                                                                          \
    FLEDGE_CLONES void fledge_##name##_rows(const float *x, float *out, size_t rows, size_t cols) { \
        for (size_t r = 0; r < rows; r++) out[r] = name##_run(x + r * cols, cols);             \
    }                                                                                          \
    FLEDGE_CLONES void fledge_##name##_into_rows(const float *x, float *out, size_t rows, size_t cols, \
                                                 size_t stride) {                              \
        for (size_t r = 0; r < rows; r++)                                                      \
            for (size_t i = 0; i < cols; i++) out[i] = PICK(x[r * stride + i], out[i]);         \
    }

DEFINE_EXTREME(max, >, NAN_AWARE_MAX, -INFINITY)
DEFINE_EXTREME(min, <, NAN_AWARE_MIN, INFINITY)
