"""Deterministic parity check of Fledge's TPE against Optuna 5.1's on a fixed Branin history.

1. History: the first N trials of Optuna's TPE (seed 0) on Branin (../shared/peers/bench_optuna.py's
   definition), for each N in --histories.
2. On that history both samplers build l (the best γ(N) trials) and g (the rest); log l and log g are
   compared at fixed points (the history's points and a grid).
3. Both samplers propose the next trial (trial N) --draws times, each with a different sampler seed
   (Optuna: TPESampler(seed=s) through study.ask(); Fledge: TPESampler(seed: s).sample(...) via the
   harness, which compiles Fledge's own sampler sources): mean, std, quantiles of x, y and Branin(x, y),
   Welch t and two-sample Kolmogorov–Smirnov tests.

    python parity.py --harness /tmp/tpe-harness/harness [--histories 30,80] [--draws 2000] [--json-out out.json]
"""
import argparse
import json
import math
import os
import subprocess
import sys

import numpy as np
import optuna
from optuna.distributions import FloatDistribution
from optuna.samplers._tpe.sampler import _split_trials, default_gamma
from optuna.trial import TrialState, create_trial
from scipy import stats

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../../../shared/peers"))
from bench_optuna import branin  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)
SPACE = {"x": FloatDistribution(-5.0, 10.0), "y": FloatDistribution(0.0, 15.0)}


def branin_xy(x, y):
    a, b, c, r, s, t = 1.0, 5.1 / (4 * math.pi ** 2), 5 / math.pi, 6.0, 10.0, 1 / (8 * math.pi)
    return a * (y - b * x * x + c * x - r) ** 2 + s * (1 - t) * math.cos(x) + s


def summary(values):
    v = np.asarray(values)
    return {"mean": float(v.mean()), "std": float(v.std(ddof=1)), "se": float(v.std(ddof=1) / math.sqrt(len(v))),
            "q10": float(np.quantile(v, 0.1)), "median": float(np.median(v)), "q90": float(np.quantile(v, 0.9))}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--harness", required=True)
    ap.add_argument("--histories", default="30,80")
    ap.add_argument("--draws", type=int, default=2000)
    ap.add_argument("--json-out", default=None)
    a = ap.parse_args()
    sizes = [int(s) for s in a.histories.split(",")]
    source = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=0))
    source.optimize(branin, n_trials=max(sizes))
    results = []
    for n in sizes:
        trials = source.trials[:n]
        history = [{"number": t.number, "x": t.params["x"], "y": t.params["y"], "value": t.value} for t in trials]
        grid = [[x, y] for x in np.linspace(-5, 10, 7) for y in np.linspace(0, 15, 7)]
        points = [[h["x"], h["y"]] for h in history] + grid + [[-math.pi, 12.275], [math.pi, 2.275], [9.42478, 2.475]]
        # Optuna's l and g on the history, as TPESampler._sample builds them.
        study = optuna.create_study(direction="minimize")
        for t in trials:
            study.add_trial(create_trial(params=t.params, distributions=SPACE, value=t.value))
        frozen = study.get_trials(deepcopy=False)
        sampler = optuna.samplers.TPESampler(seed=0)
        below, above = _split_trials(study, frozen, default_gamma(len(frozen)))
        l = sampler._build_parzen_estimator(study, SPACE, below, handle_below=True)
        g = sampler._build_parzen_estimator(study, SPACE, above, handle_below=False)
        arr = {"x": np.array([p[0] for p in points]), "y": np.array([p[1] for p in points])}
        optuna_logl, optuna_logg = l.log_pdf(arr), g.log_pdf(arr)
        # Optuna's proposals: trial n of the study, one fresh seeded sampler per draw.
        proposals_optuna = []
        for s in range(a.draws):
            study.sampler = optuna.samplers.TPESampler(seed=s)
            trial = study.ask()
            proposals_optuna.append([trial.suggest_float("x", -5.0, 10.0), trial.suggest_float("y", 0.0, 15.0)])
            study.tell(trial, state=TrialState.FAIL)   # failed trials are invisible to TPE
        # Fledge's, through the harness.
        done = subprocess.run([a.harness], input=json.dumps({"history": history, "points": points, "draws": a.draws}),
                              capture_output=True, text=True, check=True)
        fledge = json.loads(done.stdout)
        dl = np.abs(np.array(fledge["logl"]) - optuna_logl)
        dg = np.abs(np.array(fledge["logg"]) - optuna_logg)
        entry = {"history_trials": n, "n_below": len(below), "n_above": len(above),
                 "fledge_n_below": fledge["n_below"], "fledge_n_above": fledge["n_above"],
                 "points": len(points), "max_abs_diff_log_l": float(dl.max()), "max_abs_diff_log_g": float(dg.max()),
                 "draws": a.draws, "proposals": {}}
        for name, index in [("x", 0), ("y", 1), ("branin", None)]:
            f = [p[index] if index is not None else branin_xy(*p) for p in fledge["proposals"]]
            o = [p[index] if index is not None else branin_xy(*p) for p in proposals_optuna]
            entry["proposals"][name] = {"fledge": summary(f), "optuna": summary(o),
                                        "welch_p": float(stats.ttest_ind(f, o, equal_var=False).pvalue),
                                        "ks_p": float(stats.ks_2samp(f, o).pvalue)}
        results.append(entry)
        print(json.dumps({k: v for k, v in entry.items() if k != "proposals"}))
        for name, e in entry["proposals"].items():
            print(f"  {name:<7} Fledge {e['fledge']['mean']:.4f} ± {e['fledge']['std']:.4f} (median {e['fledge']['median']:.4f})"
                  f"  Optuna {e['optuna']['mean']:.4f} ± {e['optuna']['std']:.4f} (median {e['optuna']['median']:.4f})"
                  f"  Welch p={e['welch_p']:.3f} KS p={e['ks_p']:.3f}")
    if a.json_out:
        with open(a.json_out, "w") as f:
            json.dump({"optuna": optuna.__version__, "objective": "branin", "history_source": "Optuna TPESampler(seed=0)",
                       "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
