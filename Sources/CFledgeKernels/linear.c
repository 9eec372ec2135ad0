// The elementwise passes around the GEMM of a fully connected layer (Tensor.linear): bias + relu
// after the forward GEMM, and relu's mask fused with the bias gradient in the backward. Swift
// could not vectorise the fused mask-and-sum loop (it must assume the pointers alias), which
// made it a fifth of a training step of the benchmark MLP.
#include "FledgeKernels.h"
#include "fledge_math.h"

// max(v, 0) that keeps NaN, as torch.relu does (fmaxf would turn NaN into 0 and hide it).
FLEDGE_INLINE float relu_keeping_nan(float v) { return (v > 0.0f || v != v) ? v : 0.0f; }

FLEDGE_CLONES
void fledge_add_bias_relu_rows(float *restrict y, const float *restrict bias, size_t rows, size_t cols) {
    for (size_t r = 0; r < rows; r++) {
        float *line = y + r * cols;
        if (bias) {
            for (size_t i = 0; i < cols; i++) line[i] = relu_keeping_nan(line[i] + bias[i]);
        } else {
            for (size_t i = 0; i < cols; i++) line[i] = relu_keeping_nan(line[i]);
        }
    }
}

FLEDGE_CLONES
void fledge_relu_backward_rows(const float *restrict gradient, const float *restrict output, float *restrict masked,
                               float *restrict column_sums, size_t rows, size_t cols) {
    for (size_t r = 0; r < rows; r++) {
        const float *g = gradient + r * cols, *y = output + r * cols;
        float *out = masked + r * cols;
        if (column_sums) {
            for (size_t i = 0; i < cols; i++) {
                float value = y[i] > 0.0f ? g[i] : 0.0f;
                out[i] = value;
                column_sums[i] += value;
            }
        } else {
            for (size_t i = 0; i < cols; i++) out[i] = y[i] > 0.0f ? g[i] : 0.0f;
        }
    }
}
