import FledgeNN
import FledgeTensor
import FledgeTrain

/// The output side of a downstream task for `loadFromFoundationModel`: the kind of prediction
/// and its output names; the target function is given beside it.
public enum DownstreamTask: Sendable {
    /// One probability (churn, conversion); the target function returns `.binary`.
    case binaryClassification
    /// Softmax over `classes`; `.classIndex` or `.className`.
    case multiclassClassification(classes: [String])
    /// One probability per label; `.labels`.
    case multilabelClassification(labels: [String])
    /// Values; `.value` or `.values`.
    case regression(outputs: [String] = ["value"])
    /// Scores over the representation's items (the decoded sketch), the `topK` best listed; `.items`.
    case recommendation(topK: Int = 10)

    /// The task with `target` (recommendation scores `representation`'s items, in its item column).
    public func task(target: @escaping TargetFunction, representation: BehaviouralRepresentation) -> any EventTask {
        switch self {
        case .binaryClassification: BinaryClassificationTask(target: target)
        case .multiclassClassification(let classes): MulticlassClassificationTask(classes: classes, target: target)
        case .multilabelClassification(let labels): MultilabelClassificationTask(labels: labels, target: target)
        case .regression(let outputs): RegressionTask(outputs: outputs, target: target)
        case .recommendation(let topK):
            RecommendationTask(itemColumn: representation.itemColumn, items: representation.items, topK: topK, target: target)
        }
    }
}

/// What a fine-tuned foundation model's bundle records beside the usual `events.json` fields
/// (`EventModelDescription.foundation`): the network's shape, so it can be rebuilt, and how its
/// outputs read. The representation is saved in the same folder.
public struct FineTunedHead: Codable, Sendable, Equatable {
    /// Inputs per sample (features ⊕ input sketches).
    public var inputWidth: Int
    /// The backbone's widths, dropout, activation and normalisation.
    public var hiddenLayers: [Int]
    public var dropout: Double
    public var activation: Activation
    public var normalization: FledgeNN.Normalization
    /// The head's outputs: the task's outputs, or the sketch width for recommendation.
    public var outputWidth: Int
    /// True for recommendation: the head predicts the sketch of the next items, scores are the decoded item scores.
    public var decodesSketch: Bool
    /// Sketch partitions (the softmax runs within each).
    public var partitions: Int
    /// The items that can be recommended (`targets_to_include`); nil: every item of the representation.
    public var scoredItems: [String]?
    /// Items listed per prediction (recommendation).
    public var topK: Int?
    /// Whether the backbone started from fresh weights (the from-scratch baseline).
    public var fromScratch: Bool

    /// The head of `task` on `foundation`.
    /// - Throws: `EventsError.invalidSetup` when a recommendation task does not score the representation's items.
    init(task: any EventTask, foundation: FoundationModel, targetsToInclude: [String]?, fromScratch: Bool) throws {
        let description = foundation.description, representation = foundation.representation
        inputWidth = description.inputWidth
        hiddenLayers = description.hiddenLayers
        dropout = description.dropout
        activation = description.activation
        normalization = description.normalization
        partitions = representation.partitions
        decodesSketch = task.kind == .recommendation
        outputWidth = decodesSketch ? representation.sketchWidth : task.outputSize
        self.fromScratch = fromScratch
        topK = (task as? RecommendationTask)?.topK
        scoredItems = decodesSketch ? targetsToInclude : nil
        if decodesSketch && task.outputNames != representation.items {
            throw EventsError.invalidSetup("a fine-tuned recommendation scores the \(representation.items.count) items of the foundation's representation (column \(representation.itemColumn)); build the RecommendationTask with items: foundation.representation.items")
        }
    }

    /// The network this head was trained on, with fresh weights (load the bundle's weights into it).
    func makeNetwork() -> FoundationNetwork {
        FoundationNetwork(inputSize: inputWidth, hiddenLayers: hiddenLayers, dropout: dropout, outputSize: outputWidth,
                          seed: 0, activation: activation, normalization: normalization)
    }

    /// The loss and scores replacing the task's (nil: the task's own): for recommendation, the
    /// sketch loss against the target items' sketch and the decoded item scores, zero for items
    /// outside `scoredItems`.
    func reading(representation: BehaviouralRepresentation) -> (loss: TaskSpec.LossFunction?, scores: ((Tensor) -> Tensor)?) {
        guard decodesSketch else { return (nil, nil) }
        let partitions = partitions
        let mask = scoredItems.map { included -> Tensor in
            let set = Set(included)
            return Tensor(shape: [1, representation.items.count], values: representation.items.map { set.contains($0) ? 1 : 0 })
        }
        return ({ logits, targets in
            sketchCrossEntropy(logits, targets: representation.sketches(ofItemSets: targets), partitions: partitions)
        }, { logits in
            let scores = representation.itemScores(sketchProbabilities: sketchProbabilities(logits, partitions: partitions))
            return mask.map { scores * $0 } ?? scores
        })
    }

    /// The task of a declarative target on a foundation model: as `DeclarativeTarget.task`, but
    /// `next_items` scores the representation's items (its item column; `targets_to_include`
    /// restricts which items count as targets and can be recommended).
    /// - Throws: `EventsError.invalidSetup` when `next_items` names another item column.
    public static func task(_ target: TargetConfig, store: EventStore, representation: BehaviouralRepresentation) throws -> any EventTask {
        let task = try DeclarativeTarget.task(target, store: store)
        guard target.type == .nextItems else { return task }
        guard target.itemColumn == representation.itemColumn else {
            throw EventsError.invalidSetup("target.item_column is \"\(target.itemColumn ?? "")\" but the foundation's representation is of \"\(representation.itemColumn)\"; a fine-tuned recommendation scores the representation's items: set item_column: \(representation.itemColumn)")
        }
        return RecommendationTask(itemColumn: representation.itemColumn, items: representation.items, topK: target.topK,
                                  target: task.target)
    }
}
