"""Golden trajectories for FledgeOptim's optimizers and gradient clipping.

Each optimizer case starts two parameters (shapes [3, 4] and [5]) from fixed values and applies
20 steps with fixed per-step gradients (stored in the fixture, so the Swift test needs no model).
Outputs are the parameter values after every step. Clipping cases store the gradients before and
after clipping and the returned total norm.

Run: /tmp/peers-venv/bin/python scripts/reference/golden_optimizers.py
"""
import torch

from golden_common import case, fixed_generator, write_fixture

STEPS = 20
SHAPES = [(3, 4), (5,)]


def initial_parameters(g):
    return [torch.randn(s, generator=g) for s in SHAPES]


def gradient_sequence(g):
    # Per-step gradients of varying scale, so adaptive methods see changing statistics.
    return [torch.stack([torch.randn(s, generator=g) * (0.5 + 0.1 * k) for k in range(STEPS)]) for s in SHAPES]


def run(name, make_optimizer, seed, groups=None, **attributes):
    g = fixed_generator(seed)
    start = initial_parameters(g)
    grads = gradient_sequence(g)
    params = [p.clone().requires_grad_(True) for p in start]
    optimizer = make_optimizer(params if groups is None else groups(params))
    trajectory = [[] for _ in params]
    for k in range(STEPS):
        for p, gs in zip(params, grads):
            p.grad = gs[k].clone()
        optimizer.step()
        for i, p in enumerate(params):
            trajectory[i].append(p.detach().clone())
    inputs = {f"param{i}": s for i, s in enumerate(start)}
    inputs.update({f"grads{i}": gs for i, gs in enumerate(grads)})
    outputs = {f"trajectory{i}": torch.stack(t) for i, t in enumerate(trajectory)}
    return case(name, inputs, outputs, **attributes)


def optimizer_cases():
    O = torch.optim
    cases = []
    sgd = [
        ("sgd_plain", dict(lr=0.1)),
        ("sgd_momentum", dict(lr=0.05, momentum=0.9)),
        ("sgd_nesterov", dict(lr=0.05, momentum=0.9, nesterov=True)),
        ("sgd_dampening", dict(lr=0.05, momentum=0.9, dampening=0.5)),
        ("sgd_weight_decay", dict(lr=0.05, momentum=0.9, weight_decay=0.1)),
    ]
    for seed, (name, kw) in enumerate(sgd):
        cases.append(run(name, lambda p, kw=kw: O.SGD(p, **kw), seed, optimizer="SGD", **kw))
    adam = [
        ("adam_plain", dict(lr=0.01)),
        ("adam_weight_decay", dict(lr=0.01, weight_decay=0.1)),
        ("adam_amsgrad", dict(lr=0.01, amsgrad=True)),
        ("adam_betas_eps", dict(lr=0.02, betas=(0.8, 0.99), eps=1e-3, weight_decay=0.05, amsgrad=True)),
    ]
    for seed, (name, kw) in enumerate(adam, start=10):
        cases.append(run(name, lambda p, kw=kw: O.Adam(p, **kw), seed, optimizer="Adam", **flat(kw)))
    adamw = [
        ("adamw_default", dict(lr=0.01)),
        ("adamw_weight_decay", dict(lr=0.01, weight_decay=0.3)),
        ("adamw_amsgrad", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
    ]
    for seed, (name, kw) in enumerate(adamw, start=20):
        cases.append(run(name, lambda p, kw=kw: O.AdamW(p, **kw), seed, optimizer="AdamW", **flat(kw)))
    rmsprop = [
        ("rmsprop_plain", dict(lr=0.01)),
        ("rmsprop_momentum", dict(lr=0.01, momentum=0.9)),
        ("rmsprop_centered", dict(lr=0.01, centered=True)),
        ("rmsprop_all", dict(lr=0.01, alpha=0.9, eps=1e-4, momentum=0.5, centered=True, weight_decay=0.1)),
    ]
    for seed, (name, kw) in enumerate(rmsprop, start=30):
        cases.append(run(name, lambda p, kw=kw: O.RMSprop(p, **kw), seed, optimizer="RMSprop", **kw))
    adagrad = [
        ("adagrad_plain", dict(lr=0.1)),
        ("adagrad_all", dict(lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.2, eps=1e-6)),
    ]
    for seed, (name, kw) in enumerate(adagrad, start=40):
        cases.append(run(name, lambda p, kw=kw: O.Adagrad(p, **kw), seed, optimizer="Adagrad", **kw))
    # Two parameter groups with their own learning rates and weight decay.
    groups = lambda p: [{"params": [p[0]], "lr": 0.02}, {"params": [p[1]], "lr": 0.001, "weight_decay": 0.2}]
    cases.append(run("groups_adam", lambda g: O.Adam(g, lr=0.01), 50, groups=groups, optimizer="Adam",
                     lr=0.01, group0_lr=0.02, group1_lr=0.001, group1_weight_decay=0.2))
    cases.append(run("groups_sgd", lambda g: O.SGD(g, lr=0.1, momentum=0.9), 51, groups=groups, optimizer="SGD",
                     lr=0.1, momentum=0.9, group0_lr=0.02, group1_lr=0.001, group1_weight_decay=0.2))
    return cases


def flat(kw):
    kw = dict(kw)
    if "betas" in kw:
        kw["beta1"], kw["beta2"] = kw.pop("betas")
    return kw


def clipping_cases():
    cases = []
    specs = [
        ("clip_norm_2", "norm", dict(max_norm=1.0, norm_type=2.0)),
        ("clip_norm_1", "norm", dict(max_norm=2.0, norm_type=1.0)),
        ("clip_norm_inf", "norm", dict(max_norm=0.5, norm_type=float("inf"))),
        ("clip_norm_3", "norm", dict(max_norm=1.0, norm_type=3.0)),
        ("clip_norm_no_op", "norm", dict(max_norm=100.0, norm_type=2.0)),
        ("clip_value", "value", dict(clip_value=0.5)),
    ]
    for seed, (name, kind, kw) in enumerate(specs, start=60):
        g = fixed_generator(seed)
        grads = [torch.randn(s, generator=g) for s in [(3, 4), (5,), (2, 2)]]
        params = [torch.zeros_like(x, requires_grad=True) for x in grads]
        for p, x in zip(params, grads):
            p.grad = x.clone()
        outputs = {}
        if kind == "norm":
            total = torch.nn.utils.clip_grad_norm_(params, **kw)
            outputs["total_norm"] = total
            attributes = dict(kind=kind, max_norm=kw["max_norm"],
                              norm_type=-1.0 if kw["norm_type"] == float("inf") else kw["norm_type"])
        else:
            torch.nn.utils.clip_grad_value_(params, **kw)
            attributes = dict(kind=kind, **kw)
        outputs.update({f"clipped{i}": p.grad for i, p in enumerate(params)})
        cases.append(case(name, {f"grad{i}": x for i, x in enumerate(grads)}, outputs, **attributes))
    return cases


if __name__ == "__main__":
    torch.set_num_threads(1)
    write_fixture("optimizers", "scripts/reference/golden_optimizers.py", optimizer_cases() + clipping_cases())
