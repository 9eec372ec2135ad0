"""Fledge's TPE against Optuna 5.1's over many seeds: is the difference in best value real?

Runs `fledge-bench tune` (TPE, in memory) and Optuna's TPESampler on the analytic objectives of
../shared/peers/bench_optuna.py (same definitions), TRIALS trials x SEEDS seeds each, one process at a
time, and reports per objective: mean, std, standard error, median of the best value after the budget,
the gap to the known minimum (ratio Fledge/Optuna), Welch's t test and the Mann–Whitney U test (two-sided).

    python tpe_seeds.py --bench /work/release/.build/release/fledge-bench [--objectives branin] \
        [--trials 100] [--seeds 100] [--json-out Benchmarks/results/tpe_seeds.json]
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

import optuna
from scipy import stats

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/peers"))
import bench_optuna  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)
MINIMUM = {"branin": 0.397887, "hartmann6": -3.32237, "mixed": 0.0}


def summary(values):
    n = len(values)
    std = statistics.stdev(values)
    return {"n": n, "mean": statistics.mean(values), "std": std, "se": std / math.sqrt(n),
            "median": statistics.median(values), "values": values}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True, help="the fledge-bench binary")
    ap.add_argument("--objectives", default="branin")
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--json-out", default=None)
    a = ap.parse_args()
    load_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    result = {"command": " ".join(sys.argv), "optuna": optuna.__version__, "trials": a.trials, "seeds": a.seeds,
              "bench": a.bench, "load_before": load_before, "objectives": {}}
    for objective in a.objectives.split(","):
        t0 = time.perf_counter()
        out = subprocess.run([a.bench, "tune", "--trials", str(a.trials), "--seeds", str(a.seeds), "--objectives", objective,
                              "--samplers", "tpe", "--storages", "memory", "--overhead-trials", "0"],
                             capture_output=True, text=True, check=True).stdout
        fledge_seconds = time.perf_counter() - t0
        fledge = [json.loads(l)["best_value"] for l in out.splitlines() if l.startswith("{")]
        t0 = time.perf_counter()
        optuna_values = []
        for seed in range(a.seeds):
            study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed))
            study.optimize(bench_optuna.OBJECTIVES[objective], n_trials=a.trials)
            optuna_values.append(study.best_value)
        optuna_seconds = time.perf_counter() - t0
        f, o = summary(fledge), summary(optuna_values)
        gap_f, gap_o = f["mean"] - MINIMUM[objective], o["mean"] - MINIMUM[objective]
        entry = {"minimum": MINIMUM[objective], "fledge_tpe": f, "optuna_tpe": o,
                 "gap_to_minimum": {"fledge": gap_f, "optuna": gap_o, "ratio_fledge_over_optuna": gap_f / gap_o if gap_o > 0 else None},
                 "difference_of_means": f["mean"] - o["mean"],
                 "difference_se": math.sqrt(f["se"] ** 2 + o["se"] ** 2),
                 "welch_t": stats.ttest_ind(fledge, optuna_values, equal_var=False).statistic,
                 "welch_p": stats.ttest_ind(fledge, optuna_values, equal_var=False).pvalue,
                 "mann_whitney_p": stats.mannwhitneyu(fledge, optuna_values, alternative="two-sided").pvalue,
                 "seconds": {"fledge": fledge_seconds, "optuna": optuna_seconds}}
        entry = json.loads(json.dumps(entry, default=float))
        result["objectives"][objective] = entry
        print(f"{objective}: Fledge {f['mean']:.4f} ± {f['std']:.4f} (se {f['se']:.4f}, median {f['median']:.4f})  "
              f"Optuna {o['mean']:.4f} ± {o['std']:.4f} (se {o['se']:.4f}, median {o['median']:.4f})  "
              f"diff {entry['difference_of_means']:+.4f} ± {entry['difference_se']:.4f}  Welch p={entry['welch_p']:.3g}  "
              f"Mann–Whitney p={entry['mann_whitney_p']:.3g}  ({fledge_seconds:.0f} s / {optuna_seconds:.0f} s)", flush=True)
    result["load_after"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    if a.json_out:
        with open(a.json_out, "w") as fh:
            json.dump(result, fh, indent=1)


if __name__ == "__main__":
    main()
