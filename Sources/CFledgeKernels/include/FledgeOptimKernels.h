// Fused optimizer updates (FledgeOptim), compiled with target_clones like the other kernels.
#ifndef FLEDGE_OPTIM_KERNELS_H
#define FLEDGE_OPTIM_KERNELS_H
#include <stddef.h>

/// Per-step scalars of one Adam/AdamW update, formed by the caller in double and rounded once.
typedef struct {
    float one_minus_beta1;
    float beta2;
    float one_minus_beta2;
    float negative_step_size;      // -lr / (1 - beta1^t)
    float bias_correction2_root;   // sqrt(1 - beta2^t)
    float epsilon;
    float l2;                      // Adam's L2 coefficient (0 for AdamW)
    float decay;                   // AdamW's 1 - lr * weight_decay (1 for Adam)
} FledgeAdamConstants;

/// One fused pass of torch's single-tensor Adam over `count` elements; `max_exp_avg_sq` is NULL
/// unless AMSGrad is on.
void fledge_adam_update(float *param, const float *grad, float *exp_avg, float *exp_avg_sq,
                        float *max_exp_avg_sq, size_t count, FledgeAdamConstants c);

#endif
