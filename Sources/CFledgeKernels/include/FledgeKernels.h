// Hot elementwise kernels in C, compiled for several instruction sets with target_clones so the
// best one is picked at load time on any x86-64 CPU (AVX-512, AVX2, baseline). Each works on
// contiguous float arrays; `count` elements.
#ifndef FLEDGE_KERNELS_H
#define FLEDGE_KERNELS_H
#include <stddef.h>

/// out[i] = exp(x[i]), vectorised polynomial (relative error ~1e-7); inf above 88.72, NaN kept.
void fledge_exp(const float *x, float *out, size_t count);

/// out[i] = log(x[i]) (fdlibm polynomial, ~1 ulp); log(0) = -inf, log(negative) = NaN.
void fledge_log(const float *x, float *out, size_t count);

/// out[i] = tanh(x[i]).
void fledge_tanh(const float *x, float *out, size_t count);

/// out[i] = 1 / (1 + exp(-x[i])).
void fledge_sigmoid(const float *x, float *out, size_t count);

/// out[i] = log(1 + exp(beta x)) / beta, or x where beta x > threshold (torch.nn.functional.softplus).
void fledge_softplus(const float *x, float *out, size_t count, float beta, float threshold);

/// out[i] = gradient[i] * d softplus / dx at x[i] (sigmoid(beta x), or 1 above the threshold).
void fledge_softplus_backward(const float *x, const float *gradient, float *out, size_t count,
                              float beta, float threshold);

/// out[i] = x Phi(x), the exact (erf) gelu.
void fledge_gelu(const float *x, float *out, size_t count);

/// out[i] = gradient[i] * (Phi(x) + x phi(x)).
void fledge_gelu_backward(const float *x, const float *gradient, float *out, size_t count);

/// out[i] = x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2, the tanh-approximated gelu.
void fledge_gelu_tanh(const float *x, float *out, size_t count);

/// out[i] = gradient[i] * d gelu_tanh / dx at x[i].
void fledge_gelu_tanh_backward(const float *x, const float *gradient, float *out, size_t count);

/// Softmax of each of `rows` contiguous rows of `cols` elements (max-shifted). Rows holding
/// NaN or +inf come out as NaN, as in torch.
void fledge_softmax_rows(const float *x, float *out, size_t rows, size_t cols);

/// Log-softmax of each row: x - max - log(sum(exp(x - max))).
void fledge_log_softmax_rows(const float *x, float *out, size_t rows, size_t cols);

/// out[r] = log(sum(exp(row r))), max-shifted; +inf or NaN in a row gives +inf or NaN.
void fledge_log_sum_exp_rows(const float *x, float *out, size_t rows, size_t cols);

/// out[r] = sum of row r, for `rows` contiguous rows of `cols` elements.
void fledge_sum_rows(const float *x, float *out, size_t rows, size_t cols);

/// out[i] += sum over r of x[r * stride + i] for i < cols: rows accumulated into one row
/// (`out` holds the starting values).
void fledge_add_rows(const float *x, float *out, size_t rows, size_t cols, size_t stride);

/// out[r] = max (or min) of row r, NaN if the row holds one.
void fledge_max_rows(const float *x, float *out, size_t rows, size_t cols);
void fledge_min_rows(const float *x, float *out, size_t rows, size_t cols);

/// out[i] = max (or min) of out[i] and x[r * stride + i] over `rows` rows, NaN-propagating.
void fledge_max_into_rows(const float *x, float *out, size_t rows, size_t cols, size_t stride);
void fledge_min_into_rows(const float *x, float *out, size_t rows, size_t cols, size_t stride);


/// y[r][i] = max(0, y[r][i] + bias[i]) for `rows` rows of `cols` (bias may be NULL).
void fledge_add_bias_relu_rows(float *y, const float *bias, size_t rows, size_t cols);

/// masked = gradient where output > 0, else 0; when `column_sums` is not NULL, each column of
/// masked is also added into it (the bias gradient). No argument may alias another.
void fledge_relu_backward_rows(const float *gradient, const float *output, float *masked,
                               float *column_sums, size_t rows, size_t cols);

#endif
