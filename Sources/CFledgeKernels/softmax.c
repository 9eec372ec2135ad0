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
    for (; i < cols; i++) lanes[0] = x[i] > lanes[0] ? x[i] : lanes[0];
    for (int width = LANES / 2; width >= 1; width /= 2)
        for (int j = 0; j < width; j++) lanes[j] = lanes[j + width] > lanes[j] ? lanes[j + width] : lanes[j];
    return lanes[0];
}

// exp that keeps NaN (the clamp inside fledge_expf_inline would turn it into a number), so a
// NaN logit makes its row's sum NaN and with it the whole row, as in torch.
FLEDGE_INLINE float exp_keeping_nan(float d) {
    float e = fledge_expf_inline(d);
    return d != d ? d : e;
}

// The sum of exp(x - shift) over the row, also stored to `out` unless it is NULL.
FLEDGE_INLINE float exp_shifted_sum(const float *x, float *out, size_t cols, float shift) {
    float lanes[LANES] = {0};
    size_t i = 0;
    for (; i + LANES <= cols; i += LANES)
        for (int j = 0; j < LANES; j++) {
            float e = exp_keeping_nan(x[i + j] - shift);
            if (out) out[i + j] = e;
            lanes[j] += e;
        }
    for (; i < cols; i++) {
        float e = exp_keeping_nan(x[i] - shift);
        if (out) out[i] = e;
        lanes[0] += e;
    }
    return fledge_fold_sum(lanes, LANES);
}

// A row of only -inf has no finite maximum; shifting by 0 keeps exp(-inf - shift) = 0.
FLEDGE_INLINE float finite_shift(float m) { return isinf(m) ? 0.0f : m; }

// Rows shorter than one vector (10-class logits): the per-row max and sum in short scalar loops,
// the exponentials of all rows in one vectorised pass over the contiguous block.
FLEDGE_INLINE void normalize_short_rows(const float *x, float *out, size_t rows, size_t cols, int logarithmic) {
    for (size_t r = 0; r < rows; r++) {
        const float *row = x + r * cols;
        float m = row_max(row, cols);
        // +inf leaves no finite distribution (torch gives NaN): store NaN, which the passes below spread.
        float shift = m == INFINITY ? NAN : finite_shift(m);
        for (size_t i = 0; i < cols; i++) out[r * cols + i] = row[i] - shift;
    }
    for (size_t i = 0; i < rows * cols; i++) out[i] = exp_keeping_nan(out[i]);
    for (size_t r = 0; r < rows; r++) {
        const float *row = x + r * cols;
        float *o = out + r * cols;
        float sum = 0.0f;
        for (size_t i = 0; i < cols; i++) sum += o[i];
        if (logarithmic) {
            float shift = finite_shift(row_max(row, cols)), logSum = fledge_logf_inline(sum);
            for (size_t i = 0; i < cols; i++) o[i] = (row[i] - shift) - logSum;
        } else {
            float scale = 1.0f / sum;
            for (size_t i = 0; i < cols; i++) o[i] *= scale;
        }
    }
}

// One row loop for both outputs; `logarithmic` is a constant in each caller, so each exported
// function compiles to its own branch-free loop.
FLEDGE_INLINE void normalize_rows(const float *x, float *out, size_t rows, size_t cols, int logarithmic) {
    if (cols < LANES) {
        normalize_short_rows(x, out, rows, cols, logarithmic);
        return;
    }
    for (size_t r = 0; r < rows; r++) {
        const float *row = x + r * cols;
        float *o = out + r * cols;
        float m = row_max(row, cols);
        float shift = finite_shift(m);
        if (m == INFINITY) {
            // +inf leaves no finite distribution: NaN, as torch gives. (NaN reaches the row
            // through the sum of exp_keeping_nan.)
            for (size_t i = 0; i < cols; i++) o[i] = NAN;
        } else if (logarithmic) {
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

FLEDGE_CLONES
void fledge_log_sum_exp_rows(const float *x, float *out, size_t rows, size_t cols) {
    for (size_t r = 0; r < rows; r++) {
        const float *row = x + r * cols;
        float m = row_max(row, cols);
        // +inf dominates the sum; a NaN anywhere makes the sum NaN (torch.logsumexp).
        float shift = m == INFINITY ? 0.0f : finite_shift(m);
        float logSum = fledge_logf_inline(exp_shifted_sum(row, NULL, cols, shift));
        out[r] = m == INFINITY && logSum == logSum ? INFINITY : shift + logSum;
    }
}
