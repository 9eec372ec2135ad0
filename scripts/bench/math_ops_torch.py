"""PyTorch eager timings of the math ops, as JSON lines comparable with `fledge-bench math-ops`.

Run: /tmp/peers-venv/bin/python scripts/bench/math_ops_torch.py [--threads 1] [--filter NAME]
Same shapes and the same best-of-five rule (each repeat >= ~20 ms); `foreign_cores` is the CPU
other processes used meanwhile (re-run when it is high: the machine is shared).
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, "/work/shared/peers")
try:
    from peer_timing import Interval
except ImportError:  # outside the team machines: no foreign-load figure
    Interval = None


def timed(body):
    start, calls = time.perf_counter(), 0
    while time.perf_counter() - start < 0.02 or calls < 3:
        body()
        calls += 1
    best, foreign = float("inf"), 0.0
    for _ in range(5):
        if Interval:
            with Interval() as iv:
                t = time.perf_counter()
                for _ in range(calls):
                    body()
                elapsed = time.perf_counter() - t
            foreign = max(foreign, iv.foreign_cores)
        else:
            t = time.perf_counter()
            for _ in range(calls):
                body()
            elapsed = time.perf_counter() - t
        best = min(best, elapsed / calls * 1e6)
    return best, foreign


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--filter", default="")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    g = torch.Generator().manual_seed(0)

    def sample(*shape):
        return torch.rand(shape, generator=g) * 6 - 3

    hidden, bias, column = sample(256, 512), sample(512), sample(256, 1)
    logits, big, big2 = sample(256, 10), sample(1024, 1024), sample(1024, 1024)
    positive = big.abs() + 0.01
    cases = [
        ("add", big, lambda: big + big2), ("add_row_broadcast", hidden, lambda: hidden + bias),
        ("multiply_column_broadcast", hidden, lambda: hidden * column), ("add_scalar", big, lambda: big + 1),
        ("relu", hidden, lambda: hidden.relu()), ("exp", big, lambda: big.exp()), ("log", big, lambda: positive.log()),
        ("tanh", big, lambda: big.tanh()), ("sigmoid", big, lambda: big.sigmoid()), ("gelu", big, lambda: F.gelu(big)),
        ("gelu_tanh", big, lambda: F.gelu(big, approximate="tanh")), ("softplus", big, lambda: F.softplus(big)),
        ("sum", big, lambda: big.sum()), ("sum_axis0", hidden, lambda: hidden.sum(0)),
        ("sum_axis1", hidden, lambda: hidden.sum(1)), ("max_axis1", big, lambda: big.amax(1)),
        ("variance_axis0", hidden, lambda: hidden.var(0)), ("logsumexp_axis1", big, lambda: big.logsumexp(1)),
        ("softmax", logits, lambda: logits.softmax(-1)), ("log_softmax", logits, lambda: logits.log_softmax(-1)),
        ("softmax_rows", big, lambda: big.softmax(-1)), ("softmax_axis0", big, lambda: big.softmax(0)),
    ]
    leaf, leaf_bias = hidden.clone().requires_grad_(), bias.clone().requires_grad_()
    logits_leaf = logits.clone().requires_grad_()
    backward_cases = [
        ("relu_bias_backward", hidden, lambda: (leaf + leaf_bias).relu().sum().backward()),
        ("log_softmax_backward", logits, lambda: logits_leaf.log_softmax(-1).sum().backward()),
    ]
    runs = [(case, False) for case in cases] + [(case, True) for case in backward_cases]
    for (name, tensor, body), records in runs:
        if args.filter and args.filter not in name:
            continue
        with torch.set_grad_enabled(records):
            us, foreign = timed(body)
        print(json.dumps({"foreign_cores": round(foreign, 2), "gelem_per_s": round(tensor.numel() / us / 1e3, 2),
                          "op": name, "shape": list(tensor.shape), "threads": args.threads,
                          "us": round(us, 2), "peer": f"torch {torch.__version__}"}, sort_keys=True))


if __name__ == "__main__":
    main()
