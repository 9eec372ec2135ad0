import FledgeTensor

/// Precision, recall or F1 from streaming confusion counts, as scikit-learn's
/// `precision_recall_fscore_support` with `zero_division=0`.
///
/// Per class: precision = tp / predicted, recall = tp / actual, F1 = 2·tp / (actual + predicted);
/// a zero denominator gives 0. Averages follow `MetricAverage`; single-label tasks average over
/// the classes that occur in the truth or the predictions (scikit-learn's `labels=None`).
public final class ClassificationScore: Metric {
    /// Which ratio of the confusion counts.
    public enum Kind: String, Sendable, CaseIterable {
        case precision, recall, f1

        /// precision = tp / predicted, recall = tp / actual, F1 = 2·tp / (actual + predicted); 0 when the denominator is 0.
        func ratio(truePositives: Int, predicted: Int, actual: Int) -> Double {
            let (numerator, denominator): (Int, Int)
            switch self {
            case .precision: (numerator, denominator) = (truePositives, predicted)
            case .recall: (numerator, denominator) = (truePositives, actual)
            case .f1: (numerator, denominator) = (2 * truePositives, actual + predicted)
            }
            return denominator == 0 ? 0 : Double(numerator) / Double(denominator)
        }
    }

    public let name: String
    public var higherIsBetter: Bool { true }
    /// The ratio computed.
    public let kind: Kind
    /// How classes are combined.
    public let average: MetricAverage
    private var counts: ConfusionCounts

    /// `average: .binary` needs a binary task (it scores the positive class 1 only).
    public init(_ kind: Kind, average: MetricAverage, task: MetricTask, classCount: Int = 2, name: String? = nil) {
        precondition(average != .binary || task == .binary,
                     "ClassificationScore: average .binary applies to binary tasks only, not \(task)")
        self.kind = kind
        self.average = average
        self.name = name ?? (average == .binary ? kind.rawValue : "\(kind.rawValue)_\(average.rawValue)")
        counts = ConfusionCounts(task: task, classCount: classCount)
    }

    public func update(scores: Tensor, targets: Tensor) { counts.add(scores: scores, targets: targets, metric: name) }

    /// NaN before any sample.
    public func compute() -> Double {
        guard counts.samples > 0 else { return .nan }
        let classes = counts.classesInUse
        switch average {
        case .binary:
            return ratio(truePositives: counts.truePositives[1], predicted: counts.predicted[1], actual: counts.actual[1])
        case .micro:
            return ratio(truePositives: classes.reduce(0) { $0 + counts.truePositives[$1] },
                         predicted: classes.reduce(0) { $0 + counts.predicted[$1] },
                         actual: classes.reduce(0) { $0 + counts.actual[$1] })
        case .macro, .weighted:
            guard !classes.isEmpty else { return .nan }
            let scores = classes.map {
                ratio(truePositives: counts.truePositives[$0], predicted: counts.predicted[$0], actual: counts.actual[$0])
            }
            let support = classes.reduce(0) { $0 + counts.actual[$1] }
            // Weighted by support; with no support at all scikit-learn falls back to the plain mean.
            if average == .weighted && support > 0 {
                return zip(classes, scores).reduce(0) { $0 + Double(counts.actual[$1.0]) * $1.1 } / Double(support)
            }
            return scores.reduce(0, +) / Double(scores.count)
        }
    }

    public func reset() { counts.reset() }

    /// This kind's ratio for one class (or pooled counts), 0 where the denominator is 0.
    private func ratio(truePositives: Int, predicted: Int, actual: Int) -> Double {
        kind.ratio(truePositives: truePositives, predicted: predicted, actual: actual)
    }

    /// This kind's score for every class `0..<classCount` (binary: classes 0 and 1), as scikit-learn's
    /// `average=None` with `labels=range(classCount)`: a class never seen scores 0. Empty before any sample.
    public func perClass() -> [Double] {
        guard counts.samples > 0 else { return [] }
        return (0..<counts.classCount).map {
            ratio(truePositives: counts.truePositives[$0], predicted: counts.predicted[$0], actual: counts.actual[$0])
        }
    }
}
