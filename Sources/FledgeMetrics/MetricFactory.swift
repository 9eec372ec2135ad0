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
/// Multiclass and multilabel tasks also take one class's score, `<precision|recall|f1>_class_<i>`
/// (`perClassNames`). Recommendation and multilabel tasks take the ranking metrics of `TopKMetric`
/// with the cut-off in the name: `precision@10`, `recall@10`, `hit_rate@10`, `map@10`, `ndcg@10`,
/// `mrr` (full ranking) or `mrr@10`; any K >= 1 works, the lists below show K = 10.
public enum MetricFactory {
    /// The metric called `name` for `task`; `classCount` is the number of classes (multiclass) or
    /// labels (multilabel) and is ignored for binary and regression tasks.
    /// Throws `MetricError.unknownMetric` for a name that is not one of `names(for: task)`.
    public static func make(name: String, task: MetricTask, classCount: Int) throws -> any Metric {
        let key = name.lowercased()
        if let metric = parameterised(key, task: task, classCount: classCount) { return metric }
        guard names(for: task).contains(key) else {
            throw MetricError.unknownMetric(name: name, task: task, valid: names(for: task) + patterns(for: task))
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
    /// Every fixed name `make` accepts for `task`; the ranking metrics appear with K = 10 (any K
    /// works) and per-class names are left out (they depend on the class count: `perClassNames`).
    public static func names(for task: MetricTask) -> [String] {
        let ranking = TopKMetric.Kind.allCases.map { $0 == .reciprocalRank ? $0.rawValue : "\($0.rawValue)@10" }
        switch task {
        case .regression: return RegressionMetric.Kind.allCases.map(\.rawValue)
        case .recommendation: return ranking
        case .binary, .multiclass, .multilabel:
            let scores = ClassificationScore.Kind.allCases.flatMap { kind in
                [kind.rawValue] + [MetricAverage.macro, .micro, .weighted].map { "\(kind.rawValue)_\($0.rawValue)" }
            }
            return ["accuracy"] + scores + ["auroc", "roc_auc", "average_precision", "log_loss"]
                + (task == .multilabel ? ranking : [])
        }
    }

    /// `<kind>_class_<i>` for every class: the names that report `kind` per class.
    public static func perClassNames(_ kind: ClassificationScore.Kind, classCount: Int) -> [String] {
        (0..<classCount).map { "\(kind.rawValue)_class_\($0)" }
    }

    /// The name patterns `make` accepts besides `names(for:)`, as shown in error messages.
    static func patterns(for task: MetricTask) -> [String] {
        var patterns: [String] = []
        if task == .multiclass || task == .multilabel { patterns.append("<precision|recall|f1>_class_<i>") }
        if task == .multilabel || task == .recommendation {
            patterns += TopKMetric.Kind.allCases.map { "\($0.rawValue)@<K>" }
        }
        return patterns
    }

    /// A per-class or top-K metric when `key` is one (`recall_class_2`, `ndcg@10`), else nil.
    private static func parameterised(_ key: String, task: MetricTask, classCount: Int) -> (any Metric)? {
        if task == .multilabel || task == .recommendation {
            if key == TopKMetric.Kind.reciprocalRank.rawValue {
                return TopKMetric(.reciprocalRank, k: nil, itemCount: classCount, name: key)
            }
            let parts = key.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count == 2, let kind = TopKMetric.Kind(rawValue: String(parts[0])),
               parts[1].allSatisfy(\.isASCII), let k = Int(parts[1]), k >= 1 {
                return TopKMetric(kind, k: k, itemCount: classCount, name: key)
            }
        }
        if task == .multiclass || task == .multilabel, let range = key.range(of: "_class_") {
            if let kind = ClassificationScore.Kind(rawValue: String(key[..<range.lowerBound])),
               let index = Int(key[range.upperBound...]), index >= 0, index < classCount {
                return ClassScore(kind, classIndex: index, task: task, classCount: classCount, name: key)
            }
        }
        return nil
    }

    /// The metrics a task reports when the config names none; the first is the default to monitor.
    public static func defaults(for task: MetricTask) -> [String] {
        switch task {
        case .binary: return ["accuracy", "f1", "auroc"]
        case .multiclass: return ["accuracy", "f1_macro"]
        case .multilabel: return ["f1_micro", "accuracy"]
        case .regression: return ["rmse", "mae", "r2"]
        case .recommendation: return ["ndcg@10", "precision@10", "recall@10", "hit_rate@10", "map@10", "mrr"]
        }
    }
}
