"""Deterministic parity check of Fledge's TPE against Optuna 5.1's on fixed histories.

For each objective (../shared/peers/bench_optuna.py's definitions: Branin, two floats; mixed, a log
float, an int and two categoricals) and each history length N:
1. History: the first N trials of Optuna's TPE (seed 0) on the objective.
2. Both samplers build l (the best γ(N) trials) and g (the rest) on it; log l and log g are compared
   at fixed points (the history's points and random points of the space).
3. Both propose the next trial (trial N) --draws times, each with a different sampler seed (Optuna:
   TPESampler(seed=s) through study.ask(); Fledge: TPESampler(seed: s).sample(...) via the harness,
   which compiles Fledge's own sampler sources): per parameter mean, std, median (Welch t and
   two-sample Kolmogorov–Smirnov tests) or choice frequencies (chi-square test), and the same for the
   objective's value at the proposals.

--stable-argsort makes numpy's argsort stable for the whole run (history included). Optuna assigns
kernel widths through np.argsort's default, unstable order, so observations tied in value (ints,
stepped floats) get their widths in an arbitrary order; Fledge sorts stably. With the flag Optuna's
densities equal Fledge's on tied observations too.

    scripts/bench/tpe_parity/build.sh /tmp/tpe-harness
    python parity.py --harness /tmp/tpe-harness/harness [--objectives branin,mixed] [--histories 30,80] \
        [--draws 10000] [--stable-argsort] [--json-out out.json]
"""
import argparse
import json
import math
import os
import subprocess
import sys

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe.sampler import _split_trials, default_gamma
from optuna.trial import FixedTrial, TrialState, create_trial
from scipy import stats

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../shared/peers"))
import bench_optuna  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)


def spec(name, d):
    if isinstance(d, CategoricalDistribution):
        return {"name": name, "type": "categorical", "choices": len(d.choices)}
    kind = "int" if isinstance(d, IntDistribution) else "float"
    return {"name": name, "type": kind, "low": d.low, "high": d.high, "log": d.log}


def suggest(trial, name, d):
    if isinstance(d, CategoricalDistribution):
        return trial.suggest_categorical(name, d.choices)
    if isinstance(d, IntDistribution):
        return trial.suggest_int(name, d.low, d.high, log=d.log)
    return trial.suggest_float(name, d.low, d.high, log=d.log)


def random_point(rng, dists):
    point = {}
    for name, d in dists.items():
        if isinstance(d, CategoricalDistribution):
            point[name] = float(rng.integers(len(d.choices)))
        elif isinstance(d, IntDistribution):
            point[name] = float(rng.integers(d.low, d.high + 1))
        elif d.log:
            point[name] = float(math.exp(rng.uniform(math.log(d.low), math.log(d.high))))
        else:
            point[name] = float(rng.uniform(d.low, d.high))
    return point


def summary(values):
    v = np.asarray(values, dtype=float)
    return {"mean": float(v.mean()), "std": float(v.std(ddof=1)), "median": float(np.median(v))}


def compare(f, o, categorical=None):
    if categorical is not None:
        fc = np.bincount(np.asarray(f, dtype=int), minlength=categorical)
        oc = np.bincount(np.asarray(o, dtype=int), minlength=categorical)
        keep = (fc + oc) > 0
        p = float(stats.chi2_contingency(np.vstack([fc[keep], oc[keep]]))[1]) if keep.sum() > 1 else 1.0
        return {"fledge_counts": fc.tolist(), "optuna_counts": oc.tolist(), "chi2_p": p}
    return {"fledge": summary(f), "optuna": summary(o), "welch_p": float(stats.ttest_ind(f, o, equal_var=False).pvalue),
            "ks_p": float(stats.ks_2samp(f, o).pvalue)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--harness", required=True)
    ap.add_argument("--objectives", default="branin,mixed")
    ap.add_argument("--histories", default="30,80")
    ap.add_argument("--draws", type=int, default=10000)
    ap.add_argument("--stable-argsort", action="store_true")
    ap.add_argument("--json-out", default=None)
    a = ap.parse_args()
    if a.stable_argsort:
        unstable = np.argsort
        np.argsort = lambda x, axis=-1, kind=None, order=None, **kw: unstable(x, axis=axis, kind="stable", order=order, **kw)
    sizes = [int(s) for s in a.histories.split(",")]
    results = []
    for objective_name in a.objectives.split(","):
        objective = bench_optuna.OBJECTIVES[objective_name]
        source = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=0))
        source.optimize(objective, n_trials=max(sizes))
        dists = source.trials[0].distributions
        for n in sizes:
            trials = source.trials[:n]
            internal = lambda params: {k: float(dists[k].to_internal_repr(v)) for k, v in params.items()}
            history = [{"number": t.number, "params": internal(t.params), "value": t.value} for t in trials]
            rng = np.random.default_rng(1)
            points = [h["params"] for h in history] + [random_point(rng, dists) for _ in range(50)]
            study = optuna.create_study(direction="minimize")
            for t in trials:
                study.add_trial(create_trial(params=t.params, distributions=dists, value=t.value))
            frozen = study.get_trials(deepcopy=False)
            sampler = optuna.samplers.TPESampler(seed=0)
            below, above = _split_trials(study, frozen, default_gamma(len(frozen)))
            l = sampler._build_parzen_estimator(study, dists, below, handle_below=True)
            g = sampler._build_parzen_estimator(study, dists, above, handle_below=False)
            at = {k: np.array([p[k] for p in points]) for k in dists}   # internal values, as TPESampler._sample scores them
            optuna_logl, optuna_logg = l.log_pdf(at), g.log_pdf(at)
            proposals_optuna = []
            for s in range(a.draws):
                study.sampler = optuna.samplers.TPESampler(seed=s)
                trial = study.ask()
                proposals_optuna.append({k: suggest(trial, k, d) for k, d in dists.items()})
                study.tell(trial, state=TrialState.FAIL)   # failed trials are invisible to TPE
            done = subprocess.run([a.harness], capture_output=True, text=True, check=True,
                                  input=json.dumps({"space": [spec(k, d) for k, d in dists.items()], "history": history,
                                                    "points": points, "draws": a.draws}))
            fledge = json.loads(done.stdout)
            names = sorted(dists)   # the harness's (and Fledge's) parameter order
            dl = np.abs(np.array(fledge["logl"]) - optuna_logl)
            dg = np.abs(np.array(fledge["logg"]) - optuna_logg)
            fledge_external = [{k: dists[k].to_external_repr(int(round(p[k])) if not isinstance(dists[k], FloatDistribution) else p[k])
                                for k in dists} for p in fledge["proposals"]]
            entry = {"objective": objective_name, "history_trials": n, "n_below": len(below), "n_above": len(above),
                     "fledge_n_below": fledge["n_below"], "fledge_n_above": fledge["n_above"], "points": len(points),
                     "max_abs_diff_log_l": float(dl.max()), "max_abs_diff_log_g": float(dg.max()), "draws": a.draws,
                     "proposals": {}}
            for k in names:
                d = dists[k]
                f = [p[k] for p in fledge["proposals"]]
                o = [d.to_internal_repr(p[k]) for p in proposals_optuna]
                entry["proposals"][k] = compare(f, o, len(d.choices) if isinstance(d, CategoricalDistribution) else None)
            entry["proposals"]["objective_value"] = compare([objective(FixedTrial(p)) for p in fledge_external],
                                                            [objective(FixedTrial(p)) for p in proposals_optuna])
            results.append(entry)
            print(json.dumps({k: v for k, v in entry.items() if k != "proposals"}))
            for k, e in entry["proposals"].items():
                if "chi2_p" in e:
                    print(f"  {k:<14} Fledge {e['fledge_counts']}  Optuna {e['optuna_counts']}  chi2 p={e['chi2_p']:.3f}")
                else:
                    print(f"  {k:<14} Fledge {e['fledge']['mean']:.4g} ± {e['fledge']['std']:.4g} (median {e['fledge']['median']:.4g})"
                          f"  Optuna {e['optuna']['mean']:.4g} ± {e['optuna']['std']:.4g} (median {e['optuna']['median']:.4g})"
                          f"  Welch p={e['welch_p']:.3f} KS p={e['ks_p']:.3f}")
    if a.json_out:
        with open(a.json_out, "w") as f:
            json.dump({"command": " ".join(sys.argv), "optuna": optuna.__version__, "stable_argsort": a.stable_argsort,
                       "history_source": "Optuna TPESampler(seed=0)", "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
