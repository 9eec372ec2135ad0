"""Golden values for FledgeNN layers with their own fused kernels: LayerNorm, BatchNorm1d
(training output, gradients, running statistics, evaluation output) and EmbeddingBag.

Run: /tmp/peers-venv/bin/python scripts/reference/golden_layers.py
"""
import torch

from golden_common import case, fixed_generator, write_fixture

g = fixed_generator(1)
cases = []

# LayerNorm over the last axis and over the last two axes, with random affine parameters.
for name, shape, normalized in [("layer_norm/last", (3, 5), [5]), ("layer_norm/two_axes", (2, 3, 4), [3, 4])]:
    x = (torch.randn(shape, generator=g) * 3 + 1).requires_grad_(True)
    layer = torch.nn.LayerNorm(normalized)
    with torch.no_grad():
        layer.weight.copy_(torch.randn(normalized, generator=g))
        layer.bias.copy_(torch.randn(normalized, generator=g))
    y = layer(x)
    upstream = torch.randn(y.shape, generator=g)
    y.backward(upstream)
    cases.append(case(name, {"input": x, "weight": layer.weight, "bias": layer.bias, "upstream": upstream},
                      {"output": y, "grad_input": x.grad, "grad_weight": layer.weight.grad, "grad_bias": layer.bias.grad},
                      normalized_shape=normalized))

# BatchNorm1d: two training steps (running stats), gradients of the second, then eval.
for name, shape in [("batch_norm/2d", (6, 3)), ("batch_norm/3d", (4, 3, 2))]:
    layer = torch.nn.BatchNorm1d(3, momentum=0.1)
    with torch.no_grad():
        layer.weight.copy_(torch.rand(3, generator=g) + 0.5)
        layer.bias.copy_(torch.randn(3, generator=g))
    first = torch.randn(shape, generator=g) * 2 + 3
    layer(first)
    x = (torch.randn(shape, generator=g) * 1.5 - 1).requires_grad_(True)
    y = layer(x)
    upstream = torch.randn(y.shape, generator=g)
    y.backward(upstream)
    grad_weight, grad_bias = layer.weight.grad.clone(), layer.bias.grad.clone()
    layer.eval()
    evaluation_input = torch.randn(shape, generator=g).requires_grad_(True)
    evaluation = layer(evaluation_input)
    evaluation.backward(upstream)
    cases.append(case(name, {"first": first, "input": x, "weight": layer.weight, "bias": layer.bias,
                             "upstream": upstream, "eval_input": evaluation_input},
                      {"output": y, "grad_input": x.grad, "grad_weight": grad_weight, "grad_bias": grad_bias,
                       "running_mean": layer.running_mean, "running_var": layer.running_var,
                       "eval_output": evaluation, "eval_grad_input": evaluation_input.grad}))

# EmbeddingBag with an empty bag and a repeated id.
weight = torch.randn(6, 4, generator=g)
ids = torch.tensor([1, 3, 3, 0, 5, 2, 4])
offsets = torch.tensor([0, 3, 3, 5])
for mode in ("sum", "mean"):
    bag = torch.nn.EmbeddingBag.from_pretrained(weight.clone(), freeze=False, mode=mode)
    y = bag(ids, offsets)
    upstream = torch.randn(y.shape, generator=g)
    y.backward(upstream)
    cases.append(case(f"embedding_bag/{mode}", {"weight": weight, "ids": ids, "offsets": offsets, "upstream": upstream},
                      {"output": y, "grad_weight": bag.weight.grad}, mode=mode))

write_fixture("layers", "scripts/reference/golden_layers.py", cases)
