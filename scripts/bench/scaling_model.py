#!/usr/bin/env python3
"""Projects data-parallel efficiency from measured numbers (docs/scaling.md).

Reads the JSON lines of scripts/bench/mpi_scaling.sh and prints the model's table:

  T_step(N) = T_grad + 2 T_small
  T_grad    = 2(N-1)·alpha + 2(N-1)/N · S · (1/beta + c_local)       ring allreduce of S gradient bytes
  T_small   = ceil(log2 N) · alpha                                      the loss-sum and stop-flag allreduces
  weak scaling   (per-rank batch 256): E = C / (C + T_step)
  strong scaling (global batch 256):   E = (C/N) / (C/N + T_step)       (optimistic: assumes the GEMMs keep
                                                                         their speed at 256/N rows)
C is the compute of one step of the big MLP at batch 256 on one core, S its gradient bytes, c_local the
per-byte cost of Open MPI's copy+reduce on this CPU (the fastest >= 1 MiB shared-memory allreduce on 2 ranks,
where the ring moves S bytes per rank), alpha and beta the network's latency and bandwidth (assumed, below).
No overlap of communication with the backward pass (Fledge does not overlap it yet); the
"if backward overlapped" column shows what hiding T_grad behind the backward pass (~2/3 of C) would give.
"""
import argparse
import json
import math

NETWORKS = [  # (name, bandwidth bytes/s, per-message latency s)
    ("10 Gbit/s Ethernet, TCP (alpha 25 us)", 10e9 / 8, 25e-6),
    ("100 Gbit/s, RDMA (alpha 3 us)", 100e9 / 8, 3e-6),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("measurements", help="JSON lines from scripts/bench/mpi_scaling.sh")
    parser.add_argument("--compute-ms", type=float, default=None,
                        help="compute per step at batch 256 on one core (default: the measured 1-rank median)")
    args = parser.parse_args()
    lines = [json.loads(line) for line in open(args.measurements) if line.startswith("{")]
    shm = [l for l in lines if l.get("bench") == "allreduce" and l["btl"] == "default"]
    # The fastest per-MB time of the buffers >= 1 MiB: on a loaded machine only the fastest repetition
    # ran with both ranks on a core, and large buffers get few repetitions.
    big = min((l for l in shm if l["bytes"] >= 1 << 20), key=lambda l: l["min_ms_per_mb"])
    c_local = big["min_ms_per_mb"] * 1e-3 / 1e6  # s per byte
    one = [l for l in lines if l.get("bench") == "ddp" and l["ranks"] == 1 and l["threads_per_rank"] == 1]
    compute = (args.compute_ms or min(l["median_compute_ms"] for l in one)) * 1e-3
    gradient = one[0]["gradient_mb"] * 1e6
    print(f"C = {compute * 1e3:.2f} ms/step, S = {gradient / 1e6:.3f} MB, "
          f"c_local = {c_local * 1e9:.3f} ms/MB (fastest {big['bytes'] >> 20} MiB shared-memory allreduce, 2 ranks)")
    print()
    print("| network | N | T_grad ms | T_step ms | weak-scaling efficiency | same, if backward overlapped | strong-scaling efficiency |")
    print("|---|---|---|---|---|---|---|")
    for name, beta, alpha in NETWORKS:
        for ranks in (2, 8, 64):
            grad = 2 * (ranks - 1) * alpha + 2 * (ranks - 1) / ranks * gradient * (1 / beta + c_local)
            step = grad + 2 * math.ceil(math.log2(ranks)) * alpha
            weak = compute / (compute + step)
            strong = (compute / ranks) / (compute / ranks + step)
            # Overlap (not implemented) could hide the gradient allreduce behind backward, ~2/3 of C.
            overlapped = compute / (compute + step - min(grad, 2 * compute / 3))
            print(f"| {name} | {ranks} | {grad * 1e3:.2f} | {step * 1e3:.2f} | {weak:.0%} | {overlapped:.0%} | {strong:.0%} |")


if __name__ == "__main__":
    main()
