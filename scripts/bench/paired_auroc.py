"""Paired comparison of two binary classifiers' AUROC on the same entities.

Given two score files for the same samples (one row per entity), prints and optionally writes as JSON:
each model's AUROC, the difference (B − A), a paired bootstrap 95% confidence interval of the
difference (percentile, entities resampled with replacement, the same resample for both models) and
DeLong's paired test (DeLong, DeLong & Clarke-Pearson, Biometrics 44:837–845, 1988): the two-sided
p-value of "equal AUROC" from the structural components' covariance, computed with midranks
(Sun & Xu, IEEE Signal Processing Letters 21:1389–1393, 2014). The bootstrap and DeLong standard
errors of the difference are both reported; they estimate the same quantity and should agree to a
few percent.

The true labels come from file A's label column (--label-column, default `label`); file B only needs
scores, because `fledge predict`'s `label` column is the *predicted* label, not the truth. Both files
must hold exactly the same entity ids (an error lists the mismatch otherwise). The delimiter (comma or
tab) is detected per file. Score columns default to `score`, else `probability` (fledge predict).

Run: /tmp/peers-venv/bin/python scripts/bench/paired_auroc.py \\
        runs/churn-paired/lightgbm/shop-churn-test-s0.csv runs/churn-paired/fledge/test-s0.tsv \\
        --name-a lightgbm --name-b fledge [--resamples 2000 --seed 0 --out result.json]
`paired_auroc.py --self-test` checks the DeLong implementation against the direct definition.
scripts/bench/churn_paired.sh runs the whole shop churn comparison (docs/events-results.md).
"""
import argparse
import csv
import json
import sys

import numpy as np
from scipy import stats
from sklearn.metrics import roc_auc_score


def read_scores(path, id_column, score_column, label_column=None):
    with open(path, newline="") as f:
        first = f.readline()
        f.seek(0)
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        rows = list(csv.DictReader(f, delimiter=delimiter))
    if not rows:
        sys.exit(f"{path}: no rows")
    columns = list(rows[0].keys())
    id_column = id_column or columns[0]
    if score_column is None:
        score_column = next((c for c in ("score", "probability") if c in columns), None)
        if score_column is None:
            sys.exit(f"{path}: no `score` or `probability` column (columns: {', '.join(columns)}); "
                     "name it with --score-column-a/--score-column-b")
    for column in [id_column, score_column] + ([label_column] if label_column else []):
        if column not in columns:
            sys.exit(f"{path}: no column `{column}` (columns: {', '.join(columns)})")
    ids = [row[id_column] for row in rows]
    if len(set(ids)) != len(ids):
        sys.exit(f"{path}: {len(ids) - len(set(ids))} duplicate ids in column `{id_column}`; one row per entity expected")
    scores = np.array([float(row[score_column]) for row in rows])
    labels = None
    if label_column:
        labels = np.array([float(row[label_column]) for row in rows])
        if not set(np.unique(labels)) <= {0.0, 1.0}:
            sys.exit(f"{path}: column `{label_column}` must be 0/1 labels")
    return dict(zip(ids, range(len(ids)))), ids, scores, labels


def delong(labels, scores_a, scores_b):
    """AUROCs of both models and the covariance matrix of the two estimates (DeLong et al. 1988),
    via midranks: V10_i = (rank of positive i among all − its rank among positives) / n_negative,
    V01_j = 1 − (rank of negative j among all − its rank among negatives) / n_positive."""
    positive, negative = labels == 1, labels == 0
    m, n = int(positive.sum()), int(negative.sum())
    v10, v01 = [], []
    for scores in (scores_a, scores_b):
        combined = stats.rankdata(scores)
        v10.append((combined[positive] - stats.rankdata(scores[positive])) / n)
        v01.append(1.0 - (combined[negative] - stats.rankdata(scores[negative])) / m)
    v10, v01 = np.array(v10), np.array(v01)
    auroc = v10.mean(axis=1)
    covariance = np.cov(v10) / m + np.cov(v01) / n
    return auroc, covariance


def fast_auroc(labels, scores):
    """Mann–Whitney AUROC with midranks (ties count one half), as roc_auc_score."""
    positive = labels == 1
    m = positive.sum()
    n = len(labels) - m
    ranks = stats.rankdata(scores)
    return (ranks[positive].sum() - m * (m + 1) / 2) / (m * n)


def compare(labels, scores_a, scores_b, resamples=2000, seed=0, level=0.95):
    auroc, covariance = delong(labels, scores_a, scores_b)
    for value, scores in zip(auroc, (scores_a, scores_b)):  # the midrank formula is sklearn's AUROC
        assert abs(value - roc_auc_score(labels, scores)) < 1e-9
    difference = float(auroc[1] - auroc[0])
    se_delong = float(np.sqrt(covariance[0, 0] + covariance[1, 1] - 2 * covariance[0, 1]))
    z = difference / se_delong if se_delong > 0 else 0.0
    p = float(2 * stats.norm.sf(abs(z)))

    rng = np.random.default_rng(seed)
    differences = []
    while len(differences) < resamples:
        sample = rng.integers(0, len(labels), len(labels))
        y = labels[sample]
        if y.min() == y.max():
            continue  # a resample with one class has no AUROC (never happens at thousands of samples)
        differences.append(fast_auroc(y, scores_b[sample]) - fast_auroc(y, scores_a[sample]))
    differences = np.array(differences)
    tail = (1 - level) / 2
    low, high = np.quantile(differences, [tail, 1 - tail])
    se_bootstrap = float(differences.std(ddof=1))
    critical = stats.norm.ppf(1 - tail)
    return {
        "samples": int(len(labels)), "positives": int(labels.sum()), "negatives": int(len(labels) - labels.sum()),
        "auroc_a": float(auroc[0]), "auroc_b": float(auroc[1]), "difference_b_minus_a": difference,
        "bootstrap": {"resamples": resamples, "seed": seed, "level": level,
                      "ci": [float(low), float(high)], "se": se_bootstrap,
                      "fraction_b_not_above_a": float((differences <= 0).mean())},
        "delong": {"se": se_delong, "z": float(z), "p_two_sided": p,
                   "ci": [difference - critical * se_delong, difference + critical * se_delong],
                   "correlation_a_b": float(covariance[0, 1] / np.sqrt(covariance[0, 0] * covariance[1, 1])),
                   "se_a": float(np.sqrt(covariance[0, 0])), "se_b": float(np.sqrt(covariance[1, 1]))},
        "se_ratio_bootstrap_over_delong": se_bootstrap / se_delong if se_delong > 0 else None,
    }


def self_test():
    """DeLong's covariance from the midranks equals the direct O(m·n) definition of the structural
    components (psi = 1 if a positive scores above a negative, 1/2 on a tie), on tied random scores;
    and the bootstrap SE agrees with DeLong's."""
    rng = np.random.default_rng(1)
    labels = (rng.random(400) < 0.4).astype(float)
    a = np.round(0.8 * labels + rng.normal(size=400), 1)
    b = np.round(labels + 0.3 * a + rng.normal(size=400), 1)
    components = []
    for scores in (a, b):
        pos, neg = scores[labels == 1], scores[labels == 0]
        psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
        components.append((psi.mean(axis=1), psi.mean(axis=0)))
    m, n = int(labels.sum()), int(len(labels) - labels.sum())
    direct = np.cov(np.array([c[0] for c in components])) / m + np.cov(np.array([c[1] for c in components])) / n
    auroc, covariance = delong(labels, a, b)
    assert np.allclose(auroc, [c[0].mean() for c in components], atol=1e-12), auroc
    assert np.allclose(covariance, direct, atol=1e-15), (covariance, direct)
    ratio = compare(labels, a, b, resamples=2000, seed=0)["se_ratio_bootstrap_over_delong"]
    assert 0.9 < ratio < 1.1, ratio
    print(f"self-test passed (DeLong = direct definition; bootstrap/DeLong SE ratio {ratio:.3f})")


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("a", help="scores of model A, with the true labels (CSV/TSV)")
    parser.add_argument("b", help="scores of model B on the same entities (CSV/TSV)")
    parser.add_argument("--name-a", default="A")
    parser.add_argument("--name-b", default="B")
    parser.add_argument("--id-column", help="entity id column in both files (default: each file's first column)")
    parser.add_argument("--score-column-a")
    parser.add_argument("--score-column-b")
    parser.add_argument("--label-column", default="label", help="0/1 truth column of file A (default: label)")
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="also write the result as JSON")
    args = parser.parse_args()
    if args.resamples < 100:
        sys.exit("--resamples: at least 100 (2,000 for a 95% interval)")

    index_a, ids_a, scores_a, labels = read_scores(args.a, args.id_column, args.score_column_a, args.label_column)
    index_b, ids_b, scores_b, _ = read_scores(args.b, args.id_column, args.score_column_b)
    only_a, only_b = set(index_a) - set(index_b), set(index_b) - set(index_a)
    if only_a or only_b:
        sys.exit(f"the files hold different entities: {len(only_a)} only in {args.a} (e.g. {sorted(only_a)[:3]}), "
                 f"{len(only_b)} only in {args.b} (e.g. {sorted(only_b)[:3]}); both must score the same entities")
    scores_b = scores_b[[index_b[entity] for entity in ids_a]]  # B in A's order
    if labels.min() == labels.max():
        sys.exit(f"{args.a}: column `{args.label_column}` has one class only; AUROC is undefined")

    result = {"a": {"name": args.name_a, "file": args.a}, "b": {"name": args.name_b, "file": args.b},
              **compare(labels, scores_a, scores_b, args.resamples, args.seed)}
    boot, dl = result["bootstrap"], result["delong"]
    print(f"{result['samples']} entities ({result['positives']} positive): AUROC {args.name_a} {result['auroc_a']:.4f}, "
          f"{args.name_b} {result['auroc_b']:.4f}; {args.name_b} − {args.name_a} = {result['difference_b_minus_a']:+.4f}")
    print(f"  paired bootstrap ({boot['resamples']} resamples, seed {boot['seed']}): 95% CI "
          f"[{boot['ci'][0]:+.4f}, {boot['ci'][1]:+.4f}], SE {boot['se']:.4f}")
    print(f"  DeLong: SE {dl['se']:.4f}, z {dl['z']:+.2f}, p = {dl['p_two_sided']:.3g}, 95% CI "
          f"[{dl['ci'][0]:+.4f}, {dl['ci'][1]:+.4f}]; SE ratio bootstrap/DeLong "
          f"{result['se_ratio_bootstrap_over_delong']:.3f}")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
