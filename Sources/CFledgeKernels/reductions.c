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
