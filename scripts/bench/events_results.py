"""Collects scripts/bench/events_results.sh's runs into Benchmarks/results/events_vs_baselines.json and
prints the markdown table of docs/events-results.md.

Reads WORK/<model>/<dataset>-<task>/s<seed>/summary.json (FledgeTrain's run summary: the final model's
metrics per split) for every model directory, and WORK/baselines/<dataset>-s<seed>.json
(scripts/peers/events_baselines.py) as the models `lightgbm_rfm` (churn, propensity, spend),
`mean_predictor` (spend: the training mean for everyone), `most_popular`, `most_popular_last_N_days`,
`personal_popularity` and `personal_recency` (next items). A new model is a new directory under WORK.
Test metrics are compared; Fledge's validation metrics are kept too (the baselines use validation for
LightGBM's early stopping only). Mean and standard deviation over the seeds present.

With --paired DIR (default runs/churn-paired, skipped when absent), scripts/bench/churn_paired.sh's
per-entity comparisons DIR/paired-<split>.json (scripts/bench/paired_auroc.py: shop churn,
Fledge against LightGBM on the same customers, AUROC difference with a paired bootstrap CI and
DeLong's p) become the entry `paired_comparison`.
"""
import argparse
import glob
import json
import os
import platform
import statistics

# The metrics of each task, as Fledge's summary names them (recommendation: at the dataset's top K).
TASK_METRICS = {
    "churn": ["auroc"],
    "propensity": ["auroc"],
    "spend": ["rmse", "mae", "r2"],
    "next_items": ["precision@{k}", "recall@{k}", "ndcg@{k}", "hit_rate@{k}", "map@{k}", "mrr"],
}
TOP_K = {"shop": 10, "clickstream": 5}
TASK_ORDER = ["churn", "propensity", "spend", "next_items"]
LOWER_IS_BETTER = {"rmse", "mae"}
# scripts/peers/events_baselines.py's non-learned rankings and the spend floor, each a column.
RANKING_BASELINES = ["most_popular", "most_popular_last_N_days", "personal_popularity", "personal_recency"]
BASELINES = ["lightgbm_rfm", "mean_predictor", "most_popular", "personal_popularity", "personal_recency"]


def metric_names(dataset, task):
    return [name.format(k=TOP_K[dataset]) for name in TASK_METRICS[task]]


def fledge_runs(work):
    """model -> dataset -> task -> seed -> {"test": metrics, "validation": metrics, "rows": {...}}."""
    found = {}
    for path in sorted(glob.glob(os.path.join(work, "*", "*", "s*", "summary.json"))):
        parts = path.split(os.sep)
        model, name, seed = parts[-4], parts[-3], int(parts[-2][1:])
        if model == "baselines" or "-" not in name:
            continue
        dataset, task = name.split("-", 1)
        with open(path) as f:
            summary = json.load(f)
        splits = {o["split"]: o for o in summary["outcomes"]}
        entry = {split: {k: v for k, v in splits[split]["metrics"].items()} for split in ("validation", "test") if split in splits}
        # The summary measures at most RunSummary.trainingSampleRows training rows; sampledFrom is the split's size.
        entry["rows"] = {split: splits[split].get("sampledFrom") or splits[split]["rows"] for split in splits}
        entry["steps"] = summary.get("globalStep")
        entry["stop_reason"] = summary.get("stopReason")
        found.setdefault(model, {}).setdefault(dataset, {}).setdefault(task, {})[seed] = entry
    return found


def baseline_runs(work):
    found = {}
    for path in sorted(glob.glob(os.path.join(work, "baselines", "*-s*.json"))):
        dataset, seed = os.path.basename(path)[:-5].rsplit("-s", 1)
        with open(path) as f:
            result = json.load(f)
        seed = int(seed)
        rows = {"train": result["samples"]["train"], "validation": result["samples"]["validation"],
                "test": result["samples"]["test"]}
        lgbm = found.setdefault("lightgbm_rfm", {}).setdefault(dataset, {})
        lgbm.setdefault("churn", {})[seed] = {"test": {"auroc": result["churn"]["auroc"],
                                                       "average_precision": result["churn"]["average_precision"]},
                                              "rows": rows}
        lgbm.setdefault("propensity", {})[seed] = {"test": {"auroc": result["propensity"]["auroc_mean"],
                                                            **{f"auroc_{k}": v for k, v in result["propensity"]["auroc_per_label"].items()}},
                                                   "rows": rows}
        lgbm.setdefault("spend", {})[seed] = {"test": {k: result["spend"][k] for k in ("rmse", "mae", "r2")}, "rows": rows}
        if "mean_predictor" in result["spend"]:
            found.setdefault("mean_predictor", {}).setdefault(dataset, {}).setdefault("spend", {})[seed] = {
                "test": {k: result["spend"]["mean_predictor"][k] for k in ("rmse", "mae", "r2")}, "rows": rows}
        recommendation = result["recommendation"]
        for name in RANKING_BASELINES:
            if name in recommendation:
                found.setdefault(name, {}).setdefault(dataset, {}).setdefault("next_items", {})[seed] = {
                    "test": recommendation[name], "rows": {"test": recommendation["test_entities_with_items"]}}
    return found


def aggregate(seeds):
    """Mean and standard deviation per split and metric over the seeds."""
    out = {}
    for split in ("validation", "test"):
        names = sorted({k for s in seeds.values() for k in s.get(split, {})})
        if not names:
            continue
        out[split] = {}
        for name in names:
            values = [s[split][name] for s in seeds.values() if name in s.get(split, {})]
            values = [float(v) for v in values if isinstance(v, (int, float))]
            if values:
                out[split][name] = {"mean": statistics.fmean(values),
                                    "std": statistics.stdev(values) if len(values) > 1 else 0.0, "n": len(values)}
    return out


def cell(models, model, dataset, task, split, metric, seed=None):
    runs = models.get(model, {}).get(dataset, {}).get(task)
    if not runs:
        return ""
    if seed is not None:
        value = runs.get(seed, {}).get(split, {}).get(metric)
        return "" if value is None else f"{value:.3f}"
    stats = aggregate(runs).get(split, {}).get(metric)
    if stats is None:
        return ""
    return f"{stats['mean']:.3f}" + (f" ± {stats['std']:.3f}" if stats["n"] > 1 else "")


def table(models, seed=None):
    order = ["fledge_mlp"] + sorted(m for m in models if m != "fledge_mlp" and m not in BASELINES
                                    and m not in RANKING_BASELINES)
    baselines = [m for m in BASELINES if m in models]
    header = (["dataset", "task", "metric"] + [f"{m} (test)" for m in order] + ["fledge_mlp (validation)"]
              + [f"{m} (test)" for m in baselines])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for dataset in ("shop", "clickstream"):
        for task in TASK_ORDER:
            for metric in metric_names(dataset, task):
                row = [dataset, task, metric] + [cell(models, m, dataset, task, "test", metric, seed) for m in order]
                row += [cell(models, "fledge_mlp", dataset, task, "validation", metric, seed)]
                row += [cell(models, m, dataset, task, "test", metric, seed) for m in baselines]
                lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def paired_comparisons(directory):
    """split -> scripts/bench/paired_auroc.py's result (A = LightGBM, B = Fledge; one pair per seed, and their mean)."""
    found = {}
    for path in sorted(glob.glob(os.path.join(directory, "paired-*.json"))):
        with open(path) as f:
            found[os.path.basename(path)[len("paired-"):-len(".json")]] = json.load(f)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", default="runs/events-results")
    parser.add_argument("--out", default="Benchmarks/results/events_vs_baselines.json")
    parser.add_argument("--paired", default="runs/churn-paired",
                        help="scripts/bench/churn_paired.sh's directory (skipped when it has no paired-*.json)")
    args = parser.parse_args()
    models = fledge_runs(args.work)
    models.update(baseline_runs(args.work))
    result = {"description": "Fledge event models vs LightGBM on RFM features and most-popular items, same temporal splits "
                             "(scripts/bench/events_results.sh, docs/events-results.md)",
              "top_k": TOP_K, "task_metrics": {t: TASK_METRICS[t] for t in TASK_ORDER},
              "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
              "models": {model: {dataset: {task: {"seeds": {str(s): v for s, v in runs.items()}, "aggregate": aggregate(runs)}
                                           for task, runs in tasks.items()}
                                 for dataset, tasks in datasets.items()}
                         for model, datasets in models.items()}}
    paired = paired_comparisons(args.paired)
    if paired:
        result["paired_comparison"] = {
            "description": "shop churn, Fledge (events-shop-churn.yaml, seed s) against LightGBM RFM (seed s) on the "
                           "same customers: AUROCs, difference (b - a), paired bootstrap 95% CI (percentile, seeded) "
                           "and DeLong's paired two-sided p, per seed (pairs[i] = seed i) and for the mean over "
                           "the seeds (scripts/bench/churn_paired.sh, scripts/bench/paired_auroc.py)",
            "dataset": "shop", "task": "churn", "splits": paired}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")
    seeds = sorted({s for d in models.get("fledge_mlp", {}).values() for t in d.values() for s in t})
    if 0 in seeds:
        print("Seed 0:\n" + table(models, seed=0))
    if len(seeds) > 1:
        print(f"\nMean ± standard deviation over seeds {seeds}:\n" + table(models))
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
