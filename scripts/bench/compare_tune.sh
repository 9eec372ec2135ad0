#!/usr/bin/env bash
# Fledge's samplers against Optuna's, side by side in one run:
#  1. analytic objectives (Branin, Hartmann-6, mixed; ../shared/peers/bench_optuna.py's definitions):
#     `fledge-bench tune` (random and TPE, in-memory and SQLite storage) and bench_optuna.py (random and
#     TPE), TRIALS trials x SEEDS seeds: best value, trial reached, ms per trial;
#  2. TPE's sampler overhead over a 1,000-trial study (fledge-bench tune, same run);
#  3. a real training task (TASK_CONFIG, default Benchmarks/configs/tune_digits.yaml: best validation
#     log loss of a small digits MLP within 3 epochs): `fledge tune` against Optuna's TPE evaluating every
#     trial with the same `fledge train` (scripts/bench/optuna_tune_task.py), TASK_TRIALS x TASK_SEEDS.
# Usage: scripts/bench/compare_tune.sh [TRIALS=100] [SEEDS=5] [TASK_TRIALS=30] [TASK_SEEDS=3]
#        (env OPTUNA_PYTHON overrides /tmp/peers-venv/bin/python; SKIP_BUILD=1 skips the build;
#         BUILD=debug uses .build/debug: best values are the same, times are not comparable;
#         OVERHEAD_TRIALS=N sets the length of the overhead study, default 1000; BIN_DIR=dir runs the
#         fledge and fledge-bench binaries in dir; PARALLEL=1 runs the four parts at once: best values
#         are unchanged and the sampler's thread CPU times stay valid, wall times are inflated;
#         OVERHEAD_FILE=path adds the JSON lines of a separate `fledge-bench tune` overhead run, e.g. one
#         taken on an idle machine, to the results as tpe_overhead_reference, with its non-JSON lines as notes;
#         TASK_FIRST_SEED=k runs the training task's seeds k .. k+TASK_SEEDS-1; TASK_ONLY=1 runs only the
#         training task and writes its rows to Benchmarks/results/tune_task_seeds<first>-<last>.json, to add seeds)
# Writes Benchmarks/results/tune_vs_optuna.json (with `uptime` load before and after, Welch's t and
# Mann-Whitney p-values of Fledge's against Optuna's best values) and prints a table.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PEERS="$(cd "$ROOT/../shared/peers" && pwd)"
PYTHON="${OPTUNA_PYTHON:-/tmp/peers-venv/bin/python}"
TRIALS="${1:-100}"
SEEDS="${2:-5}"
TASK_TRIALS="${3:-30}"
TASK_SEEDS="${4:-3}"
cd "$ROOT"
BUILD="${BUILD:-release}"
if [ -z "${SKIP_BUILD:-}" ]; then
  swift build -c "$BUILD" --product fledge 2>&1 | tail -2
  swift build -c "$BUILD" --product fledge-bench 2>&1 | tail -2
fi
FLEDGE="${BIN_DIR:-$ROOT/.build/$BUILD}/fledge"
BENCH="${BIN_DIR:-$ROOT/.build/$BUILD}/fledge-bench"
TASK_CONFIG="${TASK_CONFIG:-Benchmarks/configs/tune_digits.yaml}"
TASK_FIRST_SEED="${TASK_FIRST_SEED:-0}"
WORK="$(mktemp -d /tmp/fledge-tune-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
LOAD_BEFORE="$(uptime)"

analytic_fledge() {
  echo "fledge-bench tune ($TRIALS trials x $SEEDS seeds, then the overhead study)" >&2
  "$BENCH" tune --trials "$TRIALS" --seeds "$SEEDS" --overhead-trials "${OVERHEAD_TRIALS:-1000}" --scratch "$WORK" > "$WORK/fledge.jsonl"
}
analytic_optuna() {
  echo "bench_optuna.py" >&2
  "$PYTHON" "$PEERS/bench_optuna.py" --trials "$TRIALS" --seeds "$SEEDS" > "$WORK/optuna.jsonl"
}
task_fledge() {
  echo "training task: fledge tune ($TASK_TRIALS trials x $TASK_SEEDS seeds)" >&2
  : > "$WORK/fledge_task.jsonl"
  for seed in $(seq "$TASK_FIRST_SEED" $((TASK_FIRST_SEED + TASK_SEEDS - 1))); do
    start=$(date +%s.%N)
    "$FLEDGE" tune "$TASK_CONFIG" --quiet --n-trials "$TASK_TRIALS" --study-name "seed$seed" \
      --set "tune.sampler.seed=$seed" --set "experiment.experiment_dir=$WORK/fledge-task" > /dev/null
    end=$(date +%s.%N)
    "$PYTHON" - "$WORK/fledge-task/seed$seed" "$seed" "$TASK_TRIALS" "$start" "$end" "$TASK_CONFIG" >> "$WORK/fledge_task.jsonl" <<'PY'
import json, os, sys, yaml
study_dir, seed, trials, start, end, config = sys.argv[1:7]
best = json.load(open(os.path.join(study_dir, "best.json")))
with open(os.path.join(study_dir, "trials.json")) as f:
    failed = sum(t.get("state") == "failed" for t in json.load(f))
print(json.dumps({"task": yaml.safe_load(open(config))["experiment"]["name"], "sampler": "tpe", "seed": int(seed),
                  "trials": int(trials), "best_value": best["value"], "best_trial": best["trial"], "best_params": best["params"],
                  "failed_trials": failed, "ms_per_trial": 1000 * (float(end) - float(start)) / int(trials), "fledge": True}))
PY
  done
}
task_optuna() {
  echo "training task: Optuna TPE over fledge train ($TASK_TRIALS trials x $TASK_SEEDS seeds)" >&2
  "$PYTHON" "$ROOT/scripts/bench/optuna_tune_task.py" --fledge "$FLEDGE" --config "$TASK_CONFIG" \
    --trials "$TASK_TRIALS" --seeds "$TASK_SEEDS" --first-seed "$TASK_FIRST_SEED" --workdir "$WORK/optuna-task" > "$WORK/optuna_task.jsonl"
}
if [ -n "${TASK_ONLY:-}" ]; then
  task_fledge; task_optuna
  out="$ROOT/Benchmarks/results/tune_task_seeds$TASK_FIRST_SEED-$((TASK_FIRST_SEED + TASK_SEEDS - 1)).json"
  "$PYTHON" - "$WORK" "$out" "$LOAD_BEFORE" "$(uptime)" "$TASK_CONFIG" "${BIN_DIR:-$ROOT/.build/$BUILD}" "$TASK_TRIALS" "$TASK_SEEDS" "$TASK_FIRST_SEED" "$TRIALS" "$SEEDS" <<'PY'
import json, os, sys
work, out, load_before, load_after, config, bin_dir, trials, seeds, first, analytic_trials, analytic_seeds = sys.argv[1:12]
rows = {name: [json.loads(l) for l in open(os.path.join(work, name + "_task.jsonl")) if l.startswith("{")] for name in ("fledge", "optuna")}
json.dump({"command": f"TASK_ONLY=1 TASK_FIRST_SEED={first} BIN_DIR={bin_dir} scripts/bench/compare_tune.sh {analytic_trials} {analytic_seeds} {trials} {seeds}",
           "config": config, "load_before": load_before.strip(), "load_after": load_after.strip(),
           "fledge_tpe": rows["fledge"], "optuna_tpe": rows["optuna"]}, open(out, "w"), indent=1)
print(f"wrote {out}")
PY
  exit 0
fi
if [ -n "${PARALLEL:-}" ]; then
  pids=()
  for part in analytic_fledge analytic_optuna task_fledge task_optuna; do "$part" & pids+=($!); done
  failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done   # wait for every part before the trap cleans up
  [ "$failed" = 0 ] || { echo "a part failed; see the messages above" >&2; exit 1; }
else
  analytic_fledge; analytic_optuna; task_fledge; task_optuna
fi
LOAD_AFTER="$(uptime)"

[ -n "${OVERHEAD_FILE:-}" ] && cp "$OVERHEAD_FILE" "$WORK/overhead_reference.txt"
"$PYTHON" - "$WORK" "$ROOT/Benchmarks/results/tune_vs_optuna.json" "$LOAD_BEFORE" "$LOAD_AFTER" "$BUILD" "${PARALLEL:-0}" \
  "$TASK_CONFIG" "${BIN_DIR:-$ROOT/.build/$BUILD}" "${OVERHEAD_FILE:-}" "$TRIALS" "$SEEDS" "$TASK_TRIALS" "$TASK_SEEDS" <<'PY'
import json, os, statistics, sys
from scipy import stats as tests
work, out, load_before, load_after, build, parallel, task_config, bin_dir, overhead_file = sys.argv[1:10]
def lines(name):
    with open(os.path.join(work, name)) as f:
        return [json.loads(l) for l in f if l.strip().startswith("{")]
fledge, optuna = lines("fledge.jsonl"), lines("optuna.jsonl")
minimum = {"branin": 0.397887, "hartmann6": -3.32237, "mixed": 0.0}
def stats(rows, key):
    values = [r[key] for r in rows]
    return {"mean": statistics.mean(values), "std": statistics.stdev(values) if len(values) > 1 else 0.0,
            "values": values}
objectives = {}
for objective in minimum:
    entry = {"minimum": minimum[objective]}
    for label, rows in [("fledge_memory", [r for r in fledge if r.get("storage") == "memory"]),
                        ("fledge_sqlite", [r for r in fledge if r.get("storage") == "sqlite"]),
                        ("optuna", optuna)]:
        for sampler in ("random", "tpe"):
            picked = [r for r in rows if r.get("objective") == objective and r.get("sampler") == sampler]
            if not picked:
                continue
            e = {"best_value": stats(picked, "best_value"), "best_trial": stats(picked, "best_trial"),
                 "ms_per_trial": stats(picked, "ms_per_trial")}
            if "sampler_ms_per_trial" in picked[0]:
                e["sampler_ms_per_trial"] = stats(picked, "sampler_ms_per_trial")
            entry[f"{label}_{sampler}"] = e
    for sampler in ("random", "tpe"):
        f, o = entry.get(f"fledge_memory_{sampler}"), entry.get(f"optuna_{sampler}")
        if f and o:
            gap_f = f["best_value"]["mean"] - minimum[objective]
            gap_o = o["best_value"]["mean"] - minimum[objective]
            entry[f"{sampler}_gap_to_minimum"] = {"fledge": gap_f, "optuna": gap_o,
                                                  "ratio_fledge_over_optuna": gap_f / gap_o if gap_o > 0 else None}
            entry[f"{sampler}_fledge_at_least_as_good"] = f["best_value"]["mean"] <= o["best_value"]["mean"]
            entry[f"{sampler}_ms_per_trial_ratio_optuna_over_fledge"] = o["ms_per_trial"]["mean"] / f["ms_per_trial"]["mean"]
            if len(f["best_value"]["values"]) > 1 and len(o["best_value"]["values"]) > 1:
                fv, ov = f["best_value"]["values"], o["best_value"]["values"]
                entry[f"{sampler}_welch_p"] = float(tests.ttest_ind(fv, ov, equal_var=False).pvalue)
                entry[f"{sampler}_mann_whitney_p"] = float(tests.mannwhitneyu(fv, ov, alternative="two-sided").pvalue)
    objectives[objective] = entry
overhead = [r for r in fledge if r.get("benchmark") == "tpe_overhead"]
fledge_task, optuna_task = lines("fledge_task.jsonl"), lines("optuna_task.jsonl")
reference, notes = [], []
if overhead_file:
    with open(os.path.join(work, "overhead_reference.txt")) as f:
        for l in f:
            (reference if l.strip().startswith("{") else notes).append(json.loads(l) if l.strip().startswith("{") else l.strip())
task = {"config": task_config, "objective": "lowest validation value of tune.metric over the run's checks (minimise)",
        "fledge_tpe": {"best_value": stats(fledge_task, "best_value"), "best_trial": stats(fledge_task, "best_trial"),
                       "ms_per_trial": stats(fledge_task, "ms_per_trial"), "runs": fledge_task},
        "optuna_tpe": {"best_value": stats(optuna_task, "best_value"), "best_trial": stats(optuna_task, "best_trial"),
                       "ms_per_trial": stats(optuna_task, "ms_per_trial"), "runs": optuna_task}}
task["ratio_fledge_over_optuna_best_value"] = task["fledge_tpe"]["best_value"]["mean"] / task["optuna_tpe"]["best_value"]["mean"]
task["fledge_at_least_as_good"] = task["fledge_tpe"]["best_value"]["mean"] <= task["optuna_tpe"]["best_value"]["mean"]
if len(fledge_task) > 1 and len(optuna_task) > 1:
    fv, ov = task["fledge_tpe"]["best_value"]["values"], task["optuna_tpe"]["best_value"]["values"]
    task["welch_p"] = float(tests.ttest_ind(fv, ov, equal_var=False).pvalue)
    task["mann_whitney_p"] = float(tests.mannwhitneyu(fv, ov, alternative="two-sided").pvalue)
result = {"command": f"BUILD={build} PARALLEL={parallel} BIN_DIR={bin_dir} scripts/bench/compare_tune.sh " + " ".join(sys.argv[10:]),
          "build": build, "bin_dir": bin_dir, "parallel": parallel != "0",
          "optuna": optuna[0].get("optuna") if optuna else None, "nproc": os.cpu_count(),
          "load_before": load_before.strip(), "load_after": load_after.strip(),
          "trials": fledge[0]["trials"], "seeds": len({r["seed"] for r in optuna}),
          "analytic": objectives, "tpe_overhead": overhead,
          "tpe_overhead_reference": {"file": overhead_file, "rows": reference, "notes": notes} if overhead_file else None,
          "training_task": task,
          "fledge_rows": fledge, "optuna_rows": optuna}
with open(out, "w") as f:
    json.dump(result, f, indent=1)

def pm(e):
    return f"{e['mean']:.4f} ± {e['std']:.4f}"
print(f"{'objective':<10} {'sampler':<7} {'Fledge (memory)':>20} {'Fledge (SQLite)':>20} {'Optuna':>20}  ms/trial F/O")
for objective, entry in objectives.items():
    for sampler in ("random", "tpe"):
        f, s, o = entry.get(f"fledge_memory_{sampler}"), entry.get(f"fledge_sqlite_{sampler}"), entry.get(f"optuna_{sampler}")
        print(f"{objective:<10} {sampler:<7} {pm(f['best_value']) if f else '-':>20} {pm(s['best_value']) if s else '-':>20} "
              f"{pm(o['best_value']) if o else '-':>20}  {f['ms_per_trial']['mean']:.2f}/{o['ms_per_trial']['mean']:.2f}")
for r in overhead:
    print(f"TPE overhead ({r['objective']}, {r['storage']}, {r['trials']} trials): sampler {r['sampler_ms_per_trial_mean']} ms/trial mean "
          f"(CPU {r['sampler_cpu_ms_per_trial_mean']}), {r['sampler_ms_per_trial_last100']} ms/trial over the last 100 "
          f"(CPU {r['sampler_cpu_ms_per_trial_last100']}); whole trial {r['ms_per_trial_last100']} ms over the last 100")
for r in reference:
    if r.get("benchmark") == "tpe_overhead":
        print(f"reference TPE overhead ({overhead_file}): sampler {r['sampler_ms_per_trial_mean']} ms/trial mean, "
              f"{r['sampler_ms_per_trial_last100']} over the last 100, max {r['sampler_ms_max']}")
print(f"training task best value: Fledge TPE {pm(task['fledge_tpe']['best_value'])}, Optuna TPE {pm(task['optuna_tpe']['best_value'])} "
      f"(ratio {task['ratio_fledge_over_optuna_best_value']:.3f})")
print(f"load before: {load_before.strip()}\nload after:  {load_after.strip()}")
print(f"wrote {out}")
PY
