import FledgeTensor

/// Precision, recall or F1 of one class (multiclass) or one label (multilabel), for reporting
/// per-class values next to the averages, e.g. `recall_class_2`.
///
/// Same counts and conventions as `ClassificationScore` (scikit-learn's `average=None`,
/// `zero_division=0`): a class that is never true scores recall 0, never predicted precision 0.
public final class ClassScore: Metric {
    public let name: String
    public var higherIsBetter: Bool { true }
    /// The ratio computed.
    public let kind: ClassificationScore.Kind
    /// The class index (multiclass) or label column (multilabel) scored.
    public let classIndex: Int
    private var counts: ConfusionCounts

    /// The `kind` score of class `classIndex` of a `task` with `classCount` classes, named
    /// `<kind>_class_<index>` unless `name` is given.
    public init(_ kind: ClassificationScore.Kind, classIndex: Int, task: MetricTask, classCount: Int, name: String? = nil) {
        precondition(task == .multiclass || task == .multilabel, "ClassScore: per-class scores are for multiclass or multilabel tasks, not \(task)")
        precondition(classIndex >= 0 && classIndex < classCount, "ClassScore: class \(classIndex) is not in 0..<\(classCount)")
        self.kind = kind
        self.classIndex = classIndex
        self.name = name ?? "\(kind.rawValue)_class_\(classIndex)"
        counts = ConfusionCounts(task: task, classCount: classCount)
    }

    public func update(scores: Tensor, targets: Tensor) { counts.add(scores: scores, targets: targets, metric: name) }

    /// NaN before any sample.
    public func compute() -> Double {
        guard counts.samples > 0 else { return .nan }
        return kind.ratio(truePositives: counts.truePositives[classIndex], predicted: counts.predicted[classIndex],
                          actual: counts.actual[classIndex])
    }

    public func reset() { counts.reset() }
}
