"""Golden values for FledgeNN losses: each case holds the inputs, an upstream gradient for the
loss output, the loss value and PyTorch's gradients with respect to the prediction and target.

Run: /tmp/peers-venv/bin/python scripts/reference/golden_losses.py
"""
import torch
import torch.nn.functional as F

from golden_common import case, fixed_generator, write_fixture

torch.set_default_dtype(torch.float32)
g = fixed_generator(0)
REDUCTIONS = ["mean", "sum", "none"]


def upstream_for(loss):
    return torch.rand(loss.shape, generator=g) + 0.5


def run(name, fn, prediction, target, extra_inputs=None, target_requires_grad=True, **attributes):
    prediction = prediction.clone().requires_grad_(True)
    target_leaf = target.clone().requires_grad_(target_requires_grad) if target.is_floating_point() else target
    loss = fn(prediction, target_leaf)
    upstream = upstream_for(loss)
    loss.backward(upstream)
    outputs = {"loss": loss, "grad_prediction": prediction.grad}
    if target.is_floating_point() and target_requires_grad:
        outputs["grad_target"] = target_leaf.grad
    inputs = {"prediction": prediction, "target": target, "upstream": upstream}
    inputs.update(extra_inputs or {})
    return case(name, inputs, outputs, **attributes)


cases = []
shape = (3, 4)
for reduction in REDUCTIONS:
    p = torch.randn(shape, generator=g) * 2
    t = torch.randn(shape, generator=g) * 2
    cases.append(run(f"mse/{reduction}", lambda x, y: F.mse_loss(x, y, reduction=reduction), p, t, reduction=reduction))
    cases.append(run(f"l1/{reduction}", lambda x, y: F.l1_loss(x, y, reduction=reduction), p, t, reduction=reduction))
    for delta in (0.5, 1.0, 2.0):
        cases.append(run(f"huber/{reduction}/{delta}",
                         lambda x, y: F.huber_loss(x, y, reduction=reduction, delta=delta), p, t,
                         reduction=reduction, delta=delta))

for reduction in REDUCTIONS:
    logits = torch.randn(shape, generator=g) * 3
    logits[0, 0], logits[1, 1] = 40.0, -40.0  # far tails must stay finite
    targets = (torch.rand(shape, generator=g) > 0.5).float()
    targets[2, 3] = 0.3  # soft targets are allowed
    pos_weight = torch.rand(shape[1], generator=g) * 3
    weight = torch.rand(shape[1], generator=g) + 0.5
    cases.append(run(f"bce/{reduction}", lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction=reduction),
                     logits, targets, reduction=reduction))
    cases.append(run(f"bce_pos_weight/{reduction}",
                     lambda x, y: F.binary_cross_entropy_with_logits(x, y, pos_weight=pos_weight, weight=weight,
                                                                     reduction=reduction),
                     logits, targets, {"pos_weight": pos_weight, "weight": weight}, reduction=reduction))
    cases.append(run(f"multilabel/{reduction}",
                     lambda x, y: F.multilabel_soft_margin_loss(x, y, reduction=reduction),
                     logits, targets, reduction=reduction))
    cases.append(run(f"multilabel_weight/{reduction}",
                     lambda x, y: F.multilabel_soft_margin_loss(x, y, weight=weight, reduction=reduction),
                     logits, targets, {"weight": weight}, reduction=reduction))

classes = 5
for reduction in REDUCTIONS:
    logits = torch.randn(4, classes, generator=g) * 2
    logits[3] += 60.0  # a shifted row checks the max subtraction
    targets = torch.tensor([0, 3, 4, 1])
    weight = torch.rand(classes, generator=g) + 0.5
    for smoothing in (0.0, 0.1):
        cases.append(run(f"cross_entropy/{reduction}/{smoothing}",
                         lambda x, y: F.cross_entropy(x, y, reduction=reduction, label_smoothing=smoothing),
                         logits, targets, reduction=reduction, label_smoothing=smoothing))
        cases.append(run(f"cross_entropy_weight/{reduction}/{smoothing}",
                         lambda x, y: F.cross_entropy(x, y, weight=weight, reduction=reduction,
                                                      label_smoothing=smoothing),
                         logits, targets, {"weight": weight}, reduction=reduction, label_smoothing=smoothing))

write_fixture("losses", "scripts/reference/golden_losses.py", cases)
