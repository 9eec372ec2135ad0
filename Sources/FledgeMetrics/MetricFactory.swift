/// A metric name the factory does not know for the task; the message lists the valid names.
public enum MetricError: Error, CustomStringConvertible, Equatable {
    /// `name` is not a metric of `task`; `valid` are the names that are.
    case unknownMetric(name: String, task: MetricTask, valid: [String])

    public var description: String {
        switch self {
        case let .unknownMetric(name, task, valid):
            return "unknown metric '\(name)' for a \(task.rawValue) task; valid metrics: \(valid.joined(separator: ", "))"
        }
    }
}

/// Builds metrics from the names used in configs (`training.metrics`, `metric_to_monitor`).
///
/// Names are case-insensitive. `precision`, `recall` and `f1` mean the positive class for binary
/// tasks and the macro average otherwise; `_macro`, `_micro` and `_weighted` pick the average.
public enum MetricFactory {
    /// The metric called `name` for `task`; `classCount` is the number of classes (multiclass) or
    /// labels (multilabel) and is ignored for binary and regression tasks.
    /// Throws `MetricError.unknownMetric` for a name that is not one of `names(for: task)`.
    public static func make(name: String, task: MetricTask, classCount: Int) throws -> any Metric {
        let key = name.lowercased()
        guard names(for: task).contains(key) else {
            throw MetricError.unknownMetric(name: name, task: task, valid: names(for: task))
        }
        if let kind = RegressionMetric.Kind(rawValue: key) { return RegressionMetric(kind, name: key) }
        switch key {
        case "accuracy": return Accuracy(task: task, classCount: classCount, name: key)
        case "auroc", "roc_auc": return RankingMetric(.auroc, task: task, classCount: classCount, name: key)
        case "average_precision": return RankingMetric(.averagePrecision, task: task, classCount: classCount, name: key)
        case "log_loss": return LogLoss(task: task, classCount: classCount, name: key)
        default: break
        }
        let parts = key.split(separator: "_", maxSplits: 1).map(String.init)
        if let kind = ClassificationScore.Kind(rawValue: parts[0]) {
            let average = parts.count == 2 ? MetricAverage(rawValue: parts[1])! : (task == .binary ? .binary : .macro)
            return ClassificationScore(kind, average: average, task: task, classCount: classCount, name: key)
        }
        preconditionFailure("MetricFactory: '\(key)' is listed for \(task) but not built")
    }

    /// Every name `make` accepts for `task`.
    public static func names(for task: MetricTask) -> [String] {
        if task == .regression { return RegressionMetric.Kind.allCases.map(\.rawValue) }
        let scores = ClassificationScore.Kind.allCases.flatMap { kind in
            [kind.rawValue] + [MetricAverage.macro, .micro, .weighted].map { "\(kind.rawValue)_\($0.rawValue)" }
        }
        return ["accuracy"] + scores + ["auroc", "roc_auc", "average_precision", "log_loss"]
    }

    /// The metrics a task reports when the config names none; the first is the default to monitor.
    public static func defaults(for task: MetricTask) -> [String] {
        switch task {
        case .binary: return ["accuracy", "f1", "auroc"]
        case .multiclass: return ["accuracy", "f1_macro"]
        case .multilabel: return ["f1_micro", "accuracy"]
        case .regression: return ["rmse", "mae", "r2"]
        }
    }
}
