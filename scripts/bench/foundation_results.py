"""Collects scripts/bench/foundation_results.sh's runs into Benchmarks/results/foundation_vs_baselines.json
and prints the markdown tables of docs/foundation.md ("Results"): (a) the fine-tuned foundation model,
(b) the same network from scratch, (c) LightGBM on RFM features / most-popular items, then the
label-fraction curve of (a) vs (b). Mean ± standard deviation over the seeds present.

Reads the runs with scripts/bench/events_results.py's readers (same WORK layout), for every dataset
found: WORK/foundation_{finetuned,scratch}[_f<fraction>]/<dataset>-<task>/s<seed>/summary.json,
WORK/baselines/<dataset>-s<seed>.json and the pretraining runs WORK/pretrain/<dataset>-s<seed>/.
"""
import argparse
import json
import os
import platform
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    from events_results import TASK_ORDER, aggregate, baseline_runs, fledge_runs, metric_names
except ImportError as error:  # events_results.py comes with scripts/bench/events_results.sh
    sys.exit(f"foundation_results.py needs scripts/bench/events_results.py (scripts/bench/events_results.sh's summary): {error}")

DATASETS = ("shop", "clickstream")
VARIANTS = {"finetuned": "foundation_finetuned", "scratch": "foundation_scratch"}
BASELINE = {"next_items": "most_popular"}
# Further baselines of scripts/peers/events_baselines.py, reported beside (c) when present.
OTHER_BASELINES = {"spend": ["mean_predictor"],
                   "next_items": ["personal_popularity", "personal_recency", "most_popular_last_N_days"]}


def model_name(variant, fraction):
    return VARIANTS[variant] + ("" if fraction == 1.0 else f"_f{fraction:g}")


def fractions(models):
    found = {1.0}
    for model in models:
        for prefix in VARIANTS.values():
            if model.startswith(prefix + "_f"):
                found.add(float(model[len(prefix) + 2:]))
    return sorted(found)


def stats(models, model, dataset, task, split, metric):
    """{"mean", "std", "n"} over the seeds present, or None."""
    runs = models.get(model, {}).get(dataset, {}).get(task)
    return aggregate(runs).get(split, {}).get(metric) if runs else None


def put(row, key, found):
    """Sets row[key] (the mean), row[key_std] and row[key_seeds] from stats(...)."""
    row[key] = None if found is None else found["mean"]
    row[key + "_std"] = None if found is None else found["std"]
    row[key + "_seeds"] = 0 if found is None else found["n"]


def text(number, std=None, n=1):
    if number is None:
        return ""
    return f"{number:.3f}" + (f" ± {std:.3f}" if std is not None and n > 1 else "")


def cell(row, key):
    return text(row.get(key), row.get(key + "_std"), row.get(key + "_seeds", 1))


def has_runs(models, dataset):
    return any(dataset in models.get(m, {}) for m in models if m.startswith("foundation_"))


def comparison(models, dataset):
    rows = []
    for task in TASK_ORDER:
        baseline = BASELINE.get(task, "lightgbm_rfm")
        for metric in metric_names(dataset, task):
            row = {"dataset": dataset, "task": task, "metric": metric, "baseline_model": baseline}
            put(row, "baseline_test", stats(models, baseline, dataset, task, "test", metric))
            row["other_baselines_test"] = {}
            for other in OTHER_BASELINES.get(task, []):
                found = stats(models, other, dataset, task, "test", metric)
                if found is not None:
                    row["other_baselines_test"][other] = {"mean": found["mean"], "std": found["std"], "seeds": found["n"]}
            for variant in VARIANTS:
                for split in ("validation", "test"):
                    put(row, f"{variant}_{split}", stats(models, model_name(variant, 1.0), dataset, task, split, metric))
            rows.append(row)
    return rows


def curve(models, dataset):
    rows = []
    for task in TASK_ORDER:
        for fraction in fractions(models):
            for metric in metric_names(dataset, task)[:1]:
                row = {"dataset": dataset, "task": task, "metric": metric, "training_entity_fraction": fraction}
                for variant in VARIANTS:
                    name = model_name(variant, fraction)
                    runs = models.get(name, {}).get(dataset, {}).get(task, {})
                    counts = [r["rows"]["train"] for r in runs.values() if r.get("rows", {}).get("train") is not None]
                    # The kept entities depend on the seed, so the count does too: the mean over seeds.
                    row[f"{variant}_train_rows"] = round(sum(counts) / len(counts)) if counts else None
                    for split in ("validation", "test"):
                        put(row, f"{variant}_{split}", stats(models, name, dataset, task, split, metric))
                row["paired"] = paired(models, dataset, task, fraction, metric)
                rows.append(row)
    # Only tasks with a run on fewer labels (the curve is usually measured on one task), and only
    # fractions with a run.
    curved = {r["task"] for r in rows if r["training_entity_fraction"] < 1 and any(r[f"{v}_test"] is not None for v in VARIANTS)}
    return [r for r in rows if r["task"] in curved and any(r[f"{v}_test"] is not None for v in VARIANTS)]


def paired(models, dataset, task, fraction, metric):
    """(a) − (b) per seed that has both, on validation and test: the seeds, the differences, their mean
    and standard deviation, and in how many seeds (a) is ahead (a paired comparison: the same seed
    means the same labelled entities, pretraining and initialisation stream)."""
    a = models.get(model_name("finetuned", fraction), {}).get(dataset, {}).get(task, {})
    b = models.get(model_name("scratch", fraction), {}).get(dataset, {}).get(task, {})
    seeds = sorted(s for s in a if s in b)
    out = {"seeds": seeds}
    for split in ("validation", "test"):
        diffs = [a[s][split][metric] - b[s][split][metric] for s in seeds
                 if metric in a[s].get(split, {}) and metric in b[s].get(split, {})]
        out[split] = {"differences": diffs, "mean": statistics.fmean(diffs) if diffs else None,
                      "std": statistics.stdev(diffs) if len(diffs) > 1 else None,
                      "finetuned_ahead": sum(d > 0 for d in diffs)}
    return out


def signed(mean, std):
    return "" if mean is None else f"{mean:+.3f}" + ("" if std is None else f" ± {std:.3f}")


def markdown(rows, curve_rows):
    lines = ["| dataset | task | metric | (a) fine-tuned: test | (b) from scratch: test | (c) baseline: test | other baselines: test | (a) validation | (b) validation |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        others = "; ".join(f"{name} {text(o['mean'], o['std'], o['seeds'])}" for name, o in r["other_baselines_test"].items())
        lines.append(f"| {r['dataset']} | {r['task']} | {r['metric']} | {cell(r, 'finetuned_test')} | {cell(r, 'scratch_test')} | "
                     f"{cell(r, 'baseline_test')} ({r['baseline_model']}) | {others} | {cell(r, 'finetuned_validation')} | {cell(r, 'scratch_validation')} |")
    lines += ["", "| dataset | task | metric | labelled training entities | training rows (a / b, mean over seeds) | (a) fine-tuned: test | (b) from scratch: test | (a) − (b) per seed: test | (a) ahead | (a) validation | (b) validation |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in curve_rows:
        test = r["paired"]["test"]
        diffs = " / ".join(f"{d:+.3f}" for d in test["differences"])
        ahead = f"{test['finetuned_ahead']} of {len(test['differences'])}"
        lines.append(f"| {r['dataset']} | {r['task']} | {r['metric']} | {r['training_entity_fraction']:.0%} | {r['finetuned_train_rows']} / {r['scratch_train_rows']} | "
                     f"{cell(r, 'finetuned_test')} | {cell(r, 'scratch_test')} | {diffs} (mean {signed(test['mean'], test['std'])}) | {ahead} | "
                     f"{cell(r, 'finetuned_validation')} | {cell(r, 'scratch_validation')} |")
    return "\n".join(lines)


def pretraining(work):
    """<dataset>-s<seed> -> the pretraining run's final metrics per split (its summary.json)."""
    found, root = {}, os.path.join(work, "pretrain")
    for name in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        path = os.path.join(root, name, "summary.json")
        if os.path.isfile(path):
            with open(path) as f:
                summary = json.load(f)
            found[name] = {o["split"]: o["metrics"] for o in summary["outcomes"]}
            found[name]["steps"] = summary.get("globalStep")
            found[name]["stop_reason"] = summary.get("stopReason")
    return found


def selection(work):
    """WORK/selection.json (scripts/bench/foundation_lr_select.py), or None."""
    path = os.path.join(work, "selection.json")
    if not os.path.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", default="runs/foundation-results")
    parser.add_argument("--out", default="Benchmarks/results/foundation_vs_baselines.json")
    parser.add_argument("--settings", default="", help="how the runs were made; 'dataset=<name> ...' files it under that dataset")
    args = parser.parse_args()
    models = fledge_runs(args.work)
    models.update(baseline_runs(args.work))
    datasets = [d for d in DATASETS if has_runs(models, d)]
    rows = [r for d in datasets for r in comparison(models, d)]
    curve_rows = [r for d in datasets for r in curve(models, d)]
    # Settings per dataset: an invocation for one dataset keeps what an earlier one recorded for another.
    settings = {}
    if os.path.isfile(args.out):
        with open(args.out) as f:
            previous = json.load(f).get("settings")
        if isinstance(previous, dict):
            settings = {d: s for d, s in previous.items() if d in datasets}
    first = args.settings.split(" ", 1)[0]
    settings[first[len("dataset="):] if first.startswith("dataset=") else "all"] = args.settings
    result = {"description": "Issue 7: fine-tuned foundation model vs the same network from scratch vs LightGBM/most-popular "
                             "on the same temporal split (scripts/bench/foundation_results.sh, docs/foundation.md Results)",
              "settings": settings, "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                                                "load_average": os.getloadavg()},
              "pretraining": pretraining(args.work), "comparison": rows,
              # scripts/bench/foundation_lr_grid.sh's choice of settings on validation, when it ran
              "selection": selection(args.work), "label_fraction_curve": curve_rows,
              "runs": {model: {dataset: {task: {"seeds": {str(s): v for s, v in runs.items()}, "aggregate": aggregate(runs)}
                                         for task, runs in tasks.items()}
                               for dataset, tasks in models[model].items() if dataset in datasets}
                       for model in models}}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")
    print(markdown(rows, curve_rows))
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
