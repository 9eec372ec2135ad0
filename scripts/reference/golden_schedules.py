"""Golden learning-rate sequences for FledgeOptim's schedules.

Every case attaches a scheduler to SGD with two parameter groups (base rates 0.1 and 0.02,
momentum 0.9) and records both groups' rates at creation (step 0) and after every step; OneCycle
with momentum cycling also records the momentum. ReduceOnPlateau cases store their metric sequence.

transformers is not installed here, so the Hugging Face warmup schedules
(get_constant_schedule_with_warmup, get_linear_schedule_with_warmup,
get_cosine_schedule_with_warmup) are written out below as their LambdaLR lambdas, copied
formula for formula from transformers/optimization.py.

Run: /tmp/peers-venv/bin/python scripts/reference/golden_schedules.py
"""
import math

import torch
from torch.optim import lr_scheduler as S

from golden_common import case, write_fixture

BASE_RATES = [0.1, 0.02]


def hf_constant_with_warmup(warmup):
    def f(step):
        if step < warmup:
            return float(step) / float(max(1.0, warmup))
        return 1.0
    return f


def hf_linear_with_warmup(warmup, total):
    def f(step):
        if step < warmup:
            return float(step) / float(max(1, warmup))
        return max(0.0, float(total - step) / float(max(1, total - warmup)))
    return f


def hf_cosine_with_warmup(warmup, total, num_cycles=0.5):
    def f(step):
        if step < warmup:
            return float(step) / float(max(1, warmup))
        progress = float(step - warmup) / float(max(1, total - warmup))
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress)))
    return f


def make_optimizer():
    params = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    return torch.optim.SGD([{"params": [params[0]], "lr": BASE_RATES[0]},
                            {"params": [params[1]], "lr": BASE_RATES[1]}], lr=0.1, momentum=0.9)


def run(name, make_scheduler, steps, metrics=None, record_momentum=False, **attributes):
    optimizer = make_optimizer()
    scheduler = make_scheduler(optimizer)
    rates = [[g["lr"] for g in optimizer.param_groups]]
    momenta = [optimizer.param_groups[0]["momentum"]]
    for k in range(steps):
        optimizer.step()
        if metrics is not None:
            scheduler.step(metrics[k])
        else:
            scheduler.step()
        rates.append([g["lr"] for g in optimizer.param_groups])
        momenta.append(optimizer.param_groups[0]["momentum"])
    inputs = {"metrics": torch.tensor(metrics, dtype=torch.float64)} if metrics is not None else {}
    outputs = {"lr": torch.tensor(rates, dtype=torch.float64)}
    if record_momentum:
        outputs["momentum"] = torch.tensor(momenta, dtype=torch.float64)
    return case(name, inputs, outputs, steps=steps, **attributes)


def cases():
    L = S.LambdaLR
    out = [
        run("constant", lambda o: L(o, lambda s: 1.0), 10, kind="constant", warmup_steps=0),
        run("constant_warmup", lambda o: L(o, hf_constant_with_warmup(5)), 12, kind="constant", warmup_steps=5),
        run("step", lambda o: S.StepLR(o, step_size=7, gamma=0.5), 30, kind="step", step_size=7, gamma=0.5),
        run("multistep", lambda o: S.MultiStepLR(o, milestones=[5, 12, 12, 20], gamma=0.3), 30,
            kind="multistep", milestones=[5.0, 12.0, 12.0, 20.0], gamma=0.3),
        run("exponential", lambda o: S.ExponentialLR(o, gamma=0.9), 30, kind="exponential", gamma=0.9),
        run("cosine", lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001), 35,
            kind="cosine", t_max=10, eta_min=0.001),
        run("linear_warmup", lambda o: L(o, hf_linear_with_warmup(5, 25)), 30,
            kind="linear_warmup", warmup_steps=5, total_steps=25),
        run("cosine_warmup", lambda o: L(o, hf_cosine_with_warmup(5, 25)), 30,
            kind="cosine_warmup", warmup_steps=5, total_steps=25, cycles=0.5),
        run("cosine_warmup_cycles", lambda o: L(o, hf_cosine_with_warmup(3, 20, 1.0)), 24,
            kind="cosine_warmup", warmup_steps=3, total_steps=20, cycles=1.0),
        run("onecycle_cos_momentum", lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=30), 29,
            record_momentum=True, kind="onecycle", max_lr=0.5, total_steps=30, pct_start=0.3,
            anneal="cos", div_factor=25.0, final_div_factor=1e4, three_phase=False, cycle_momentum=True),
        run("onecycle_linear_per_group",
            lambda o: S.OneCycleLR(o, max_lr=BASE_RATES, total_steps=40, pct_start=0.25, anneal_strategy="linear",
                                   div_factor=10.0, final_div_factor=100.0, cycle_momentum=False), 39,
            kind="onecycle", max_lr=-1.0, total_steps=40, pct_start=0.25, anneal="linear", div_factor=10.0,
            final_div_factor=100.0, three_phase=False, cycle_momentum=False),
        run("onecycle_three_phase",
            lambda o: S.OneCycleLR(o, max_lr=0.3, total_steps=50, three_phase=True, base_momentum=0.8,
                                   max_momentum=0.9), 49, record_momentum=True,
            kind="onecycle", max_lr=0.3, total_steps=50, pct_start=0.3, anneal="cos", div_factor=25.0,
            final_div_factor=1e4, three_phase=True, cycle_momentum=True, base_momentum=0.8, max_momentum=0.9),
    ]
    losses = [1.0, 0.9, 0.85, 0.85, 0.86, 0.849, 0.848, 0.8, 0.8, 0.8, 0.8, 0.8, 0.79, 0.7, 0.7, 0.7,
              0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.69999, 0.7, 0.7]
    out.append(run("plateau_min_rel", lambda o: S.ReduceLROnPlateau(
        o, mode="min", factor=0.5, patience=2, threshold=0.01, cooldown=1, min_lr=0.004), len(losses),
        metrics=losses, kind="plateau", mode="min", factor=0.5, patience=2, threshold=0.01,
        threshold_mode="rel", cooldown=1, min_lr=0.004))
    accuracies = [0.5, 0.6, 0.6, 0.61, 0.605, 0.62, 0.62, 0.62, 0.65, 0.64, 0.64, 0.64, 0.64, 0.64, 0.7,
                  0.7, 0.7, 0.7]
    out.append(run("plateau_max_abs", lambda o: S.ReduceLROnPlateau(
        o, mode="max", factor=0.2, patience=1, threshold=0.015, threshold_mode="abs"), len(accuracies),
        metrics=accuracies, kind="plateau", mode="max", factor=0.2, patience=1, threshold=0.015,
        threshold_mode="abs", cooldown=0, min_lr=0.0))
    return out


if __name__ == "__main__":
    write_fixture("schedules", "scripts/reference/golden_schedules.py", cases())
