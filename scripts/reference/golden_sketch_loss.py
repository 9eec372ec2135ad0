"""Golden values for FledgeEvents' sketch loss (foundation-model pretraining): the sum over the K
sketch partitions of torch.nn.functional.cross_entropy with probability targets, averaged over
samples, and its gradient with respect to the logits for a random upstream gradient.

Run: /tmp/peers-venv/bin/python scripts/reference/golden_sketch_loss.py
"""
import torch
import torch.nn.functional as F

from golden_common import case, fixed_generator, write_fixture

torch.set_default_dtype(torch.float32)
g = fixed_generator(0)


def sketch_loss(logits, targets, partitions):
    n, width = logits.shape
    buckets = width // partitions
    z = logits.reshape(n, partitions, buckets)
    t = targets.reshape(n, partitions, buckets)
    return sum(F.cross_entropy(z[:, k], t[:, k]) for k in range(partitions))


def targets_for(n, partitions, buckets, empty_rows=()):
    counts = (torch.rand(n, partitions, buckets, generator=g) > 0.6).float() * torch.rand(n, partitions, buckets, generator=g)
    counts[:, :, 0] += 0.05  # every partition has mass
    t = counts / counts.sum(dim=2, keepdim=True)
    for row in empty_rows:
        t[row] = 0  # a sample with no item events: contributes nothing
    return t.reshape(n, partitions * buckets)


cases = []
for name, (n, partitions, buckets, scale, empty) in {
    "small": (3, 2, 4, 1.0, ()),
    "wide": (5, 4, 8, 3.0, ()),
    "one_partition": (4, 1, 6, 2.0, ()),
    "empty_row": (4, 3, 4, 1.5, (2,)),
}.items():
    logits = (torch.randn(n, partitions * buckets, generator=g) * scale).requires_grad_(True)
    targets = targets_for(n, partitions, buckets, empty)
    loss = sketch_loss(logits, targets, partitions)
    upstream = torch.rand((), generator=g) + 0.5
    loss.backward(upstream)
    cases.append(case(f"sketch/{name}", {"logits": logits, "targets": targets, "upstream": upstream},
                      {"loss": loss, "grad_logits": logits.grad}, partitions=partitions))

write_fixture("sketch_loss", "scripts/reference/golden_sketch_loss.py", cases)
