"""Golden values for bf16-mixed precision: torch's float32 -> bfloat16 rounding (round to nearest,
ties to even) on hand-picked and random values, and a linear layer's forward and backward with
bf16 operands and float32 accumulation (torch.bfloat16 rounding, products summed in float64).

Infinities and NaN are not representable in the JSON fixtures; the Swift tests check them directly.

Run: /tmp/peers-venv/bin/python scripts/reference/golden_bfloat16.py
"""
import torch

from golden_common import case, fixed_generator, write_fixture

g = fixed_generator(8)
cases = []


def bf16(t):
    return t.to(torch.bfloat16).to(torch.float32)


def f32(bits):
    return torch.tensor(bits, dtype=torch.int64).to(torch.int32).view(torch.float32)


# Rounding: exact ties (even kept, odd rounded up), just above/below ties, denormals, signed zero,
# the largest finite values that still round to finite bf16, and random values over all exponents.
special = f32([
    0x3F808000, 0x3F818000, 0x3F808001, 0x3F807FFF, 0xBF808000, 0xBF818000,  # ties around 1 and -1
    0x00000001, 0x00008000, 0x00018000, 0x007FFFFF, 0x00800000, 0x80008000,  # denormals, min normal
    0x00000000, 0x80000000,                                                   # +0, -0
    0x7F7F7FFF, 0x7F7F0000, 0xFF7F7FFF,                                       # near the bf16 maximum
    0x3DCCCCCD, 0x3EAAAAAB, 0x40490FDB,                                       # 0.1, 1/3, pi
])
exponents = torch.randint(-140, 120, (200,), generator=g).to(torch.float32)
randoms = (torch.rand(200, generator=g) + 1) * torch.pow(2.0, exponents) * torch.sign(torch.randn(200, generator=g))
values = torch.cat([special, randoms.to(torch.float32), torch.randn(100, generator=g) * 3])
cases.append(case("convert/values", {"x": values}, {"bf16": bf16(values)}))

# Linear with bf16 operands: y = bf16(x) bf16(W)^T + b (relu optionally), dY rounded to bf16 for the
# gradient products, bias gradient summed from the float32 (masked) gradient.
for name, rows, n_in, n_out, relu in [("linear/identity", 5, 7, 4, False), ("linear/relu", 6, 9, 5, True),
                                      ("linear/wide", 3, 64, 33, True)]:
    x = torch.randn(rows, n_in, generator=g) * 2
    w = torch.randn(n_out, n_in, generator=g) / n_in ** 0.5
    b = torch.randn(n_out, generator=g) * 0.1
    upstream = torch.randn(rows, n_out, generator=g)
    xd, wd = bf16(x).double(), bf16(w).double()
    y = xd @ wd.T + b.double()
    if relu:
        y = y.clamp_min(0)
    dy = upstream.double() * (y > 0) if relu else upstream.double()
    dyb = bf16(dy.float()).double()
    cases.append(case(name, {"input": x, "weight": w, "bias": b, "upstream": upstream},
                      {"output": y, "grad_input": dyb @ wd, "grad_weight": dyb.T @ xd, "grad_bias": dy.sum(0)},
                      relu=relu))

write_fixture("bfloat16", "scripts/reference/golden_bfloat16.py", cases)
