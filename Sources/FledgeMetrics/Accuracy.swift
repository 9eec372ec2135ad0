import FledgeTensor

/// The fraction of samples predicted exactly right (scikit-learn's `accuracy_score`).
///
/// binary: probability > 0.5 predicts 1; multiclass: the row's argmax; multilabel: subset
/// accuracy, a row counts only when every label is right (`accuracy_score` on indicator matrices).
public final class Accuracy: Metric {
    public let name: String
    public var higherIsBetter: Bool { true }
    private var counts: ConfusionCounts

    /// An accuracy metric for `task` with `classCount` classes (multiclass) or labels (multilabel); ignored for binary.
    public init(task: MetricTask, classCount: Int = 2, name: String = "accuracy") {
        self.name = name
        counts = ConfusionCounts(task: task, classCount: classCount)
    }

    public func update(scores: Tensor, targets: Tensor) { counts.add(scores: scores, targets: targets, metric: name) }

    /// NaN before any sample.
    public func compute() -> Double {
        counts.samples == 0 ? .nan : Double(counts.exactMatches) / Double(counts.samples)
    }

    public func reset() { counts.reset() }
}
