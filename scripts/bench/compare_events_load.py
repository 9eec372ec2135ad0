#!/usr/bin/env python3
"""Loads the same shop-event CSV into per-customer, time-sorted columns with Fledge
(`fledge-bench events`) and with pandas in one run, and prints events/s of both and their ratio.

  /tmp/peers-venv/bin/python scripts/bench/compare_events_load.py [--events 10000000] [--path FILE]

Needs a release build (`swift build -c release --product fledge-bench`). Without --path the Fledge
benchmark first writes --events events (seeded, shop format: customer_id,timestamp,event_type,
product_id,category,price,channel) to /tmp/fledge-bench-events.csv. pandas does the same work as
FledgeEvents' store: read_csv with the timestamp parsed in its format, text columns as categoricals
(dictionary codes), then a stable sort by customer and time and the per-customer offsets. The
fastest of --repeats runs counts on each side; peak memory is each process's own.
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


def pandas_load(path):
    start = time.perf_counter()
    frame = pd.read_csv(path, dtype={"customer_id": "category", "event_type": "category", "product_id": "category",
                                     "category": "category", "channel": "category", "price": "float64"})
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], format="%Y-%m-%d %H:%M:%S")
    frame = frame.sort_values(["customer_id", "timestamp"], kind="stable")
    codes = frame["customer_id"].cat.codes.to_numpy()
    offsets = np.flatnonzero(np.diff(codes)) + 1
    return time.perf_counter() - start, len(frame), len(offsets) + 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--path")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    bench = os.path.join(ROOT, ".build", "release", "fledge-bench")
    command = [bench, "events", "--repeats", str(args.repeats), "--entities", str(args.entities)]
    command += ["--path", args.path] if args.path else ["--generate", str(args.events)]
    lines = [json.loads(line) for line in subprocess.run(command, check=True, capture_output=True, text=True).stdout.splitlines()]
    fledge = next(line for line in lines if line["benchmark"] == "events_load")
    path = fledge["path"]
    best = min(pandas_load(path)[0] for _ in range(args.repeats))
    _, rows, entities = pandas_load(path)
    pandas_rate = rows / best
    result = {
        "events": rows, "entities": entities,
        "fledge_seconds": fledge["seconds"], "fledge_events_per_s": fledge["events_per_s"],
        "fledge_peak_rss_mb": fledge["peak_rss_mb"], "fledge_foreign_cores": fledge["foreign_cores"],
        "pandas_seconds": round(best, 3), "pandas_events_per_s": round(pandas_rate),
        "pandas_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "speedup_vs_pandas": round(fledge["events_per_s"] / pandas_rate, 2),
    }
    for line in lines:
        if line["benchmark"] == "events_features":
            result["fledge_feature_samples_per_s"] = line["samples_per_s"]
            result["fledge_feature_history_events_per_s"] = line["history_events_per_s"]
    print(json.dumps(result, sort_keys=True))
    os.makedirs(os.path.join(ROOT, "Benchmarks", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "Benchmarks", "results", "events_load_vs_pandas.json"), "w") as out:
        json.dump(result, out, indent=2, sort_keys=True)


if __name__ == "__main__":
    main()
