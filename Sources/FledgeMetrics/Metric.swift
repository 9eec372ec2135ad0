import FledgeTensor

/// A streaming evaluation metric: fed batch by batch, read once at the end.
///
/// Metrics are small stateful objects (as in burn's `train/metric`): `update` folds one batch into
/// running state (confusion counts, Double sums; only ranking metrics keep score/label pairs),
/// `compute` reads the value for everything seen since the last `reset`, and splitting the same
/// data into different batches never changes the result beyond Double rounding.
///
/// Inputs, per task (see `MetricTask`):
/// - binary: scores are positive-class probabilities `[N]` or `[N, 1]`; targets 0/1 `[N]` or `[N, 1]`.
/// - multiclass: scores are class probabilities `[N, C]`; targets are class indices as floats `[N]` or `[N, 1]`.
/// - multilabel: scores are per-label probabilities `[N, L]`; targets 0/1 `[N, L]`.
/// - regression: scores are predictions `[N]`, `[N, 1]` or `[N, K]`; targets the same shape (or `[N]` for `[N, 1]`).
/// - recommendation: scores over all items `[N, items]`; targets multi-hot (or graded) `[N, items]`.
/// A shape that does not fit traps with a message naming the metric and both shapes (a programming error).
public protocol Metric: AnyObject {
    /// The name the metric is logged and monitored under, e.g. `"f1_macro"`.
    var name: String { get }
    /// Whether larger values are better (accuracy) or worse (losses and errors); sets early stopping's mode.
    var higherIsBetter: Bool { get }
    /// Folds one batch of scores and targets into the running state.
    func update(scores: Tensor, targets: Tensor)
    /// The metric over every batch since the last `reset` (NaN when it is undefined, e.g. no samples yet).
    func compute() -> Double
    /// Forgets everything seen, ready for the next epoch or split.
    func reset()
}

extension Metric {
    /// Folds one batch whose targets are class indices (multiclass), as the data layer delivers them.
    public func update(scores: Tensor, classTargets: IndexTensor) {
        update(scores: scores, targets: Tensor(shape: classTargets.shape, values: classTargets.indices.map(Float.init)))
    }
}

/// The kind of prediction task a metric evaluates.
///
/// FledgeMetrics depends on FledgeTensor only, so it names the task itself; the trainer maps the
/// data layer's `TargetKind` onto this one case for case.
public enum MetricTask: String, Sendable, CaseIterable, Codable {
    /// One probability per sample for the positive class (label 1).
    case binary
    /// One probability per class per sample; exactly one true class.
    case multiclass
    /// One independent probability per label per sample; any number of true labels.
    case multilabel
    /// Real-valued predictions.
    case regression
    /// One score per item per sample, judged by its top K (`TopKMetric`); targets mark the relevant
    /// items (multi-hot `[N, items]`, or graded gains).
    case recommendation
}

/// How per-class scores (precision, recall, F1) are combined, as scikit-learn's `average=`.
public enum MetricAverage: String, Sendable, CaseIterable, Codable {
    /// The positive class (label 1) only; binary tasks only.
    case binary
    /// The unweighted mean over classes.
    case macro
    /// Pool true/false positives and negatives over classes first, then divide once.
    case micro
    /// The mean over classes weighted by each class's true count (support).
    case weighted
}
