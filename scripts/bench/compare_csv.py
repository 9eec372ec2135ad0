#!/usr/bin/env python3
"""Reads the same ~100 MB CSV with pandas.read_csv and with Fledge's CSVReader in one run and prints
the speed ratio (the issue's target: Fledge at least as fast as pandas).

  /tmp/peers-venv/bin/python scripts/bench/compare_csv.py [--megabytes 100] [--repeats 3]

Needs a release build (`swift build -c release --product fledge-bench`) and a Python with pandas
and numpy. The file is generated from a fixed seed (cached in --data-dir): numeric columns (floats
with 1% empty cells, integers), and categorical columns (short codes, city names of which some are
quoted because they hold a comma). Both sides end with typed columns: pandas float64/int64/object
columns, Fledge its parsed numbers plus dictionary codes for every categorical column. Each tool
runs --repeats times alternately; the fastest run of each counts. Output: a table and
Benchmarks/results/csv_vs_pandas.json. The machine is shared: `fledge_foreign_cores` says how many
cores other processes kept busy during Fledge's best run (above ~0.25, measure again).
"""
import argparse
import json
import os
import resource
import subprocess
import time

import numpy as np
import pandas as pd

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CITIES = ["Paris", "Lyon", "Berlin", "Madrid", "Rome", "\"Portland, OR\"", "\"Portland, ME\"", "Oslo", "Kyiv", "Lima"]


def generate(path, megabytes, seed):
    """Writes the benchmark CSV: 8 float, 2 integer and 3 categorical columns."""
    rng = np.random.default_rng(seed)
    rows_per_chunk = 100_000
    with open(path, "w") as out:
        out.write(",".join([f"x{i}" for i in range(8)] + ["count", "year", "segment", "city", "plan"]) + "\n")
        while out.tell() < megabytes * 1_000_000:
            columns = []
            for i in range(8):
                values = np.char.mod("%.6g", rng.normal(scale=10.0 ** (i % 4 - 1), size=rows_per_chunk))
                values[rng.random(rows_per_chunk) < 0.01] = ""
                columns.append(values)
            columns.append(rng.integers(0, 1000, rows_per_chunk).astype(str))
            columns.append(rng.integers(1990, 2025, rows_per_chunk).astype(str))
            columns.append(np.array([f"seg_{k}" for k in range(20)])[rng.integers(0, 20, rows_per_chunk)])
            columns.append(np.array(CITIES)[rng.integers(0, len(CITIES), rows_per_chunk)])
            columns.append(np.array(["free", "basic", "pro", "enterprise"])[rng.integers(0, 4, rows_per_chunk)])
            out.write("\n".join(",".join(row) for row in zip(*columns)) + "\n")


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_pandas(path):
    cpu = cpu_seconds()
    start = time.perf_counter()
    frame = pd.read_csv(path)
    seconds = time.perf_counter() - start
    return seconds, frame.shape, cpu_seconds() - cpu


def run_fledge(path):
    binary = os.path.join(ROOT, ".build", "release", "fledge-bench")
    # Three reads per process, the fastest counts: pandas is also timed warm, in one process.
    out = subprocess.run([binary, "csv", "--path", path, "--repeats", "3"], capture_output=True, text=True, check=True)
    return json.loads([line for line in out.stdout.splitlines() if line.startswith("{")][-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--megabytes", type=int, default=100)
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--data-dir", default="/tmp/fledge-csv-bench")
    ap.add_argument("--json-out", default=os.path.join(ROOT, "Benchmarks", "results", "csv_vs_pandas.json"))
    a = ap.parse_args()

    os.makedirs(a.data_dir, exist_ok=True)
    path = os.path.join(a.data_dir, f"bench_{a.megabytes}mb_seed{a.seed}.csv")
    if not os.path.exists(path):
        generate(path + ".tmp", a.megabytes, a.seed)
        os.rename(path + ".tmp", path)
    size = os.path.getsize(path)

    pandas_runs, fledge_runs = [], []
    for _ in range(a.repeats):
        pandas_runs.append(run_pandas(path))
        fledge_runs.append(run_fledge(path))
    pandas_best = min(pandas_runs, key=lambda r: r[0])
    pandas_seconds = pandas_best[0]
    fledge_best = min(fledge_runs, key=lambda r: r["seconds"])
    shape = pandas_runs[0][1]
    assert (fledge_best["rows"], fledge_best["columns"]) == tuple(shape), (fledge_best, shape)
    result = dict(
        file=path, bytes=size, rows=shape[0], columns=shape[1], pandas_version=pd.__version__,
        pandas_seconds=round(pandas_seconds, 4), fledge_seconds=fledge_best["seconds"],
        fledge_read_seconds=fledge_best["read_seconds"],
        pandas_mb_per_s=round(size / pandas_seconds / 1e6, 1), fledge_mb_per_s=fledge_best["mb_per_s"],
        speed_ratio=round(pandas_seconds / fledge_best["seconds"], 2),
        read_only_speed_ratio=round(pandas_seconds / fledge_best["read_seconds"], 2),
        fledge_foreign_cores=fledge_best["foreign_cores"],
        pandas_cpu_seconds=round(pandas_best[2], 4), fledge_cpu_seconds=fledge_best["cpu_seconds"],
    )
    print(f"file: {path} ({size / 1e6:.1f} MB, {shape[0]} rows x {shape[1]} columns)")
    print(f"pandas {pd.__version__} read_csv : {pandas_seconds:8.3f} s  {result['pandas_mb_per_s']:7.1f} MB/s")
    print(f"fledge CSVReader      : {fledge_best['seconds']:8.3f} s  {fledge_best['mb_per_s']:7.1f} MB/s"
          f"  (read {fledge_best['read_seconds']:.3f} s + categorical codes)")
    print(f"CPU seconds (all threads): pandas {pandas_best[2]:.3f}, fledge {fledge_best['cpu_seconds']:.3f}")
    print(f"speed ratio (pandas time / fledge time): {result['speed_ratio']:.2f}x with categorical codes, "
          f"{result['read_only_speed_ratio']:.2f}x read only (text columns as spans, as pandas' string columns)")
    os.makedirs(os.path.dirname(a.json_out), exist_ok=True)
    with open(a.json_out, "w") as f:
        json.dump(result, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
