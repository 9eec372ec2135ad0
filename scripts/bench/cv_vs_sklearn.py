#!/usr/bin/env python3
"""`fledge cv` next to scikit-learn's cross-validation of the same MLP shape.

Usage (from the repository root, after `swift build -c release --product fledge`):

    /tmp/peers-venv/bin/python scripts/bench/cv_vs_sklearn.py [--seeds 0 1] [--folds 5] [--fledge .build/release/fledge]

For each classification example (breast cancer: binary.yaml, hidden (64, 32); digits:
multiclass.yaml, hidden (128, 64)) and seed:
  - Fledge: `fledge cv <config> --folds 5 --stratified --set experiment.seed=<seed>`; each fold's
    training rows are split 85/15 (stratified) into training and validation rows (early stopping and
    the best model), the preprocessing is fitted on the training rows, the held-out fold is scored.
  - scikit-learn: StratifiedKFold(5, shuffle=True, random_state=seed); in each fold the same 85/15
    stratified split of the other folds (train_test_split), StandardScaler + MLPClassifier with the
    same hidden layers fitted on the 85% (its defaults otherwise: Adam, lr 1e-3, L2 1e-4, up to 500
    epochs), scored on the held-out fold.
The fold sizes and per-class fold counts are identical by construction (see docs/experiments.md);
the rows differ because the two use different random generators. Prints one JSON line per
(dataset, seed, library) and a Markdown table of mean ± std over all folds and seeds.
"""

import argparse
import json
import os
import subprocess
import tempfile
import warnings

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

EXAMPLES = [
    ("breast_cancer", "Examples/Data/breast_cancer.csv", "Examples/configs/binary.yaml", (64, 32)),
    ("digits", "Examples/Data/digits.csv", "Examples/configs/multiclass.yaml", (128, 64)),
]


def fledge_cv(binary, config, seed, folds, root):
    run_id = f"cv-{os.path.basename(config).split('.')[0]}-{seed}"
    command = [binary, "cv", config, "--folds", str(folds), "--stratified", "--quiet",
               "--set", f"experiment.seed={seed}", "--set", f"experiment.experiment_dir={root}",
               "--set", f"experiment.run_id={run_id}"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(root, run_id, "cv_report.json")) as f:
        report = json.load(f)
    return [fold["metrics"]["accuracy"] for fold in report["per_fold"]]


def sklearn_cv(csv, hidden, seed, folds):
    frame = pd.read_csv(csv)
    x, y = frame.drop(columns=["target"]).to_numpy(), frame["target"].to_numpy()
    scores = []
    for rest, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y):
        train, _ = train_test_split(rest, test_size=0.15, stratify=y[rest], random_state=seed)
        model = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=hidden, max_iter=500, random_state=seed))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(x[train], y[train])
        scores.append(float((model.predict(x[test]) == y[test]).mean()))
    return scores


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--fledge", default=".build/release/fledge")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as root:
        for name, csv, config, hidden in EXAMPLES:
            all_scores = {"fledge": [], "sklearn": []}
            for seed in args.seeds:
                for library, scores in [("fledge", fledge_cv(args.fledge, config, seed, args.folds, root)),
                                        ("sklearn", sklearn_cv(csv, hidden, seed, args.folds))]:
                    all_scores[library] += scores
                    print(json.dumps({"dataset": name, "seed": seed, "library": library, "folds": args.folds,
                                      "accuracy_per_fold": scores, "accuracy_mean": float(np.mean(scores))}))
            rows.append((name, all_scores))
    print(f"\n| dataset | `fledge cv` accuracy | scikit-learn accuracy | fits |\n|---|---|---|---|")
    for name, scores in rows:
        f, s = np.array(scores["fledge"]), np.array(scores["sklearn"])
        print(f"| {name} | {f.mean():.3f} ± {f.std():.3f} | {s.mean():.3f} ± {s.std():.3f} | {len(f)} |")


if __name__ == "__main__":
    main()
