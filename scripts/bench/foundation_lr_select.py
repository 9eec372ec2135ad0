"""Picks, per (variant, label fraction), the grid point of scripts/bench/foundation_lr_grid.sh with the best
mean validation metric over the selection seeds (test is recorded, never used to choose); --chosen-only
prints the choice ("variant fraction learning_rate warm_start_steps backbone_multiplier l2sp_strength" per line), otherwise copies the
chosen point's run of every seed into WORK's layout (WORK/foundation_<variant>_f<fraction>/<dataset>-churn/s<seed>/;
all the labels: WORK/foundation_<variant>/...)
and writes WORK/selection.json, which scripts/bench/foundation_results.py adds to
Benchmarks/results/foundation_vs_baselines.json.
"""
import argparse
import json
import os
import re
import shutil
import statistics

POINT = re.compile(r"^(finetuned|scratch)-lr([0-9.e+-]+)-w([0-9]+)(?:-b([0-9.e+-]+))?(?:-l([0-9.e+-]+))?$")


def metrics(summary_path):
    with open(summary_path) as f:
        summary = json.load(f)
    return {o["split"]: o["metrics"] for o in summary["outcomes"]}, summary.get("globalStep")


def key(run):
    """A grid point: variant, fraction and its settings."""
    return (run["variant"], run["fraction"], run["learning_rate"], run["warm_start_steps"],
            run["backbone_learning_rate_multiplier"], run["l2sp_strength"])


def runs_without_paths(runs):
    return [{k: v for k, v in run.items() if k not in ("path", "model", "point")} for run in runs]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grid", default="runs/foundation-lrgrid")
    parser.add_argument("--work", default="runs/foundation-results")
    parser.add_argument("--dataset", default="shop")
    parser.add_argument("--task", default="churn")
    parser.add_argument("--metric", default="auroc")
    parser.add_argument("--select-seeds", default="0", help="space-separated seeds whose validation chooses")
    parser.add_argument("--chosen-only", action="store_true")
    args = parser.parse_args()
    if not os.path.isdir(args.grid):
        raise SystemExit(f"no grid in {args.grid}: run scripts/bench/foundation_lr_grid.sh first")
    runs = []  # one per grid point, fraction and seed
    for point in sorted(os.listdir(args.grid)):
        match = POINT.match(point)
        if not match:
            continue
        variant, lr, warm = match.group(1), float(match.group(2)), int(match.group(3))
        multiplier, l2sp = float(match.group(4) or 1), float(match.group(5) or 0)
        for model in sorted(os.listdir(os.path.join(args.grid, point))):
            prefix = f"foundation_{variant}_f"
            if model == f"foundation_{variant}":  # all the labels (foundation_results.sh's name for fraction 1.0)
                fraction = 1.0
            elif model.startswith(prefix):
                fraction = float(model[len(prefix):])
            else:
                continue
            task_dir = os.path.join(args.grid, point, model, f"{args.dataset}-{args.task}")
            for seed_dir in sorted(os.listdir(task_dir)) if os.path.isdir(task_dir) else []:
                summary = os.path.join(task_dir, seed_dir, "summary.json")
                if not (seed_dir.startswith("s") and os.path.isfile(summary)):
                    continue
                found, steps = metrics(summary)
                runs.append({"variant": variant, "fraction": fraction, "seed": int(seed_dir[1:]),
                             "learning_rate": lr, "warm_start_steps": warm if variant == "finetuned" else None,
                             "backbone_learning_rate_multiplier": multiplier if variant == "finetuned" else None,
                             "l2sp_strength": l2sp if variant == "finetuned" else None,
                             "validation": found["validation"][args.metric], "test": found["test"][args.metric],
                             "steps": steps, "path": os.path.join(task_dir, seed_dir), "model": model, "point": point})
    select_seeds = {int(seed) for seed in args.select_seeds.split()}
    by_point = {}
    for run in runs:
        by_point.setdefault(key(run), []).append(run)
    choice = {}  # (variant, fraction) -> (mean validation over the selection seeds, point)
    for point, point_runs in by_point.items():
        scores = [r["validation"] for r in point_runs if r["seed"] in select_seeds]
        if len(scores) < len(select_seeds):
            continue
        score = statistics.mean(scores)
        if point[:2] not in choice or score > choice[point[:2]][0]:
            choice[point[:2]] = (score, point)
    if args.chosen_only:
        for (variant, fraction), (_, point) in sorted(choice.items()):
            # The grid directory's spelling of the rate and multiplier, so foundation_lr_grid.sh finds the point again.
            spelled = POINT.match(by_point[point][0]["point"])
            print(f"{variant} {'1.0' if fraction == 1 else f'{fraction:g}'} {spelled.group(2)} {point[3] if point[3] is not None else 0} "
                  f"{spelled.group(4) or 1} {spelled.group(5) or 0}")
        return
    chosen = {}
    for (variant, fraction), (_, point) in choice.items():
        for run in by_point[point]:
            chosen[(variant, fraction, run["seed"])] = run
    for (variant, fraction, seed), run in sorted(chosen.items()):
        target = os.path.join(args.work, run["model"], f"{args.dataset}-{args.task}")
        os.makedirs(target, exist_ok=True)
        shutil.rmtree(os.path.join(target, f"s{seed}"), ignore_errors=True)
        shutil.copytree(run["path"], os.path.join(target, f"s{seed}"))
        for ext in (".log", ".log.time"):
            if os.path.isfile(run["path"] + ext):
                shutil.copy(run["path"] + ext, os.path.join(target, f"s{seed}{ext}"))
    # Grid means over seeds (for the docs: how flat the validation surface is).
    points = {}
    for run in runs:
        points.setdefault(key(run), []).append(run)
    grid = [{"variant": v, "fraction": f, "learning_rate": lr, "warm_start_steps": w, "backbone_learning_rate_multiplier": m,
             "l2sp_strength": a, "seeds": len(rs), "validation_mean": statistics.mean(r["validation"] for r in rs),
             "test_mean": statistics.mean(r["test"] for r in rs)}
            for (v, f, lr, w, m, a), rs in sorted(points.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], kv[0][3] or 0,
                                                                                 kv[0][4] or 1, kv[0][5] or 0))]
    selection = {"description": f"per (variant, fraction): the grid point with the best mean validation {args.metric} "
                                f"over seeds {sorted(select_seeds)} ({args.dataset} {args.task}); test recorded, not used to choose",
                 "select_seeds": sorted(select_seeds), "runs": runs_without_paths(runs),
                 "metric": args.metric, "dataset": args.dataset, "task": args.task,
                 "selected": [{k: v for k, v in run.items() if k not in ("path", "model", "point")} for _, run in sorted(chosen.items())],
                 "grid": grid}
    with open(os.path.join(args.work, "selection.json"), "w") as f:
        json.dump(selection, f, indent=1)
        f.write("\n")
    for g in grid:
        print(f"{g['variant']:9} f={g['fraction']:<5g} lr={g['learning_rate']:<7g} warm={g['warm_start_steps']!s:4} "
              f"backbone×={g['backbone_learning_rate_multiplier']!s:4} l2sp={g['l2sp_strength']!s:5} "
              f"seeds={g['seeds']} val={g['validation_mean']:.4f} test={g['test_mean']:.4f}")
    for run in selection["selected"]:
        print(f"selected {run['variant']:9} f={run['fraction']:<5g} s{run['seed']} lr={run['learning_rate']:g} "
              f"warm={run['warm_start_steps']} backbone×={run['backbone_learning_rate_multiplier']} l2sp={run['l2sp_strength']} "
              f"val={run['validation']:.4f} test={run['test']:.4f}")


if __name__ == "__main__":
    main()
