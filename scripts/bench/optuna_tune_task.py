"""Optuna's TPE on Fledge's training task: the same objective `fledge tune` optimises.

Reads the search space from the config's `tune.params` (float, int, categorical; no conditions),
runs Optuna's default TPESampler (seeded) for N trials, and evaluates each trial by running the
release `fledge train --quiet` on the config with the trial's values as `--set` overrides, then
reading the run's metrics.jsonl: the objective is the best validation value of
`tune.metric` over the run's validation checks, exactly what `fledge tune` records. A run that fails
or has no finite value returns NaN, which Optuna records as a failed trial (as `fledge tune` does).
Prints one JSON line per seed: best_value, best_trial, failed trials, ms_per_trial (training included).

    python optuna_tune_task.py --fledge .build/release/fledge --config Benchmarks/configs/tune_digits.yaml \
        --trials 30 --seeds 3 --workdir /tmp/optuna-task
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

import optuna
import yaml

optuna.logging.set_verbosity(optuna.logging.WARNING)


def yaml_text(value):
    """A config value as Fledge's `--set` (and ConfigValue.yamlText) writes it."""
    if isinstance(value, list):
        return "[" + ", ".join(yaml_text(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if not isinstance(value, float) else repr(value)


def suggest(trial, name, spec):
    kind = spec["type"]
    if spec.get("condition"):
        raise SystemExit(f"{name}: conditional parameters are not supported by this script")
    if kind == "float":
        return trial.suggest_float(name, float(spec["low"]), float(spec["high"]), log=bool(spec.get("log", False)),
                                   step=spec.get("step"))
    if kind == "int":
        return trial.suggest_int(name, int(spec["low"]), int(spec["high"]), log=bool(spec.get("log", False)),
                                 step=int(spec.get("step", 1)))
    if kind == "categorical":
        # Optuna's choices must be scalars: the choices' YAML text, one per choice, in order.
        return trial.suggest_categorical(name, [yaml_text(c) for c in spec["choices"]])
    raise SystemExit(f"{name}: unknown type {kind}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fledge", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--trials", type=int, default=30)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--first-seed", type=int, default=0, help="seeds first-seed .. first-seed + seeds - 1")
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    with open(a.config) as f:
        config = yaml.safe_load(f)
    tune = config["tune"]
    params = tune["params"]
    metric = tune.get("metric") or config["training"]["metric_to_monitor"]
    if not metric.startswith("val_"):
        metric = "val_" + metric
    # As fledge tune infers it: losses and errors minimise, everything else maximises.
    direction = tune.get("direction") or ("minimize" if metric.lower().endswith(("loss", "mse", "rmse", "mae", "error")) else "maximize")
    pick = min if direction == "minimize" else max
    for seed in range(a.first_seed, a.first_seed + a.seeds):
        run_dir = os.path.join(a.workdir, f"optuna-seed{seed}")

        def objective(trial):
            overrides = [f"{name}={yaml_text(suggest(trial, name, spec))}" for name, spec in params.items()]
            run_id = f"trial-{trial.number:04d}"
            cmd = [a.fledge, "train", a.config, "--quiet", "--set", f"experiment.experiment_dir={run_dir}",
                   "--set", f"experiment.run_id={run_id}"]
            for o in overrides:
                cmd += ["--set", o]
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"trial {trial.number} failed: fledge train: {done.stderr.strip()[-300:]}", file=sys.stderr)
                return float("nan")
            values = []
            with open(os.path.join(run_dir, run_id, "metrics.jsonl")) as f:
                for line in f:
                    entry = json.loads(line)
                    v = entry.get(metric)
                    if isinstance(v, (int, float)) and math.isfinite(v):
                        values.append(float(v))
            if not values:
                print(f"trial {trial.number} failed: no finite {metric} in the run", file=sys.stderr)
                return float("nan")
            return pick(values)

        study = optuna.create_study(direction=direction, sampler=optuna.samplers.TPESampler(seed=seed))
        t0 = time.perf_counter()
        study.optimize(objective, n_trials=a.trials)
        wall = time.perf_counter() - t0
        best = study.best_trial
        failed = sum(t.state == optuna.trial.TrialState.FAIL for t in study.trials)
        print(json.dumps({"task": config["experiment"]["name"], "sampler": "tpe", "seed": seed, "trials": a.trials,
                          "best_value": best.value, "best_trial": best.number, "best_params": best.params,
                          "failed_trials": failed, "ms_per_trial": 1000 * wall / a.trials, "optuna": optuna.__version__}),
              flush=True)


if __name__ == "__main__":
    main()
