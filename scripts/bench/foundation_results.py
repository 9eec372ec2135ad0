"""Collects scripts/bench/foundation_results.sh's runs into Benchmarks/results/foundation_vs_baselines.json
and prints the markdown tables of docs/foundation.md ("Results"): (a) the fine-tuned foundation model,
(b) the same network from scratch, (c) LightGBM on RFM features / most-popular items, then the
label-fraction curve of (a) vs (b).

Reads the runs with scripts/bench/events_results.py's readers (same WORK layout):
WORK/foundation_{finetuned,scratch}[_f<fraction>]/shop-<task>/s<seed>/summary.json and
WORK/baselines/shop-s<seed>.json.
"""
import argparse
import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    from events_results import TASK_ORDER, aggregate, baseline_runs, fledge_runs, metric_names
except ImportError as error:  # events_results.py comes with scripts/bench/events_results.sh
    sys.exit(f"foundation_results.py needs scripts/bench/events_results.py (scripts/bench/events_results.sh's summary): {error}")

DATASET = "shop"
VARIANTS = {"finetuned": "foundation_finetuned", "scratch": "foundation_scratch"}
BASELINE = {"next_items": "most_popular"}


def model_name(variant, fraction):
    return VARIANTS[variant] + ("" if fraction == 1.0 else f"_f{fraction:g}")


def fractions(models):
    found = {1.0}
    for model in models:
        for prefix in VARIANTS.values():
            if model.startswith(prefix + "_f"):
                found.add(float(model[len(prefix) + 2:]))
    return sorted(found)


def stats(models, model, task, split, metric):
    """{"mean", "std", "n"} over the seeds present, or None."""
    runs = models.get(model, {}).get(DATASET, {}).get(task)
    return aggregate(runs).get(split, {}).get(metric) if runs else None


def value(models, model, task, split, metric):
    found = stats(models, model, task, split, metric)
    return None if found is None else found["mean"]


def spread(models, model, task, split, metric):
    """The standard deviation over seeds and their number, for the row's *_std / *_seeds fields."""
    found = stats(models, model, task, split, metric)
    return (None, 0) if found is None else (found["std"], found["n"])


def text(number, std=None, n=1):
    if number is None:
        return ""
    return f"{number:.3f}" + (f" ± {std:.3f}" if std is not None and n > 1 else "")


def cell(row, key):
    return text(row.get(key), row.get(key + "_std"), row.get(key + "_seeds", 1))


def comparison(models):
    rows = []
    for task in TASK_ORDER:
        baseline = BASELINE.get(task, "lightgbm_rfm")
        for metric in metric_names(DATASET, task):
            row = {"task": task, "metric": metric, "baseline_model": baseline,
                   "baseline_test": value(models, baseline, task, "test", metric)}
            row["baseline_test_std"], row["baseline_test_seeds"] = spread(models, baseline, task, "test", metric)
            for variant in VARIANTS:
                for split in ("validation", "test"):
                    key, name = f"{variant}_{split}", model_name(variant, 1.0)
                    row[key] = value(models, name, task, split, metric)
                    row[key + "_std"], row[key + "_seeds"] = spread(models, name, task, split, metric)
            rows.append(row)
    return rows


def curve(models):
    rows = []
    for task in TASK_ORDER:
        for fraction in fractions(models):
            for metric in metric_names(DATASET, task)[:1]:
                row = {"task": task, "metric": metric, "training_entity_fraction": fraction}
                for variant in VARIANTS:
                    name = model_name(variant, fraction)
                    runs = models.get(name, {}).get(DATASET, {}).get(task, {})
                    counts = [r["rows"]["train"] for r in runs.values() if r.get("rows", {}).get("train") is not None]
                    # The kept entities depend on the seed, so the count does too: the mean over seeds.
                    row[f"{variant}_train_rows"] = round(sum(counts) / len(counts)) if counts else None
                    for split in ("validation", "test"):
                        key = f"{variant}_{split}"
                        row[key] = value(models, name, task, split, metric)
                        row[key + "_std"], row[key + "_seeds"] = spread(models, name, task, split, metric)
                if fraction != 1.0 and row["finetuned_test"] is None and row["scratch_test"] is None:
                    continue
                rows.append(row)
    return [r for r in rows if any(r[f"{v}_test"] is not None for v in VARIANTS)]


def markdown(rows, curve_rows):
    lines = ["| task | metric | (a) fine-tuned: test | (b) from scratch: test | (c) baseline: test | (a) validation | (b) validation |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['task']} | {r['metric']} | {cell(r, 'finetuned_test')} | {cell(r, 'scratch_test')} | "
                     f"{cell(r, 'baseline_test')} ({r['baseline_model']}) | {cell(r, 'finetuned_validation')} | {cell(r, 'scratch_validation')} |")
    lines += ["", "| task | metric | labelled training entities | training rows (a / b, mean over seeds) | (a) fine-tuned: test | (b) from scratch: test | (a) validation | (b) validation |",
              "|---|---|---|---|---|---|---|---|"]
    for r in curve_rows:
        lines.append(f"| {r['task']} | {r['metric']} | {r['training_entity_fraction']:.0%} | {r['finetuned_train_rows']} / {r['scratch_train_rows']} | "
                     f"{cell(r, 'finetuned_test')} | {cell(r, 'scratch_test')} | {cell(r, 'finetuned_validation')} | {cell(r, 'scratch_validation')} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", default="runs/foundation-results")
    parser.add_argument("--out", default="Benchmarks/results/foundation_vs_baselines.json")
    parser.add_argument("--settings", default="")
    args = parser.parse_args()
    models = fledge_runs(args.work)
    models.update(baseline_runs(args.work))
    rows, curve_rows = comparison(models), curve(models)
    pretrain = {}
    for name in sorted(os.listdir(os.path.join(args.work, "pretrain"))) if os.path.isdir(os.path.join(args.work, "pretrain")) else []:
        path = os.path.join(args.work, "pretrain", name, "summary.json")
        if os.path.isfile(path):
            with open(path) as f:
                summary = json.load(f)
            pretrain[name] = {o["split"]: o["metrics"] for o in summary["outcomes"]}
    result = {"description": "Issue 7: fine-tuned foundation model vs the same network from scratch vs LightGBM/most-popular, "
                             "shop generator (5,000 customers, seed 7), test from 2023-12-01 (scripts/bench/foundation_results.sh)",
              "settings": args.settings, "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                                                     "load_average": os.getloadavg()},
              "pretraining": pretrain, "comparison": rows, "label_fraction_curve": curve_rows,
              "runs": {model: {task: {"seeds": {str(s): v for s, v in runs.items()}, "aggregate": aggregate(runs)}
                               for task, runs in models[model].get(DATASET, {}).items()} for model in models}}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")
    print(markdown(rows, curve_rows))
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
