#!/usr/bin/env python3
"""Runs Fledge's MLP benchmark and PyTorch eager (../shared/peers/bench_mlp_torch.py) side by side
in one run, on the same data, and prints the ratios the engine targets are stated in.

  python3 scripts/bench/compare_mlp.py --torch-python /tmp/peers-venv/bin/python [--threads 1,2]

Needs a release build (`swift build -c release --product fledge-bench`) and a Python with torch,
scikit-learn and numpy (see ../shared/peers/README.md). Each configuration runs Fledge and PyTorch
back to back, alternating, `--repeats` times; medians are reported. Output: a table and
Benchmarks/results/mlp_vs_torch.json.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PEERS = os.path.abspath(os.path.join(ROOT, "..", "shared", "peers"))


def run_fledge(variant, threads, data_dir):
    cmd = [os.path.join(ROOT, ".build", "release", "fledge-bench"), "mlp", "--variant", variant,
           "--threads", str(threads), "--data", data_dir]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    lines = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    final = [l for l in lines if "val_accuracy" in l][-1]
    sgemm = [l for l in lines if l.get("kernel") == "sgemm"][-1]
    return final, sgemm


def run_torch(python, variant, threads):
    cmd = [python, os.path.join(PEERS, "bench_mlp_torch.py"), "--variant", variant, "--mode", "eager",
           "--threads", str(threads)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads([l for l in out.splitlines() if l.startswith("RESULT ")][-1][7:])


def run_sklearn(python, variant, threads):
    out_json = tempfile.mktemp(suffix=".json")
    cmd = [python, os.path.join(PEERS, "bench_sklearn_lgbm.py"), "--variants", variant, "--thread-list", str(threads),
           "--skip-lgbm", "--max-wait", "0", "--json-out", out_json]
    subprocess.run(cmd, capture_output=True, text=True, check=True)
    with open(out_json) as f:
        results = json.load(f)
    return [r for r in results if "sps_steady" in r][-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--torch-python", default="/tmp/peers-venv/bin/python")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--variants", default="big,tiny")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--sklearn", action="store_true", help="also run scikit-learn's MLPClassifier (same shapes)")
    ap.add_argument("--json-out", default=os.path.join(ROOT, "Benchmarks", "results", "mlp_vs_torch.json"))
    a = ap.parse_args()

    data_dir = tempfile.mkdtemp(prefix="fledge-peer-data-")
    subprocess.run([a.torch_python, os.path.join(PEERS, "peer_data.py"), "--export", "--outdir", data_dir],
                   check=True, capture_output=True)
    rows = []
    for variant in a.variants.split(","):
        for threads in [int(t) for t in a.threads.split(",")]:
            fledge, torch = [], []
            for _ in range(a.repeats):
                fledge.append(run_fledge(variant, threads, data_dir))
                torch.append(run_torch(a.torch_python, variant, threads))
            f_sps = statistics.median(r[0]["samples_per_s"] for r in fledge)
            t_sps = statistics.median(r["sps_steady"] for r in torch)
            row = dict(
                variant=variant, threads=threads,
                fledge_samples_per_s=f_sps, torch_eager_samples_per_s=t_sps, ratio=round(f_sps / t_sps, 2),
                fledge_us_per_step=statistics.median(r[0]["us_per_step"] for r in fledge),
                torch_us_per_step=statistics.median(r["us_per_step_steady"] for r in torch),
                fledge_val_accuracy=fledge[-1][0]["val_accuracy"], torch_val_accuracy=torch[-1]["val_acc"],
                fledge_gflops=statistics.median(r[0]["gflops"] for r in fledge),
                sgemm_gflops=statistics.median(r[1]["gflops"] for r in fledge),
                fledge_foreign_cores=[r[0]["foreign_cores"] for r in fledge],
                torch_foreign_cores=[r["foreign_cores"] for r in torch],
            )
            row["gflops_vs_sgemm"] = round(row["fledge_gflops"] / row["sgemm_gflops"], 3)
            if a.sklearn:
                sk = run_sklearn(a.torch_python, variant, threads)
                row["sklearn_samples_per_s"] = sk["sps_steady"]
                row["ratio_vs_sklearn"] = round(f_sps / sk["sps_steady"], 2)
                row["sklearn_val_accuracy"] = sk.get("val_acc")
            rows.append(row)
            print(json.dumps(row), flush=True)
    os.makedirs(os.path.dirname(a.json_out), exist_ok=True)
    with open(a.json_out, "w") as f:
        json.dump(rows, f, indent=1)
    print()
    print(f"{'variant':7} {'thr':>3} {'fledge sps':>11} {'torch sps':>10} {'ratio':>6} {'fledge acc':>10} "
          f"{'torch acc':>9} {'train GFLOP/s':>13} {'sgemm':>6} {'%sgemm':>6}")
    for r in rows:
        print(f"{r['variant']:7} {r['threads']:>3} {r['fledge_samples_per_s']:>11.0f} {r['torch_eager_samples_per_s']:>10.0f} "
              f"{r['ratio']:>6.2f} {r['fledge_val_accuracy']:>10.4f} {r['torch_val_accuracy']:>9.4f} "
              f"{r['fledge_gflops']:>13.1f} {r['sgemm_gflops']:>6.1f} {100 * r['gflops_vs_sgemm']:>5.0f}%"
              + (f"  sklearn {r['sklearn_samples_per_s']:.0f} ({r['ratio_vs_sklearn']:.1f}x)" if "sklearn_samples_per_s" in r else ""))


if __name__ == "__main__":
    sys.exit(main())
