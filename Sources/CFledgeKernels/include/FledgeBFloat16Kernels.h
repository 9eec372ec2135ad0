// bfloat16 conversions and the bf16 side of a fully connected layer's backward (mixed precision),
// compiled with target_clones like the other kernels. bf16 values are raw uint16_t bit patterns:
// the upper half of an IEEE binary32.
#ifndef FLEDGE_BFLOAT16_KERNELS_H
#define FLEDGE_BFLOAT16_KERNELS_H
#include <stddef.h>
#include <stdint.h>

/// out[i] = bf16(x[i]), rounded to nearest, ties to even (as torch's `.to(torch.bfloat16)`); infinities
/// stay infinite, finite values that round past the largest bf16 become infinite, and NaN becomes
/// the quiet NaN 0x7FC0 (never an infinity, which plain rounding of a NaN's bits could give).
void fledge_f32_to_bf16(const float *x, uint16_t *out, size_t count);

/// out[i] = x[i] widened to float (exact).
void fledge_bf16_to_f32(const uint16_t *x, float *out, size_t count);

/// The backward of bias + relu with the layer output kept in bf16: value = gradient where
/// output > 0, else 0; masked[i] = bf16(value); when `column_sums` is not NULL, each column's
/// fp32 values are also added into it (the bias gradient). No argument may alias another.
void fledge_relu_backward_rows_bf16(const float *gradient, const uint16_t *output, uint16_t *masked,
                                    float *column_sums, size_t rows, size_t cols);

#endif
