// Row-wise softmax and log-softmax over contiguous rows, max-shifted for stability.
#include "FledgeKernels.h"
#include "fledge_math.h"

// Sixteen independent lanes so the compiler can vectorise the max and sum reductions without
// reassociating a single accumulator (which it may not do without -ffast-math).
#define LANES 16

FLEDGE_INLINE float row_max(const float *x, size_t cols) {
    float lanes[LANES];
    for (int j = 0; j < LANES; j++) lanes[j] = -INFINITY;
    size_t i = 0;
    for (; i + LANES <= cols; i += LANES)
        for (int j = 0; j < LANES; j++) lanes[j] = x[i + j] > lanes[j] ? x[i + j] : lanes[j];
    // The tail (all of a 10-class row) goes through one padded vector step instead of a scalar loop.
    float tail[LANES];
    for (int j = 0; j < LANES; j++) tail[j] = i + j < cols ? x[i + j] : -INFINITY;
    for (int j = 0; j < LANES; j++) lanes[j] = tail[j] > lanes[j] ? tail[j] : lanes[j];
    float m = -INFINITY;
    for (int j = 0; j < LANES; j++) m = lanes[j] > m ? lanes[j] : m;
    return m;
}

FLEDGE_INLINE float exp_shifted_sum(const float *x, float *out, size_t cols, float shift) {
    float lanes[LANES] = {0};
    size_t i = 0;
    for (; i + LANES <= cols; i += LANES)
        for (int j = 0; j < LANES; j++) {
            float e = fledge_expf_inline(x[i + j] - shift);
            if (out) out[i + j] = e;
            lanes[j] += e;
        }
    size_t rest = cols - i;
    float tail[LANES];
    for (int j = 0; j < LANES; j++) tail[j] = (size_t)j < rest ? x[i + j] : shift;
    for (int j = 0; j < LANES; j++) tail[j] = fledge_expf_inline(tail[j] - shift);
    for (int j = 0; j < LANES; j++) lanes[j] += (size_t)j < rest ? tail[j] : 0.0f;
    if (out)
        for (size_t j = 0; j < rest; j++) out[i + j] = tail[j];
    float sum = 0.0f;
    for (int j = 0; j < LANES; j++) sum += lanes[j];
    return sum;
}

// A row of only -inf has no finite maximum; shifting by 0 keeps exp(-inf - shift) = 0.
FLEDGE_INLINE float finite_shift(float m) { return isinf(m) ? 0.0f : m; }

// One row loop for both outputs; `logarithmic` is a constant in each caller, so each exported
// function compiles to its own branch-free loop.
FLEDGE_INLINE void normalize_rows(const float *x, float *out, size_t rows, size_t cols, int logarithmic) {
    for (size_t r = 0; r < rows; r++) {
        const float *row = x + r * cols;
        float *o = out + r * cols;
        float shift = finite_shift(row_max(row, cols));
        if (logarithmic) {
            // Subtract the shift and the log-sum separately: shift + log-sum rounded as one
            // float would lose the log-sum's low bits when the logits are large.
            float logSum = fledge_logf_inline(exp_shifted_sum(row, NULL, cols, shift));
            for (size_t i = 0; i < cols; i++) o[i] = (row[i] - shift) - logSum;
        } else {
            float scale = 1.0f / exp_shifted_sum(row, o, cols, shift);
            for (size_t i = 0; i < cols; i++) o[i] *= scale;
        }
    }
}

FLEDGE_CLONES
void fledge_softmax_rows(const float *x, float *out, size_t rows, size_t cols) {
    normalize_rows(x, out, rows, cols, 0);
}

FLEDGE_CLONES
void fledge_log_softmax_rows(const float *x, float *out, size_t rows, size_t cols) {
    normalize_rows(x, out, rows, cols, 1);
}
