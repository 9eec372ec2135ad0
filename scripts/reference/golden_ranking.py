"""Golden values for FledgeMetrics' ranking-at-K metrics (TopKMetric), checked against scikit-learn.

Definitions (per row; rows without any relevant item are skipped; the metric is the mean over rows):
items ranked by score descending, equal scores by lower item index (a stable sort);
R = items with target > 0, hits(K) = |top K ∩ R|, rel(k) = 1 if the item at rank k is relevant.
  precision@K = hits(K) / min(K, items)          recall@K = hits(K) / |R|
  hit_rate@K  = [hits(K) > 0]                     mrr = 1 / rank of the first relevant item (mrr@K: 0 beyond K)
  map@K       = sum_{k<=K} precision@k * rel(k) / min(K, |R|)
  ndcg@K      = DCG@K / IDCG@K, gain = target value, discount log2(rank + 1)

Where scikit-learn has the same quantity, the fixture stores scikit-learn's value (and this
script asserts that the plain reference implementation below agrees):
  ndcg@K                       = sklearn.metrics.ndcg_score(k=K) (no ties; rows with a relevant item;
                                 graded gains too)
  hit_rate@K, recall@K (|R|=1) = sklearn.metrics.top_k_accuracy_score(k=K)
  mrr (|R|=1)                  = sklearn.metrics.label_ranking_average_precision_score
  map@items (K >= items)       = sklearn.metrics.label_ranking_average_precision_score (uncut AP)
Everything else comes from the reference implementation (`reference_metric`), which
scripts/peers/events_baselines.py also uses so baselines and Fledge share one definition.

Run: /tmp/peers-venv/bin/python scripts/reference/golden_ranking.py
"""
import numpy as np
import sklearn
from sklearn import metrics as skm

from golden_common import case, write_fixture

KINDS = ["precision", "recall", "hit_rate", "map", "ndcg", "mrr"]


def ranking(scores):
    """Item indices best first: score descending, lower index first on ties."""
    return np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")


def row_metric(kind, k, scores, targets):
    """One row's metric (None when the row has no relevant item). k=None means the full ranking."""
    targets = np.asarray(targets, dtype=np.float64)
    relevant = targets > 0
    if not relevant.any():
        return None
    order = ranking(scores)
    cutoff = len(order) if k is None else min(k, len(order))
    top = order[:cutoff]
    hits = relevant[top]
    if kind == "precision":
        return hits.sum() / cutoff
    if kind == "recall":
        return hits.sum() / relevant.sum()
    if kind == "hit_rate":
        return float(hits.any())
    if kind == "map":
        precision_at = np.cumsum(hits) / np.arange(1, cutoff + 1)
        return (precision_at * hits).sum() / min(cutoff, relevant.sum())
    if kind == "mrr":
        first = np.flatnonzero(relevant[order])[0] + 1
        return 1.0 / first if first <= cutoff else 0.0
    if kind == "ndcg":
        discounts = 1.0 / np.log2(np.arange(2, cutoff + 2))
        dcg = (targets[top] * discounts).sum()
        idcg = (np.sort(targets)[::-1][:cutoff] * discounts).sum()
        return dcg / idcg
    raise ValueError(kind)


def reference_metric(kind, k, scores, targets):
    """Mean of `row_metric` over rows with a relevant item (NaN if none)."""
    values = [row_metric(kind, k, s, t) for s, t in zip(scores, targets)]
    values = [v for v in values if v is not None]
    return float(np.mean(values)) if values else float("nan")


def metric_name(kind, k):
    return kind if k is None else f"{kind}@{k}"


def all_reference(scores, targets, ks):
    out = {metric_name(kind, k): reference_metric(kind, k, scores, targets) for kind in KINDS for k in ks}
    out["mrr"] = reference_metric("mrr", None, scores, targets)
    return out


def close(a, b):
    assert abs(a - b) <= 1e-9 * max(1.0, abs(b)), (a, b)


def f32(values):
    return np.asarray(values, dtype=np.float32).astype(np.float64)


def correlated_scores(rng, targets, signal=1.0):
    """Continuous float32 scores that favour relevant items (ties have probability ~0; asserted)."""
    scores = f32(signal * (targets > 0) + rng.normal(0, 1, targets.shape))
    assert all(len(np.unique(row)) == len(row) for row in scores)
    return scores


def main():
    rng = np.random.default_rng(20261122)
    cases = []

    # Multi-hot: 1 to 6 relevant items of 25; K below, at and above |R| and the full catalogue.
    rows, items, ks = 30, 25, [1, 3, 5, 10, 25, 40]
    targets = np.zeros((rows, items))
    for row in targets:
        row[rng.choice(items, size=rng.integers(1, 7), replace=False)] = 1
    scores = correlated_scores(rng, targets)
    out = all_reference(scores, targets, ks)
    for k in ks:
        close(out[f"ndcg@{k}"], skm.ndcg_score(targets, scores, k=k))
        out[f"ndcg@{k}"] = skm.ndcg_score(targets, scores, k=k)
    for k in [25, 40]:  # K >= items: uncut average precision
        close(out[f"map@{k}"], skm.label_ranking_average_precision_score(targets, scores))
        out[f"map@{k}"] = skm.label_ranking_average_precision_score(targets, scores)
    inputs = {"scores": scores, "targets": targets}
    cases.append(case("recommendation/multi_hot", inputs, out, task="recommendation", class_count=items))
    # The same data as a multilabel task (propensity ranked over categories); the factory's K = 10 names.
    cases.append(case("multilabel/multi_hot", inputs, {n: v for n, v in out.items() if n.endswith("@10") or n == "mrr"},
                      task="multilabel", class_count=items))

    # One relevant item per row (next purchase): hit rate = recall = top-k accuracy, MRR = LRAP.
    rows, items, ks = 40, 12, [1, 2, 5, 10]
    labels = rng.integers(0, items, rows)
    labels[:items] = np.arange(items)  # every item is some row's answer (top_k_accuracy_score needs all labels)
    targets = np.eye(items)[labels]
    scores = correlated_scores(rng, targets, signal=0.8)
    out = all_reference(scores, targets, ks)
    for k in ks:
        accuracy = skm.top_k_accuracy_score(labels, scores, k=k, labels=np.arange(items))
        close(out[f"hit_rate@{k}"], accuracy)
        close(out[f"recall@{k}"], accuracy)
        out[f"hit_rate@{k}"] = out[f"recall@{k}"] = accuracy
        close(out[f"ndcg@{k}"], skm.ndcg_score(targets, scores, k=k))
        out[f"ndcg@{k}"] = skm.ndcg_score(targets, scores, k=k)
    close(out["mrr"], skm.label_ranking_average_precision_score(targets, scores))
    out["mrr"] = skm.label_ranking_average_precision_score(targets, scores)
    cases.append(case("recommendation/single_relevant", {"scores": scores, "targets": targets}, out,
                      task="recommendation", class_count=items))

    # Graded gains (e.g. purchase counts 1-3): NDCG with linear gains as scikit-learn.
    rows, items = 20, 15
    targets = np.where(rng.random((rows, items)) < 0.3, rng.integers(1, 4, (rows, items)), 0).astype(np.float64)
    targets[:, 0] = np.maximum(targets[:, 0], 1)  # every row has a relevant item
    scores = correlated_scores(rng, targets, signal=0.6)
    out = {}
    for k in [1, 3, 5, 15]:
        out[f"ndcg@{k}"] = skm.ndcg_score(targets, scores, k=k)
        close(out[f"ndcg@{k}"], reference_metric("ndcg", k, scores, targets))
    cases.append(case("recommendation/graded", {"scores": scores, "targets": targets}, out,
                      task="recommendation", class_count=items))

    # Rows without relevant items are skipped: scikit-learn's ndcg_score counts them as 0, so
    # Fledge's value is scikit-learn's times rows / rows with a relevant item.
    rows, items = 24, 10
    targets = (rng.random((rows, items)) < 0.15).astype(np.float64)
    targets[:6] = 0
    targets[6:, 3] = 1
    scores = correlated_scores(rng, targets)
    evaluated = int((targets.sum(axis=1) > 0).sum())
    out = all_reference(scores, targets, [3, 10])
    for k in [3, 10]:
        close(out[f"ndcg@{k}"], skm.ndcg_score(targets, scores, k=k) * rows / evaluated)
        out[f"ndcg@{k}"] = skm.ndcg_score(targets, scores, k=k) * rows / evaluated
    cases.append(case("recommendation/rows_without_relevant", {"scores": scores, "targets": targets}, out,
                      task="recommendation", class_count=items, evaluated_rows=evaluated))

    for c in cases:
        c["attributes"]["sklearn_version"] = sklearn.__version__
    write_fixture("ranking", "scripts/reference/golden_ranking.py", cases)


if __name__ == "__main__":
    main()
