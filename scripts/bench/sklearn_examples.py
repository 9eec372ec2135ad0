#!/usr/bin/env python3
"""Fledge's example MLPs next to scikit-learn's MLPClassifier, on the same data split.

Usage (from the repository root, after `swift build -c release --product fledge`):

    /tmp/peers-venv/bin/python scripts/bench/sklearn_examples.py [--seeds 0] [--folds 5] [--fledge .build/release/fledge]

For each classification example (breast cancer: binary.yaml, digits: multiclass.yaml), seed and
fold of a stratified 5-fold cross-validation, the held-out fold is the test set and the other four
are split 85/15 (stratified) into training and validation rows (Fledge's early stopping and best
model use the validation rows). The script writes the three parts as CSV files, and then
  - trains Fledge with the example config, pointed at those files through `--set`
    (`fledge train`, then `fledge evaluate` on the validation and test files);
  - trains scikit-learn's StandardScaler + MLPClassifier with the same hidden layers on the
    training part (its own defaults otherwise: Adam, lr 1e-3, L2 alpha 1e-4, up to 500 epochs).
It prints one JSON line per (dataset, seed, fold, library) and a Markdown table of the means over
all folds, which is what the README's training section quotes. (A single 70/15/15 split has only
~85 breast-cancer test rows, so one row moves accuracy by 1.2 points; cross-validation averages that out.)
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import pandas as pd
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

EXAMPLES = [
    # (name, csv, config, hidden layers as in the config)
    ("breast_cancer", "Examples/Data/breast_cancer.csv", "Examples/configs/binary.yaml", (64, 32)),
    ("digits", "Examples/Data/digits.csv", "Examples/configs/multiclass.yaml", (128, 64)),
]


def splits(frame, seed, folds):
    """Yields (fold, train, validation, test): each stratified fold as test, 15% of the rest as validation."""
    outer = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for fold, (rest_rows, test_rows) in enumerate(outer.split(frame, frame["target"])):
        rest, test = frame.iloc[rest_rows], frame.iloc[test_rows]
        train, validation = train_test_split(rest, test_size=0.15, stratify=rest["target"], random_state=seed)
        yield fold, train, validation, test


def run_fledge(binary, config, paths, run_root, run_id, seed, extra):
    """Train with the example config on the given files; return validation and test accuracy."""
    overrides = {
        "data.train_path": paths["train"],
        "data.validation_path": paths["validation"],
        "data.test_path": paths["test"],
        "experiment.experiment_dir": run_root,
        "experiment.run_id": run_id,
        "experiment.seed": str(seed),
    }
    command = [binary, "train", config, "--quiet"]
    for key, value in overrides.items():
        command += ["--set", f"{key}={value}"]
    for override in extra:
        command += ["--set", override]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    run_dir = os.path.join(run_root, run_id)
    scores = {}
    for part in ("validation", "test"):
        out = os.path.join(run_root, f"{run_id}-{part}.json")
        subprocess.run([binary, "evaluate", run_dir, "--data", paths[part], "--out", out],
                       check=True, stdout=subprocess.DEVNULL)
        with open(out) as handle:
            scores[part] = json.load(handle)["accuracy"]
    return scores


def run_sklearn(train, validation, test, layers, seed):
    features = [c for c in train.columns if c != "target"]
    model = make_pipeline(
        StandardScaler(),
        MLPClassifier(hidden_layer_sizes=layers, max_iter=500, random_state=seed),
    )
    model.fit(train[features], train["target"])
    return {
        "validation": float(model.score(validation[features], validation["target"])),
        "test": float(model.score(test[features], test["target"])),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--fledge", default=".build/release/fledge")
    parser.add_argument("--only", choices=[name for name, *_ in EXAMPLES], help="run one dataset only")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        help="extra key=value passed to fledge train (repeatable), to try other settings")
    args = parser.parse_args()
    if not os.path.exists(args.fledge):
        sys.exit(f"error: {args.fledge} not found; run `swift build -c release --product fledge` first")

    means = []
    with tempfile.TemporaryDirectory(prefix="fledge-sklearn-") as workdir:
        for name, csv_path, config, layers in EXAMPLES:
            if args.only and name != args.only:
                continue
            frame = pd.read_csv(csv_path)
            totals = {"fledge": {"validation": 0.0, "test": 0.0}, "sklearn": {"validation": 0.0, "test": 0.0}}
            runs = 0
            for seed in args.seeds:
                for fold, train, validation, test in splits(frame, seed, args.folds):
                    runs += 1
                    paths = {}
                    for part, rows in (("train", train), ("validation", validation), ("test", test)):
                        paths[part] = os.path.join(workdir, f"{name}-{seed}-{fold}-{part}.csv")
                        rows.to_csv(paths[part], index=False)
                    results = {
                        "fledge": run_fledge(args.fledge, config, paths, workdir, f"{name}-{seed}-{fold}", seed,
                                             args.overrides),
                        "sklearn": run_sklearn(train, validation, test, layers, seed),
                    }
                    for library, scores in results.items():
                        print(json.dumps({"dataset": name, "seed": seed, "fold": fold, "library": library, **scores}),
                              flush=True)
                        for part in ("validation", "test"):
                            totals[library][part] += scores[part]
            for library in totals.values():
                for part in library:
                    library[part] /= runs
            means.append((name, totals))

    print()
    print("| dataset | Fledge val / test accuracy | scikit-learn MLPClassifier val / test | folds × seeds |")
    print("|---|---|---|---|")
    for name, totals in means:
        fledge, sklearn = totals["fledge"], totals["sklearn"]
        print(f"| {name} | {fledge['validation']:.3f} / {fledge['test']:.3f} "
              f"| {sklearn['validation']:.3f} / {sklearn['test']:.3f} | {args.folds} × {len(args.seeds)} |")


if __name__ == "__main__":
    main()
