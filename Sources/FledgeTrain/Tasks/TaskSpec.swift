import FledgeData
import FledgeMetrics
import FledgeNN
import FledgeTensor

/// What differs between binary, multiclass, multilabel and regression training: the number of
/// outputs, the loss, how logits become scores for metrics and how they become predictions.
///
/// Targets are float tensors throughout, as FledgeMetrics takes them: 0/1 `[N]`/`[N, 1]` (binary),
/// class indices `[N]`/`[N, 1]` (multiclass), 0/1 `[N, L]` (multilabel), values `[N]`/`[N, K]`
/// (regression). Replace the loss by name (`training.loss`) or with any closure:
/// ```swift
/// var task = TaskSpec(kind: .regression)
/// task.customLoss = { logits, targets in (logits - targets).abs().pow(3).mean() }
/// ```
public struct TaskSpec {
    /// A loss computed from the model's logits and the batch targets, returning a scalar tensor.
    public typealias LossFunction = (_ logits: Tensor, _ targets: Tensor) -> Tensor

    /// The task.
    public let kind: TaskKind
    /// The model's output width: 1 (binary), the class count (multiclass), the label count
    /// (multilabel) or the target count (regression).
    public let outputSize: Int
    /// The loss by name (always one of `kind.acceptedLosses`).
    public private(set) var lossKind: LossKind
    /// δ of the Huber loss.
    public var huberDelta: Float = 1
    /// Label smoothing ε of the cross-entropy loss.
    public var labelSmoothing: Float = 0
    /// A loss that replaces `lossKind` when set.
    public var customLoss: LossFunction?

    /// A task with `outputCount` outputs: the class count for multiclass (at least 2), the label
    /// count for multilabel, the number of targets for regression; ignored for binary (always 1).
    /// `loss` defaults to the task's; a loss that does not fit the task is a `ConfigError`.
    public init(kind: TaskKind, outputCount: Int = 1, loss: LossKind? = nil) throws {
        self.kind = kind
        switch kind {
        case .binary: outputSize = 1
        case .multiclass:
            guard outputCount >= 2 else {
                throw ConfigError(kind: .invalidValue, keyPath: "model.task",
                                  message: "model.task is multiclass but the labels have \(outputCount) class; "
                                      + "a multiclass task needs at least 2 (use binary for two)")
            }
            outputSize = outputCount
        case .multilabel, .regression:
            precondition(outputCount > 0, "TaskSpec: outputCount \(outputCount) must be positive")
            outputSize = outputCount
        }
        lossKind = loss ?? kind.defaultLoss
        try checkLoss(lossKind)
    }

    /// The task a config describes, with the output count the data determined (see `init(kind:outputCount:loss:)`).
    public init(config: FledgeConfig, outputCount: Int = 1) throws {
        try self.init(kind: config.model.task, outputCount: outputCount, loss: config.training.loss)
        huberDelta = Float(config.training.huberDelta)
        labelSmoothing = Float(config.training.labelSmoothing)
    }

    /// Selects a loss by name; throws a `ConfigError` listing the valid ones if it does not fit the task.
    public mutating func setLoss(_ loss: LossKind) throws {
        try checkLoss(loss)
        lossKind = loss
    }

    private func checkLoss(_ loss: LossKind) throws {
        guard kind.acceptedLosses.contains(loss) else {
            throw ConfigError(kind: .invalidValue, keyPath: "training.loss",
                              message: "training.loss \(loss.rawValue) does not fit a \(kind.rawValue) task; use one of "
                                  + kind.acceptedLosses.map(\.rawValue).joined(separator: ", "))
        }
    }

    /// The FledgeMetrics task for this task.
    public var metricTask: MetricTask { kind.metricTask }

    /// The class count FledgeMetrics' factory wants: classes (multiclass), labels (multilabel), else 2 or 1.
    public var metricClassCount: Int { kind == .binary ? 2 : outputSize }

    /// The metric names the task reports when `training.metrics` is not given.
    public var defaultMetrics: [String] { kind.defaultMetrics }

    // MARK: - Loss

    /// The mean loss of `logits` `[N, outputSize]` against `targets` (see the type's documentation
    /// for target shapes), differentiable with respect to the logits.
    public func loss(logits: Tensor, targets: Tensor) -> Tensor {
        if let customLoss { return customLoss(logits, targets) }
        switch lossKind {
        case .crossEntropy:
            return crossEntropy(logits, targets: Self.classIndices(targets), labelSmoothing: labelSmoothing)
        case .bceWithLogits, .multilabelBCE:
            return binaryCrossEntropyWithLogits(logits, matched(targets, to: logits))
        case .multilabelSoftMargin:
            return multilabelSoftMarginLoss(logits, matched(targets, to: logits))
        case .mse: return mseLoss(logits, matched(targets, to: logits))
        case .l1: return l1Loss(logits, matched(targets, to: logits))
        case .huber: return huberLoss(logits, matched(targets, to: logits), delta: huberDelta)
        }
    }

    /// The loss for class-index targets (multiclass, as the data layer delivers them).
    public func loss(logits: Tensor, classTargets: IndexTensor) -> Tensor {
        if customLoss == nil && lossKind == .crossEntropy {
            return crossEntropy(logits, targets: classTargets, labelSmoothing: labelSmoothing)
        }
        return loss(logits: logits, targets: Self.floats(classTargets))
    }

    /// The loss for a batch's targets as FledgeData delivers them (floats or class indices).
    public func loss(logits: Tensor, targets: Targets) -> Tensor {
        switch targets {
        case .floats(let values): loss(logits: logits, targets: values)
        case .classes(let classes): loss(logits: logits, classTargets: classes)
        }
    }

    /// `targets` as FledgeMetrics reads them (class indices become floats).
    public static func metricTargets(_ targets: Targets) -> Tensor {
        switch targets {
        case .floats(let values): values
        case .classes(let classes): Self.floats(classes)
        }
    }

    /// `targets` reshaped to the logits' shape when only a trailing axis of 1 differs (`[N]` vs `[N, 1]`).
    private func matched(_ targets: Tensor, to logits: Tensor) -> Tensor {
        guard targets.shape != logits.shape, targets.count == logits.count else { return targets }
        return targets.reshaped(to: logits.shape)
    }

    /// Class indices as a float tensor of the same shape, as FledgeMetrics reads them.
    public static func floats(_ classes: IndexTensor) -> Tensor {
        Tensor(shape: classes.shape, values: classes.indices.map(Float.init))
    }

    /// Class indices from float targets `[N]` or `[N, 1]` holding whole numbers.
    static func classIndices(_ targets: Tensor) -> IndexTensor {
        precondition(targets.rank == 1 || (targets.rank == 2 && targets.shape[1] == 1),
                     "TaskSpec.loss: multiclass targets must be class indices [N] or [N, 1], got \(targets.shape)")
        return IndexTensor(targets.scalars.map { Int($0) })
    }

    // MARK: - Scores and predictions

    /// What metrics read: sigmoid probabilities (binary, multilabel), softmax probabilities
    /// (multiclass) or the outputs themselves (regression). No gradient is recorded.
    public func scores(fromLogits logits: Tensor) -> Tensor {
        withoutGradients {
            switch kind {
            case .binary, .multilabel: logits.sigmoid()
            case .multiclass: logits.softmax(axis: -1)
            case .regression: logits
            }
        }
    }

    /// The predicted labels or values: 0/1 `[N]` (binary, probability ≥ `threshold`), class
    /// indices as floats `[N]` (multiclass), 0/1 `[N, L]` (multilabel) or values (regression).
    public func predictions(fromLogits logits: Tensor, threshold: Float = 0.5) -> Tensor {
        let scores = scores(fromLogits: logits)
        switch kind {
        case .binary:
            return scores.isGreaterOrEqual(to: threshold).reshaped([-1])
        case .multilabel:
            return scores.isGreaterOrEqual(to: threshold)
        case .multiclass:
            return Self.floats(scores.argmax(axis: -1))
        case .regression:
            return scores
        }
    }
}
