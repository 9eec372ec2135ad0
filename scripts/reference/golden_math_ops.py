"""Golden values for the math ops (arithmetic, comparisons, unary, activations, reductions, softmax).

Run: /tmp/peers-venv/bin/python scripts/reference/golden_math_ops.py
Writes Tests/Fixtures/golden/math_ops.json, read by Tests/FledgeTensorTests/MathGoldenTests.swift.

Inputs are float32 values; PyTorch evaluates them in float64, so the fixtures hold the exact
answers (float32 PyTorch itself is off by more than 1e-5 in places, e.g. erf-gelu for x < -3,
where 1 + erf(x) cancels). Gradients use a random upstream gradient `dout`, so every output
element counts. Case names start with the op; attributes carry axes, exponents and flags.
"""
import torch
import torch.nn.functional as F

from golden_common import case, fixed_generator, write_fixture

g = fixed_generator(1234)


def rand(*shape, low=-2.0, high=2.0):
    return (torch.rand(tuple(shape), generator=g, dtype=torch.float32) * (high - low) + low)


def with_grads(fn, inputs, names):
    leaves = [t.to(torch.float64).requires_grad_(True) for t in inputs]
    out = fn(*leaves)
    dout = rand(*out.shape)
    out.backward(dout.to(torch.float64))
    grads = {f"d{name}": leaf.grad for name, leaf in zip(names, leaves)}
    return out.detach(), dout, grads


def shape_name(shape):
    return "x".join(map(str, shape)) if shape else "scalar"


cases = []

# Binary arithmetic with every broadcasting layout the kernels distinguish.
binary_shapes = [([3, 4], [3, 4]), ([3, 4], [4]), ([3, 4], [3, 1]), ([4], [3, 4]), ([3, 1], [1, 4]),
                 ([2, 1, 3], [4, 1]), ([3, 4], []), ([], [2, 3]), ([2, 3, 4], [3, 1])]
binary_ops = {
    "add": torch.add, "subtract": torch.sub, "multiply": torch.mul, "divide": torch.div,
    "minimum": torch.minimum, "maximum": torch.maximum,
}
for op, fn in binary_ops.items():
    for lhs, rhs in binary_shapes:
        a = rand(*lhs)
        b = rand(*rhs, low=0.5, high=2.0) if op == "divide" else rand(*rhs)
        out, dout, grads = with_grads(fn, [a, b], ["a", "b"])
        cases.append(case(f"{op}_{shape_name(lhs)}_{shape_name(rhs)}", {"a": a, "b": b, "dout": dout},
                          {"out": out, **grads}, op=op))

# Tensor-scalar arithmetic on both sides.
scalar_ops = {
    "add_scalar": lambda t: t + 1.5, "scalar_add": lambda t: 1.5 + t,
    "subtract_scalar": lambda t: t - 0.75, "scalar_subtract": lambda t: 0.75 - t,
    "multiply_scalar": lambda t: t * -2.5, "scalar_multiply": lambda t: -2.5 * t,
    "divide_scalar": lambda t: t / 3.0, "scalar_divide": lambda t: 3.0 / t, "negate": lambda t: -t,
}
for op, fn in scalar_ops.items():
    x = rand(3, 4, low=0.5, high=2.0)
    out, dout, grads = with_grads(fn, [x], ["x"])
    cases.append(case(f"scalar_{op}", {"x": x, "dout": dout}, {"out": out, **grads}, op=op))

# Powers: scalar exponents on positive bases, tensor exponents with broadcasting.
for exponent in [2.0, 3.0, 0.5, -1.0, 1.7, -2.5, 0.0]:
    x = rand(3, 4, low=0.25, high=2.0)
    out, dout, grads = with_grads(lambda t: torch.pow(t, exponent), [x], ["x"])
    cases.append(case(f"pow_scalar_{exponent}", {"x": x, "dout": dout}, {"out": out, **grads}, exponent=exponent))
for lhs, rhs in [([3, 4], [3, 4]), ([3, 4], [4]), ([3, 1], [4])]:
    a, b = rand(*lhs, low=0.25, high=2.0), rand(*rhs)
    out, dout, grads = with_grads(torch.pow, [a, b], ["a", "b"])
    cases.append(case(f"pow_tensor_{shape_name(lhs)}_{shape_name(rhs)}", {"a": a, "b": b, "dout": dout},
                      {"out": out, **grads}))

# Comparisons on small integers so ties occur; not differentiable.
comparisons = {"greater": torch.gt, "less": torch.lt, "greater_equal": torch.ge, "less_equal": torch.le,
               "equal": torch.eq, "not_equal": torch.ne}
for op, fn in comparisons.items():
    a = torch.randint(-2, 3, (3, 4), generator=g).float()
    b = torch.randint(-2, 3, (4,), generator=g).float()
    cases.append(case(f"compare_{op}", {"a": a, "b": b}, {"out": fn(a, b).float(), "scalar": fn(a, 1.0).float()},
                      op=op))

# Unary functions and activations, including values straddling their special points.
spread = torch.linspace(-6, 6, 25)
unary = {
    "abs": (torch.abs, rand(3, 5)), "exp": (torch.exp, torch.linspace(-80, 80, 17)),
    "exp_small": (torch.exp, rand(3, 5)), "log": (torch.log, rand(3, 5, low=1e-3, high=50.0)),
    "sqrt": (torch.sqrt, rand(3, 5, low=0.01, high=9.0)), "tanh": (torch.tanh, spread),
    "sigmoid": (torch.sigmoid, torch.linspace(-20, 20, 41)), "relu": (torch.relu, rand(3, 5)),
    "leaky_relu": (lambda t: F.leaky_relu(t, 0.2), rand(3, 5)),
    "leaky_relu_default": (F.leaky_relu, rand(3, 5)),
    "gelu": (F.gelu, spread), "gelu_tanh": (lambda t: F.gelu(t, approximate="tanh"), spread),
    "softplus": (F.softplus, torch.linspace(-30, 30, 25)),
    "softplus_beta2_threshold1": (lambda t: F.softplus(t, beta=2.0, threshold=1.0), spread / 4),
    "softplus_beta0.5_threshold5": (lambda t: F.softplus(t, beta=0.5, threshold=5.0), torch.linspace(-20, 20, 33)),
    "clamp_both": (lambda t: torch.clamp(t, -1.0, 0.5), rand(3, 5)),
    "clamp_min": (lambda t: torch.clamp(t, min=-0.5), rand(3, 5)),
    "clamp_max": (lambda t: torch.clamp(t, max=0.25), rand(3, 5)),
}
for op, (fn, x) in unary.items():
    out, dout, grads = with_grads(fn, [x], ["x"])
    cases.append(case(f"unary_{op}", {"x": x, "dout": dout}, {"out": out, **grads}, op=op))

# Reductions over several axis sets, with and without kept dimensions.
axis_sets = [None, [0], [1], [2], [-1], [0, 2], [1, 2], [0, 1, 2]]
reductions = {
    "sum": lambda t, d, k: t.sum(dim=d if d is not None else [0, 1, 2], keepdim=k),
    "mean": lambda t, d, k: t.mean(dim=d if d is not None else [0, 1, 2], keepdim=k),
    "max": lambda t, d, k: torch.amax(t, dim=d if d is not None else [], keepdim=k),
    "min": lambda t, d, k: torch.amin(t, dim=d if d is not None else [], keepdim=k),
    "var": lambda t, d, k: torch.var(t, dim=d, correction=1, keepdim=k),
    "var_population": lambda t, d, k: torch.var(t, dim=d, correction=0, keepdim=k),
    "logsumexp": lambda t, d, k: torch.logsumexp(t, dim=d if d is not None else [0, 1, 2], keepdim=k),
}
for op, fn in reductions.items():
    for axes in axis_sets:
        for keep in (False, True):
            x = rand(2, 3, 4)
            out, dout, grads = with_grads(lambda t: fn(t, axes, keep), [x], ["x"])
            label = "all" if axes is None else "_".join(map(str, axes))
            attributes = {"keep": keep, "op": op}
            if axes is not None:
                attributes["axes"] = [float(a) for a in axes]
            cases.append(case(f"reduce_{op}_{label}_{'keep' if keep else 'drop'}", {"x": x, "dout": dout},
                              {"out": out, **grads}, **attributes))

for op, fn in {"argmax": torch.argmax, "argmin": torch.argmin}.items():
    x = torch.randint(-3, 4, (2, 3, 4), generator=g).float()
    for axis in [0, 1, 2, -1]:
        for keep in (False, True):
            cases.append(case(f"arg_{op}_{axis}_{'keep' if keep else 'drop'}", {"x": x},
                              {"out": fn(x, dim=axis, keepdim=keep).float()}, op=op, axis=axis, keep=keep))

# Softmax and log-softmax along every axis, plus large logits.
for op, fn in {"softmax": torch.softmax, "log_softmax": torch.log_softmax}.items():
    for axis in [-1, 0, 1]:
        x = rand(2, 3, 4, low=-4.0, high=4.0)
        out, dout, grads = with_grads(lambda t: fn(t, dim=axis), [x], ["x"])
        cases.append(case(f"softmax_{op}_{axis}", {"x": x, "dout": dout}, {"out": out, **grads}, op=op, axis=axis))
    x = rand(3, 5, low=-4.0, high=4.0) * 50 + 500
    out, dout, grads = with_grads(lambda t: fn(t, dim=-1), [x], ["x"])
    cases.append(case(f"softmax_{op}_large", {"x": x, "dout": dout}, {"out": out, **grads}, op=op, axis=-1))

# float64 results below float32's normal range (e.g. softmax of logits 300 apart) cannot be
# decoded as Float: store them as 0, which is what float32 holds there to the 1e-6 tolerance.
for entry in cases:
    for tensors in (entry["inputs"], entry["outputs"]):
        for tensor in tensors.values():
            tensor["values"] = [0.0 if abs(v) < 1e-37 else v for v in tensor["values"]]

write_fixture("math_ops", "scripts/reference/golden_math_ops.py", cases)
