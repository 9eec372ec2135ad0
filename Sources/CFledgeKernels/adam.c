#include "FledgeOptimKernels.h"
#include "fledge_math.h"
#include <math.h>

// The operation order follows torch's _single_tensor_adam (lerp, mul+addcmul, sqrt / bc2 + eps,
// addcdiv) so results agree with PyTorch to fp32 rounding. Two loops keep the AMSGrad test out
// of the vectorised body; sqrtf becomes a vector instruction because of -fno-math-errno.
FLEDGE_CLONES
void fledge_adam_update(float *restrict param, const float *restrict grad, float *restrict exp_avg,
                        float *restrict exp_avg_sq, float *restrict max_exp_avg_sq, size_t count,
                        FledgeAdamConstants c) {
    if (max_exp_avg_sq) {
        for (size_t i = 0; i < count; i++) {
            float p = param[i] * c.decay;
            float g = grad[i] + c.l2 * p;
            float m = exp_avg[i] + c.one_minus_beta1 * (g - exp_avg[i]);
            float v = exp_avg_sq[i] * c.beta2 + c.one_minus_beta2 * g * g;
            float v_max = fmaxf(max_exp_avg_sq[i], v);
            exp_avg[i] = m;
            exp_avg_sq[i] = v;
            max_exp_avg_sq[i] = v_max;
            param[i] = p + (c.negative_step_size * m) / (sqrtf(v_max) / c.bias_correction2_root + c.epsilon);
        }
    } else {
        for (size_t i = 0; i < count; i++) {
            float p = param[i] * c.decay;
            float g = grad[i] + c.l2 * p;
            float m = exp_avg[i] + c.one_minus_beta1 * (g - exp_avg[i]);
            float v = exp_avg_sq[i] * c.beta2 + c.one_minus_beta2 * g * g;
            exp_avg[i] = m;
            exp_avg_sq[i] = v;
            param[i] = p + (c.negative_step_size * m) / (sqrtf(v) / c.bias_correction2_root + c.epsilon);
        }
    }
}
