import FledgeData
import FledgeTensor
import FledgeTrain

/// What kind of prediction an events model makes.
public enum EventTaskKind: String, ConfigOption {
    case binary, multiclass, multilabel, regression, recommendation

    /// The trainer's task: recommendation trains as multilabel over the items (one logit per item).
    public var trainerTask: TaskKind {
        switch self {
        case .binary: .binary
        case .multiclass: .multiclass
        case .multilabel, .recommendation: .multilabel
        case .regression: .regression
        }
    }
}

/// A supervised task on event histories: the target function, the outputs, and how targets
/// become training tensors. Use one of `BinaryClassificationTask`, `MulticlassClassificationTask`,
/// `MultilabelClassificationTask`, `RegressionTask` or `RecommendationTask`.
public protocol EventTask: Sendable {
    /// The kind of task.
    var kind: EventTaskKind { get }
    /// One name per model output: class, label, output or item names (`["probability"]` for binary).
    var outputNames: [String] { get }
    /// Computes each sample's target.
    var target: TargetFunction { get }
}

extension EventTask {
    /// The model's output width.
    public var outputSize: Int { kind == .binary ? 1 : outputNames.count }

    /// The targets as the trainer takes them: 0/1 `[N, 1]` (binary), class indices `[N]`
    /// (multiclass), 0/1 `[N, L]` (multilabel, recommendation: one column per item), values `[N, K]`.
    /// Returns the rows kept (a multiclass name the task does not list drops its sample).
    /// - Throws: `EventsError.invalidSetup` when a target's case does not fit the task.
    public func encode(_ targets: [Target]) throws -> (targets: Targets, kept: [Int]) {
        var floats: [Float] = []
        var classes: [Int] = []
        var kept: [Int] = []
        let width = outputSize
        let itemIndex = kind == .recommendation
            ? Dictionary(outputNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a }) : [:]
        for (row, target) in targets.enumerated() {
            switch (kind, target) {
            case (.binary, .binary(let value)):
                floats.append(value ? 1 : 0)
            case (.multiclass, .classIndex(let index)) where index >= 0 && index < width:
                classes.append(index)
            case (.multiclass, .className(let name)):
                guard let index = outputNames.firstIndex(of: name) else { continue }
                classes.append(index)
            case (.multilabel, .labels(let labels)) where labels.count == width:
                floats += labels.map { $0 ? 1 : 0 }
            case (.regression, .value(let value)) where width == 1:
                floats.append(Float(value))
            case (.regression, .values(let values)) where values.count == width:
                floats += values.map(Float.init)
            case (.recommendation, .items(let items)):
                var row = [Float](repeating: 0, count: width)
                for item in items { if let index = itemIndex[item] { row[index] = 1 } }
                floats += row
            default:
                throw EventsError.invalidSetup("the target function returned \(target) for a \(kind.rawValue) task with \(width) outputs (\(outputNames.prefix(5).joined(separator: ", "))); return the case that fits the task")
            }
            kept.append(row)
        }
        if kind == .multiclass { return (.classes(IndexTensor(classes)), kept) }
        return (.floats(Tensor(shape: [kept.count, width], values: floats)), kept)
    }
}

/// Will something happen (churn, conversion)? One probability per entity.
public struct BinaryClassificationTask: EventTask {
    public let kind = EventTaskKind.binary
    public let outputNames = ["probability"]
    public let target: TargetFunction
    /// A task whose target function returns `.binary`.
    public init(target: @escaping TargetFunction) { self.target = target }
}

/// Which one of several classes (favourite category)? Softmax over `classes`.
public struct MulticlassClassificationTask: EventTask {
    public let kind = EventTaskKind.multiclass
    public let outputNames: [String]
    public let target: TargetFunction
    /// A task over `classes` whose target function returns `.classIndex` or `.className`.
    public init(classes: [String], target: @escaping TargetFunction) {
        outputNames = classes
        self.target = target
    }
}

/// Which of several things (buy in each category: propensity)? One probability per label.
public struct MultilabelClassificationTask: EventTask {
    public let kind = EventTaskKind.multilabel
    public let outputNames: [String]
    public let target: TargetFunction
    /// A task over `labels` whose target function returns `.labels` (one Bool per label).
    public init(labels: [String], target: @escaping TargetFunction) {
        outputNames = labels
        self.target = target
    }
}

/// How much (spend)? One or more numbers per entity.
public struct RegressionTask: EventTask {
    public let kind = EventTaskKind.regression
    public let outputNames: [String]
    public let target: TargetFunction
    /// A task whose target function returns `.value` (or `.values` with one per output).
    public init(outputs: [String] = ["value"], target: @escaping TargetFunction) {
        outputNames = outputs
        self.target = target
    }
}

/// Which items next? Scores over every item of `items`; predictions are the `topK` best.
public struct RecommendationTask: EventTask {
    public let kind = EventTaskKind.recommendation
    public let outputNames: [String]
    public let target: TargetFunction
    /// The event column holding item ids.
    public let itemColumn: String
    /// How many items a prediction lists.
    public let topK: Int
    /// With `countedEvents`: the event column whose values say which events are item events
    /// (e.g. `event_type`); the item history features count only those. Nil: every event counts.
    public let countedEventColumn: String?
    /// The values of `countedEventColumn` that count (e.g. `["purchase"]`).
    public let countedEvents: [String]?
    /// A task scoring `items` (values of `itemColumn`) whose target function returns `.items`;
    /// `countedEventColumn` / `countedEvents` name the events the target takes items from, so the
    /// item history features (`FeatureLayout.ItemHistory`) count the same kind of event.
    public init(itemColumn: String, items: [String], topK: Int = 10, countedEventColumn: String? = nil,
                countedEvents: [String]? = nil, target: @escaping TargetFunction) {
        outputNames = items
        self.itemColumn = itemColumn
        self.topK = topK
        self.countedEventColumn = countedEventColumn
        self.countedEvents = countedEvents
        self.target = target
    }
}
