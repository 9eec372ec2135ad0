"""Paired comparison of two binary classifiers' AUROC on the same entities.

Given two score files for the same samples (one row per entity), or several pairs of them (e.g. one
pair per training seed, all on the same entities), prints and optionally writes as JSON:
each model's AUROC, the difference (B − A), a paired bootstrap 95% confidence interval of the
difference (percentile, entities resampled with replacement, the same resample for both models) and
DeLong's paired test (DeLong, DeLong & Clarke-Pearson, Biometrics 44:837–845, 1988): the two-sided
p-value of "equal AUROC" from the structural components' covariance, computed with midranks
(Sun & Xu, IEEE Signal Processing Letters 21:1389–1393, 2014). The bootstrap and DeLong standard
errors of the difference are both reported; they estimate the same quantity and should agree to a
few percent. With several pairs it also reports the mean over the pairs of the difference, tested
the same way (DeLong's covariance of all the estimates, one bootstrap resample for all vectors), which
accounts for the pairs sharing their test entities.

The true labels come from file A's label column (--label-column, default `label`); file B only needs
scores, because `fledge predict`'s `label` column is the *predicted* label, not the truth. Both files
must hold exactly the same entity ids (an error lists the mismatch otherwise). The delimiter (comma or
tab) is detected per file. Score columns default to `score`, else `probability` (fledge predict).

Run: /tmp/peers-venv/bin/python scripts/bench/paired_auroc.py \\
        runs/churn-paired/lightgbm/shop-churn-test-s0.csv runs/churn-paired/fledge/test-s0.tsv \\
        [runs/churn-paired/lightgbm/shop-churn-test-s1.csv runs/churn-paired/fledge/test-s1.tsv ...] \\
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


def delong(labels, *score_vectors):
    """AUROCs of k models and the k × k covariance matrix of the estimates (DeLong et al. 1988), via
    midranks: V10_i = (rank of positive i among all − its rank among positives) / n_negative,
    V01_j = 1 − (rank of negative j among all − its rank among negatives) / n_positive."""
    positive, negative = labels == 1, labels == 0
    m, n = int(positive.sum()), int(negative.sum())
    v10, v01 = [], []
    for scores in score_vectors:
        combined = stats.rankdata(scores)
        v10.append((combined[positive] - stats.rankdata(scores[positive])) / n)
        v01.append(1.0 - (combined[negative] - stats.rankdata(scores[negative])) / m)
    v10, v01 = np.array(v10), np.array(v01)
    auroc = v10.mean(axis=1)
    covariance = np.atleast_2d(np.cov(v10) / m + np.cov(v01) / n)
    return auroc, covariance


def fast_auroc(labels, scores):
    """Mann–Whitney AUROC with midranks (ties count one half), as roc_auc_score."""
    positive = labels == 1
    m = positive.sum()
    n = len(labels) - m
    ranks = stats.rankdata(scores)
    return (ranks[positive].sum() - m * (m + 1) / 2) / (m * n)


def compare(labels, scores_a, scores_b, resamples=2000, seed=0, level=0.95):
    """Pairs (scores_a[i], scores_b[i]) of score vectors for the same samples (e.g. one pair per
    training seed): per pair and, with more than one pair, for the mean over the pairs, the AUROCs,
    the difference B − A, its paired bootstrap CI (every vector resampled with the same entities)
    and DeLong's test of the contrast (the covariance of all 2k estimates, so the mean accounts for
    the pairs sharing their test entities)."""
    vectors = [v for pair in zip(scores_a, scores_b) for v in pair]  # a0, b0, a1, b1, ...
    k = len(scores_a)
    auroc, covariance = delong(labels, *vectors)
    for value, scores in zip(auroc, vectors):  # the midrank formula is sklearn's AUROC
        assert abs(value - roc_auc_score(labels, scores)) < 1e-9
    rng = np.random.default_rng(seed)
    boot = []
    while len(boot) < resamples:
        sample = rng.integers(0, len(labels), len(labels))
        y = labels[sample]
        if y.min() == y.max():
            continue  # a resample with one class has no AUROC (never happens at thousands of samples)
        boot.append([fast_auroc(y, v[sample]) for v in vectors])
    boot = np.array(boot)
    tail = (1 - level) / 2
    critical = stats.norm.ppf(1 - tail)

    def contrast(weights_a, weights_b):
        weights = np.ravel(np.column_stack([-np.asarray(weights_a), np.asarray(weights_b)]))
        difference = float(weights @ auroc)
        se_delong = float(np.sqrt(max(weights @ covariance @ weights, 0.0)))
        z = difference / se_delong if se_delong > 0 else 0.0
        differences = boot @ weights
        low, high = np.quantile(differences, [tail, 1 - tail])
        se_bootstrap = float(differences.std(ddof=1))
        return {"auroc_a": float(np.dot(weights_a, auroc[0::2])), "auroc_b": float(np.dot(weights_b, auroc[1::2])),
                "difference_b_minus_a": difference,
                "bootstrap": {"ci": [float(low), float(high)], "se": se_bootstrap,
                              "fraction_b_not_above_a": float((differences <= 0).mean())},
                "delong": {"se": se_delong, "z": float(z), "p_two_sided": float(2 * stats.norm.sf(abs(z))),
                           "ci": [difference - critical * se_delong, difference + critical * se_delong]},
                "se_ratio_bootstrap_over_delong": se_bootstrap / se_delong if se_delong > 0 else None}

    pairs = []
    for i in range(k):
        one = np.eye(k)[i]
        result = contrast(one, one)
        result["delong"]["correlation_a_b"] = float(covariance[2 * i, 2 * i + 1] /
                                                    np.sqrt(covariance[2 * i, 2 * i] * covariance[2 * i + 1, 2 * i + 1]))
        pairs.append(result)
    out = {"samples": int(len(labels)), "positives": int(labels.sum()), "negatives": int(len(labels) - labels.sum()),
           "bootstrap": {"resamples": resamples, "seed": seed, "level": level, "method": "percentile, paired"},
           "pairs": pairs}
    if k > 1:
        out["mean_over_pairs"] = contrast(np.full(k, 1 / k), np.full(k, 1 / k))
    return out


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
    c = np.round(labels + 0.2 * a + rng.normal(size=400), 1)
    result = compare(labels, [a, a], [b, c], resamples=2000, seed=0)
    for pair in result["pairs"] + [result["mean_over_pairs"]]:
        assert 0.9 < pair["se_ratio_bootstrap_over_delong"] < 1.1, pair
    single = compare(labels, [a], [b], resamples=100, seed=0)["pairs"][0]
    assert abs(single["delong"]["se"] - result["pairs"][0]["delong"]["se"]) < 1e-15
    ratios = ", ".join(f"{p['se_ratio_bootstrap_over_delong']:.3f}" for p in result["pairs"] + [result["mean_over_pairs"]])
    print(f"self-test passed (DeLong = direct definition; bootstrap/DeLong SE ratios {ratios})")


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", metavar="A B",
                        help="pairs of score files, A then B (A with the true labels; e.g. one pair per seed); "
                             "with more than one pair also the mean difference over the pairs")
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

    if len(args.files) % 2:
        sys.exit(f"{len(args.files)} files given: pairs of files expected (A B [A B ...])")
    def same_entities(path, index, reference_path, order):
        missing, extra = set(order) - set(index), set(index) - set(order)
        if missing or extra:
            sys.exit(f"{path} and {reference_path} hold different entities: {len(missing)} missing from {path} "
                     f"(e.g. {sorted(missing)[:3]}), {len(extra)} only in {path} (e.g. {sorted(extra)[:3]}); "
                     "every file must score the same entities")
        return [index[entity] for entity in order]

    scores_a, scores_b, reference = [], [], None
    for file_a, file_b in zip(args.files[0::2], args.files[1::2]):
        index_a, ids_a, a, labels = read_scores(file_a, args.id_column, args.score_column_a, args.label_column)
        index_b, _, b, _ = read_scores(file_b, args.id_column, args.score_column_b)
        if reference is None:
            reference = (file_a, ids_a, labels)  # every vector in the first file's order
        positions = same_entities(file_a, index_a, reference[0], reference[1])
        if not np.array_equal(labels[positions], reference[2]):
            sys.exit(f"{file_a}: column `{args.label_column}` differs from {reference[0]}'s labels for the same entities")
        scores_a.append(a[positions])
        scores_b.append(b[same_entities(file_b, index_b, reference[0], reference[1])])
    labels = reference[2]
    if labels.min() == labels.max():
        sys.exit(f"{reference[0]}: column `{args.label_column}` has one class only; AUROC is undefined")

    result = {"a": args.name_a, "b": args.name_b, "files": [list(p) for p in zip(args.files[0::2], args.files[1::2])],
              **compare(labels, scores_a, scores_b, args.resamples, args.seed)}
    print(f"{result['samples']} entities ({result['positives']} positive); paired bootstrap "
          f"{args.resamples} resamples, seed {args.seed}")
    rows = [(f"pair {i}", pair) for i, pair in enumerate(result["pairs"])]
    if "mean_over_pairs" in result:
        rows.append(("mean", result["mean_over_pairs"]))
    for label, r in rows:
        boot, dl = r["bootstrap"], r["delong"]
        print(f"{label}: AUROC {args.name_a} {r['auroc_a']:.4f}, {args.name_b} {r['auroc_b']:.4f}, "
              f"{args.name_b} − {args.name_a} {r['difference_b_minus_a']:+.4f}; bootstrap 95% CI "
              f"[{boot['ci'][0]:+.4f}, {boot['ci'][1]:+.4f}] SE {boot['se']:.4f}; DeLong SE {dl['se']:.4f} "
              f"z {dl['z']:+.2f} p {dl['p_two_sided']:.3g}; SE ratio {r['se_ratio_bootstrap_over_delong']:.3f}")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
