// fp32 <-> bf16 conversion for mixed precision. Plain integer arithmetic on the bit patterns, so
// every clone (AVX-512, AVX2, baseline) vectorises it and all give the same bits; the conversion
// is memory-bound, so the AVX-512 BF16 convert instruction would not be faster.
#include "FledgeBFloat16Kernels.h"
#include "fledge_math.h"

// Round to nearest even: add 0x7FFF plus the lowest kept bit, then truncate. A NaN's payload
// could carry into the exponent and give an infinity, so NaN is selected to the canonical 0x7FC0.
FLEDGE_INLINE uint16_t fledge_bf16_from_float(float value) {
    uint32_t bits = fledge_float_to_bits(value);
    uint32_t rounded = (bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16;
    return (bits & 0x7FFFFFFFu) > 0x7F800000u ? (uint16_t)0x7FC0u : (uint16_t)rounded;
}

FLEDGE_INLINE float fledge_float_from_bf16(uint16_t value) {
    return fledge_bits_to_float((uint32_t)value << 16);
}

FLEDGE_CLONES
void fledge_f32_to_bf16(const float *restrict x, uint16_t *restrict out, size_t count) {
    for (size_t i = 0; i < count; i++) out[i] = fledge_bf16_from_float(x[i]);
}

FLEDGE_CLONES
void fledge_bf16_to_f32(const uint16_t *restrict x, float *restrict out, size_t count) {
    for (size_t i = 0; i < count; i++) out[i] = fledge_float_from_bf16(x[i]);
}

FLEDGE_CLONES
void fledge_relu_backward_rows_bf16(const float *restrict gradient, const uint16_t *restrict output,
                                    uint16_t *restrict masked, float *restrict column_sums, size_t rows, size_t cols) {
    for (size_t r = 0; r < rows; r++) {
        const float *g = gradient + r * cols;
        const uint16_t *y = output + r * cols;
        uint16_t *out = masked + r * cols;
        if (column_sums) {
            for (size_t i = 0; i < cols; i++) {
                float value = fledge_float_from_bf16(y[i]) > 0.0f ? g[i] : 0.0f;
                out[i] = fledge_bf16_from_float(value);
                column_sums[i] += value;
            }
        } else {
            for (size_t i = 0; i < cols; i++) {
                out[i] = fledge_bf16_from_float(fledge_float_from_bf16(y[i]) > 0.0f ? g[i] : 0.0f);
            }
        }
    }
}
