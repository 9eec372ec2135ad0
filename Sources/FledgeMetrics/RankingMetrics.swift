import FledgeTensor

/// Area under the ROC curve or average precision, from every (score, label) pair seen.
///
/// - `.auroc`: scikit-learn's `roc_auc_score` (binary; multiclass one-vs-rest macro as
///   `multi_class="ovr"`; multilabel macro over labels); tied scores count half.
/// - `.averagePrecision`: scikit-learn's `average_precision_score` (step-wise, no interpolation;
///   multiclass one-vs-rest macro; multilabel macro).
public final class RankingMetric: Metric {
    /// Which area.
    public enum Kind: String, Sendable, CaseIterable {
        case auroc
        case averagePrecision = "average_precision"
    }

    public let name: String
    public var higherIsBetter: Bool { true }
    /// The statistic computed.
    public let kind: Kind
    private var pairs: RankingPairs

    /// A ranking metric for `task` with `classCount` classes or labels (ignored for binary),
    /// named after its kind unless `name` is given.
    public init(_ kind: Kind, task: MetricTask, classCount: Int = 2, name: String? = nil) {
        self.kind = kind
        self.name = name ?? kind.rawValue
        pairs = RankingPairs(task: task, classCount: classCount)
    }

    public func update(scores: Tensor, targets: Tensor) { pairs.add(scores: scores, targets: targets, metric: name) }

    /// NaN while no class is defined (AUROC: has positives and negatives; AP: has positives).
    public func compute() -> Double {
        switch kind {
        case .auroc: return pairs.macroAverage(\.rocArea)
        case .averagePrecision: return pairs.macroAverage(\.averagePrecision)
        }
    }

    public func reset() { pairs.reset() }
}
