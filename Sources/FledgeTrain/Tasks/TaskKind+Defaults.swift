import FledgeMetrics

extension TaskKind {
    /// The loss used when `training.loss` is not given.
    public var defaultLoss: LossKind {
        switch self {
        case .binary: .bceWithLogits
        case .multiclass: .crossEntropy
        case .multilabel: .multilabelBCE
        case .regression: .mse
        }
    }

    /// The losses that fit this task's outputs and targets.
    public var acceptedLosses: [LossKind] {
        switch self {
        case .binary: [.bceWithLogits]
        case .multiclass: [.crossEntropy]
        case .multilabel: [.multilabelBCE, .multilabelSoftMargin, .bceWithLogits]
        case .regression: [.mse, .l1, .huber]
        }
    }

    /// True for the tasks whose labels are classes (stratified splits make sense).
    public var isClassification: Bool { self != .regression }

    /// The FledgeMetrics task (case for case).
    public var metricTask: MetricTask {
        switch self {
        case .binary: .binary
        case .multiclass: .multiclass
        case .multilabel: .multilabel
        case .regression: .regression
        }
    }

    /// The metrics reported when `training.metrics` is not given (FledgeMetrics' defaults).
    public var defaultMetrics: [String] { MetricFactory.defaults(for: metricTask) }
}
