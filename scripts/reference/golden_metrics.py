"""Golden values for FledgeMetrics from scikit-learn.

Each case holds seeded scores and targets for one task and, as outputs, every metric the Swift
factory builds for that task, computed by scikit-learn on exactly the float32 values the Swift
tests feed (rounded to float32 first, then computed in float64). Attributes: task, class_count.
Output keys are MetricFactory names. The data is chosen to hit the edge cases: tied scores
(scores on a 0.05 grid, argmax ties, scores of exactly 0.5), a class never predicted, a class
absent from truth and predictions, imbalanced classes, probabilities of exactly 0 and 1 (log-loss
clipping) and regression targets with a large mean (R² stability).

Run: /tmp/peers-venv/bin/python scripts/reference/golden_metrics.py
"""
import warnings

import numpy as np
import sklearn
from sklearn import metrics as skm

from golden_common import case, write_fixture

AVERAGED = ["precision", "recall", "f1"]
AVERAGES = ["macro", "micro", "weighted"]
SCORERS = {"precision": skm.precision_score, "recall": skm.recall_score, "f1": skm.f1_score}


def f32(values):
    """The values as the Swift side sees them: float32, then widened to float64."""
    return np.asarray(values, dtype=np.float32).astype(np.float64)


def set_scores(y_true, y_pred, default_average, labels=None):
    """accuracy and precision/recall/F1 for every average name the factory knows."""
    out = {"accuracy": skm.accuracy_score(y_true, y_pred)}
    for metric, scorer in SCORERS.items():
        out[metric] = scorer(y_true, y_pred, average=default_average, zero_division=0)
        for average in AVERAGES:
            out[f"{metric}_{average}"] = scorer(y_true, y_pred, average=average, zero_division=0)
    return out


def per_class_scores(y_true, y_pred, classes):
    """<metric>_class_<i>: scikit-learn's average=None over labels=range(classes)."""
    out = {}
    for metric, scorer in SCORERS.items():
        values = scorer(y_true, y_pred, average=None, labels=list(range(classes)), zero_division=0)
        out.update({f"{metric}_class_{i}": v for i, v in enumerate(values)})
    return out


def binary_case(name, scores, targets, ranking=True):
    scores, targets = f32(scores), np.asarray(targets, dtype=np.int64)
    out = set_scores(targets, (scores > 0.5).astype(np.int64), "binary")
    if ranking:
        out["auroc"] = out["roc_auc"] = skm.roc_auc_score(targets, scores)
        out["average_precision"] = skm.average_precision_score(targets, scores)
    out["log_loss"] = skm.log_loss(targets, scores, labels=[0, 1])
    return case(f"binary/{name}", {"scores": scores, "targets": targets}, out, task="binary", class_count=2)


def multiclass_case(name, scores, targets, ranking=True):
    scores, targets = f32(scores), np.asarray(targets, dtype=np.int64)
    classes = scores.shape[1]
    out = set_scores(targets, scores.argmax(axis=1), "macro")
    out.update(per_class_scores(targets, scores.argmax(axis=1), classes))
    if ranking:
        out["auroc"] = out["roc_auc"] = skm.roc_auc_score(targets, scores, multi_class="ovr", average="macro")
        out["average_precision"] = skm.average_precision_score(targets, scores, average="macro")
    out["log_loss"] = skm.log_loss(targets, scores, labels=list(range(classes)))
    return case(f"multiclass/{name}", {"scores": scores, "targets": targets}, out,
                task="multiclass", class_count=classes)


def multilabel_case(name, scores, targets):
    scores, targets = f32(scores), np.asarray(targets, dtype=np.int64)
    out = set_scores(targets, (scores > 0.5).astype(np.int64), "macro")
    out.update(per_class_scores(targets, (scores > 0.5).astype(np.int64), targets.shape[1]))
    out["auroc"] = out["roc_auc"] = skm.roc_auc_score(targets, scores, average="macro")
    out["average_precision"] = skm.average_precision_score(targets, scores, average="macro")
    # scikit-learn's log_loss has no multilabel form; Fledge's is the binary loss averaged over labels.
    out["log_loss"] = np.mean([skm.log_loss(targets[:, j], scores[:, j], labels=[0, 1])
                               for j in range(targets.shape[1])])
    return case(f"multilabel/{name}", {"scores": scores, "targets": targets}, out,
                task="multilabel", class_count=targets.shape[1])


def regression_case(name, predictions, targets):
    predictions, targets = f32(predictions), f32(targets)
    out = {"mse": skm.mean_squared_error(targets, predictions),
           "rmse": skm.root_mean_squared_error(targets, predictions),
           "mae": skm.mean_absolute_error(targets, predictions),
           "r2": skm.r2_score(targets, predictions)}
    return case(f"regression/{name}", {"scores": predictions, "targets": targets}, out,
                task="regression", class_count=1 if predictions.ndim == 1 else predictions.shape[1])


def grid(values, step=0.05):
    """Rounds to a grid so many scores tie exactly."""
    return np.round(np.asarray(values) / step) * step


def dirichlet_grid(rng, rows, alphas, draws=20):
    """Class probabilities k/draws (ties within and across rows; rows sum to 1)."""
    return np.stack([rng.multinomial(draws, rng.dirichlet(alphas)) for _ in range(rows)]) / draws


def main():
    # float32 rounding moves row sums ~1e-8 off 1, past log_loss's sqrt(eps) check; the values are fine.
    warnings.filterwarnings("ignore", message="The y_prob values do not sum to one")
    rng = np.random.default_rng(20261122)
    cases = []

    # Binary: scores that track the label, on a grid (ties, exact 0.5), plus saturated 0 and 1.
    targets = (rng.random(40) < 0.45).astype(np.int64)
    scores = np.clip(grid(0.5 + 0.35 * (targets - 0.5) + rng.normal(0, 0.25, 40)), 0, 1)
    scores[:3] = [0.5, 0.0, 1.0]
    targets[:3] = [1, 1, 0]  # exactly at the threshold, and two confident mistakes (clipping).
    cases.append(binary_case("ties_and_saturation", scores, targets))
    targets = (rng.random(60) < 0.12).astype(np.int64)
    targets[:2] = 1
    scores = np.clip(grid(0.25 + 0.4 * targets + rng.normal(0, 0.2, 60), 0.01), 0.001, 0.999)
    cases.append(binary_case("imbalanced", scores, targets))
    targets = np.array([1, 0, 1, 0, 0, 1, 0, 0])
    cases.append(binary_case("never_predicts_positive", grid(rng.random(8) * 0.45), targets))
    cases.append(binary_case("single_class_truth", [0.2, 0.7, 0.4, 0.9], [0, 0, 0, 0], ranking=False))

    # Multiclass: 4 classes, imbalanced; class 3 is never the argmax; grid probabilities tie.
    targets = rng.choice(4, size=45, p=[0.45, 0.3, 0.15, 0.1])
    counts = np.stack([rng.multinomial(20, rng.dirichlet(np.where(np.arange(4) == t, 4.0, 1.0))) for t in targets])
    for row in counts:  # move draws off class 3 until another class strictly leads
        while row[3] >= row[:3].max():
            row[3] -= 1
            row[row[:3].argmax()] += 1
    scores = counts / 20
    targets[:4] = [0, 1, 2, 3]
    assert 3 not in scores.argmax(axis=1)
    cases.append(multiclass_case("never_predicted_class", scores, targets))
    # Class 2 appears nowhere (sklearn's averages skip it; ranking metrics are undefined there).
    targets = rng.choice([0, 1, 3], size=20)
    scores = dirichlet_grid(rng, 20, [2.0, 2.0, 0.05, 2.0])
    scores[:, 2] = 0
    scores /= scores.sum(axis=1, keepdims=True)
    cases.append(multiclass_case("absent_class", scores, targets, ranking=False))

    # Multilabel: 3 labels; label 2 rare and never predicted; grid scores tie.
    targets = (rng.random((30, 3)) < [0.5, 0.35, 0.12]).astype(np.int64)
    targets[:2, 2] = 1
    scores = np.clip(grid(0.3 + 0.35 * targets + rng.normal(0, 0.2, (30, 3))), 0, 1)
    scores[:, 2] = np.minimum(scores[:, 2], 0.5)
    cases.append(multilabel_case("rare_never_predicted_label", scores, targets))

    # Regression: a large offset (R² needs stable running sums), one and two outputs.
    targets = 1000 + rng.normal(0, 3, 50)
    cases.append(regression_case("large_mean", targets + rng.normal(0, 1, 50), targets))
    targets = rng.normal([0, 50], [1, 10], (25, 2))
    cases.append(regression_case("two_outputs", targets + rng.normal(0, [0.5, 4], (25, 2)), targets))

    for c in cases:
        c["attributes"]["sklearn_version"] = sklearn.__version__
    write_fixture("metrics", "scripts/reference/golden_metrics.py", cases)


if __name__ == "__main__":
    main()
