import FledgeData
import FledgeMetrics
import FledgeNN
import FledgeTensor
import FledgeTrain
import Foundation

/// What an events model bundle adds to FledgeTrain's `model.json` and weights: the features,
/// their scaling, the task and the config it was trained with (`<run>/model/events.json`).
public struct EventModelDescription: Codable, Sendable {
    /// The format of this file.
    public var formatVersion = 1
    /// The training config (sources, dates, target, network, training).
    public var config: EventsConfig
    /// The task kind.
    public var taskKind: EventTaskKind
    /// Output names: classes, labels, outputs or items.
    public var outputNames: [String]
    /// Items listed per prediction (recommendation).
    public var topK: Int?
    /// The item column (recommendation).
    public var itemColumn: String?
    /// The features.
    public var layout: FeatureLayout
    /// The scaling fitted on the training features.
    public var scaler: FeatureScaler
    /// The start of history (seconds since 1970).
    public var dataStart: Int64
    /// The metrics reported.
    public var metrics: [String]
    /// Set for a fine-tuned foundation model: its network's shape and how outputs read (the
    /// representation is saved beside `events.json`). Nil for the feature MLP of `fledge train`.
    public var foundation: FineTunedHead?

    /// Creates a description.
    public init(config: EventsConfig, taskKind: EventTaskKind, outputNames: [String], topK: Int?, itemColumn: String?,
                layout: FeatureLayout, scaler: FeatureScaler, dataStart: Int64, metrics: [String],
                foundation: FineTunedHead? = nil) {
        self.config = config
        self.taskKind = taskKind
        self.outputNames = outputNames
        self.topK = topK
        self.itemColumn = itemColumn
        self.layout = layout
        self.scaler = scaler
        self.dataStart = dataStart
        self.metrics = metrics
        self.foundation = foundation
    }

    /// How the network's outputs read for this task (its loss from the training config).
    func taskSpec() throws -> TaskSpec {
        try TaskSpec(kind: taskKind.trainerTask, outputCount: taskKind == .binary ? 1 : outputNames.count,
                     loss: config.training.loss)
    }

    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: url)
    }
}

/// A trained events model reloaded from its run directory: scores entities from their history
/// up to any date, and measures itself on the configured test split.
///
/// ```swift
/// let model = try EventModel.load(from: URL(fileURLWithPath: "runs/churn"))
/// let store = try EventDatasets.openStore(model.description.config)
/// let scores = try model.predict(store: store, at: day("2024-07-01"))
/// ```
public final class EventModel {
    /// The events part of the bundle.
    public static let descriptionFile = "events.json"

    /// What `events.json` says.
    public let description: EventModelDescription
    /// The network, in evaluation mode.
    public let network: any Layer
    /// How outputs become scores.
    public let taskSpec: TaskSpec

    /// Loads `<run>/model/` (or the model directory itself): a feature MLP, or a fine-tuned
    /// foundation model (its `FoundationNetwork` and representation).
    /// - Throws: `ModelBundleError` / `EventsError.invalidModel` naming the missing or unreadable file.
    public static func load(from url: URL) throws -> EventModel {
        var directory = url
        let nested = url.appendingPathComponent("model")
        if !FileManager.default.fileExists(atPath: url.appendingPathComponent(descriptionFile).path),
           FileManager.default.fileExists(atPath: nested.appendingPathComponent(descriptionFile).path) {
            directory = nested
        }
        let file = directory.appendingPathComponent(descriptionFile)
        guard FileManager.default.fileExists(atPath: file.path) else {
            let foundation = FoundationModel.descriptionFile
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(foundation).path)
                || FileManager.default.fileExists(atPath: url.appendingPathComponent(FoundationModel.directoryName).appendingPathComponent(foundation).path) {
                throw EventsError.invalidModel(path: url.path, reason: "this is a pretrained foundation model, not a model for a task; fine-tune it first (fledge finetune finetune.yaml --foundation \(url.path)) and use the fine-tuned run")
            }
            _ = try FledgeModel.loadNetwork(from: url)   // a clear error when there is no bundle at all
            throw EventsError.invalidModel(path: directory.path, reason: "no \(descriptionFile); this is not an events model (use fledge predict --data for tabular models)")
        }
        let description: EventModelDescription
        do {
            description = try JSONDecoder().decode(EventModelDescription.self, from: Data(contentsOf: file))
        } catch {
            throw EventsError.invalidModel(path: file.path, reason: "cannot be read (\(error)); train again")
        }
        if let head = description.foundation { return try loadFineTuned(description, head: head, directory: directory) }
        if description.config.dataParams.itemHistoryTerm { return try loadWithItemHistoryTerm(description, directory: directory) }
        let (_, info, network) = try FledgeModel.loadNetwork(from: directory)
        guard info.inputSize == description.scaler.outputCount else {
            throw EventsError.invalidModel(path: directory.path, reason: "the network takes \(info.inputSize) inputs but events.json describes \(description.scaler.outputCount) (from \(description.layout.count) features)")
        }
        return EventModel(description: description, network: network,
                          taskSpec: try TaskSpec(kind: info.task, outputCount: info.outputSize, loss: info.loss))
    }

    /// A fine-tuned foundation model: the network rebuilt from `head`, its weights, the representation.
    private static func loadFineTuned(_ description: EventModelDescription, head: FineTunedHead, directory: URL) throws -> EventModel {
        let representation: BehaviouralRepresentation
        do {
            representation = try BehaviouralRepresentation.load(from: directory)
        } catch {
            throw EventsError.invalidModel(path: directory.path, reason: "the representation cannot be read (\(error)); fine-tune again")
        }
        let network = head.makeNetwork()
        try loadWeights(into: network, from: directory, what: "the fine-tuned network's", retrain: "fine-tune")
        var taskSpec = try description.taskSpec()
        taskSpec.customLoss = head.reading(representation: representation).loss
        return EventModel(description: description, network: network, taskSpec: taskSpec, representation: representation)
    }

    /// A feature MLP with the item history term (`data_params.item_history_term`): the network
    /// rebuilt from the config, layout and scaler, then its weights.
    private static func loadWithItemHistoryTerm(_ description: EventModelDescription, directory: URL) throws -> EventModel {
        let network = try ItemHistoryNetwork.make(model: description.config.model, layout: description.layout,
                                                  scaler: description.scaler, outputSize: description.outputNames.count, seed: 0)
        try loadWeights(into: network, from: directory, what: "the item history network's", retrain: "train")
        return EventModel(description: description, network: network, taskSpec: try description.taskSpec())
    }

    /// Loads the bundle's weights into `network` and puts it in evaluation mode.
    private static func loadWeights(into network: any Layer, from directory: URL, what: String, retrain: String) throws {
        let weights = directory.appendingPathComponent(FledgeModel.weightsFile)
        do {
            try network.load(from: weights)
        } catch {
            throw EventsError.invalidModel(path: weights.path, reason: "does not hold \(what) weights (\(error)); \(retrain) again")
        }
        network.eval()
    }

    init(description: EventModelDescription, network: any Layer, taskSpec: TaskSpec,
         representation: BehaviouralRepresentation? = nil) {
        self.description = description
        self.network = network
        self.taskSpec = taskSpec
        self.representation = representation
        decoding = description.foundation.flatMap { head in representation.flatMap { head.reading(representation: $0).scores } }
    }

    /// The item embeddings and sketches of a fine-tuned foundation model (nil otherwise).
    public let representation: BehaviouralRepresentation?
    /// A fine-tuned foundation model's own scores (recommendation decodes the sketch).
    private let decoding: ((Tensor) -> Tensor)?

    /// The model inputs of `samples`: standardised features, and for a fine-tuned foundation
    /// model the representation's input sketches too, exactly as in training.
    public func inputs(store: EventStore, samples: [SplitSample]) -> Tensor {
        if let representation {
            return FoundationModel.inputs(layout: description.layout, representation: representation, scaler: description.scaler,
                                          store: store, samples: samples, dataStart: description.dataStart)
        }
        var features = FeatureExtractor(layout: description.layout, store: store, dataStart: description.dataStart).features(samples)
        description.scaler.apply(to: &features)
        return features
    }

    /// Probabilities, values or item scores from the network's outputs.
    public func scores(fromOutputs outputs: Tensor) -> Tensor {
        decoding?(outputs) ?? taskSpec.scores(fromLogits: outputs)
    }

    /// The task's output names.
    public var outputNames: [String] { description.outputNames }

    /// Scores `[N, outputs]` (probabilities, or values for regression) of every entity with
    /// history before `date` (or of `entityIDs`), computed from history `[data_start, date)`.
    /// - Throws: `EventsError.invalidSetup` naming entity ids the store does not have.
    public func predict(store: EventStore, at date: Int64, entityIDs: [String]? = nil) throws -> EventPredictions {
        let entities = try entityIDs.map { ids in
            try ids.map { id -> Int in
                guard let entity = store.entityIndex(of: id) else {
                    throw EventsError.invalidSetup("--entity-ids: \"\(id)\" has no events in \(store.source) (column \(store.entityColumn))")
                }
                return entity
            }
        }
        let samples = SampleBuilder.predictionSamples(store: store, dataStart: description.dataStart, at: date,
                                                      entities: entities)
        let scores = samples.samples.isEmpty ? Tensor(shape: [0, description.outputNames.count], values: [])
            : scores(fromOutputs: withoutGradients { network(inputs(store: store, samples: samples.samples)) })
        return EventPredictions(kind: description.taskKind, outputNames: description.outputNames,
                                entityIDs: samples.samples.map { store.entityIDs[$0.entity] }, scores: scores,
                                skippedWithoutHistory: samples.skippedWithoutHistory, predictionDate: date)
    }

    /// Loss and metrics on the test split of the training config (or `config`), recomputing
    /// targets with the config's declarative target.
    public func test(store: EventStore, config: EventsConfig? = nil, task: (any EventTask)? = nil,
                     metrics names: [String]? = nil) throws -> [String: Double] {
        let config = config ?? description.config
        guard let task = try task ?? config.target.map({ target in
            if let representation { return try FineTunedHead.task(target, store: store, representation: representation) }
            return try DeclarativeTarget.task(target, store: store)
        }) else {
            throw EventsError.invalidSetup("the model was trained with a Swift target function; pass the same EventTask to EventModel.test(store:task:)")
        }
        let splits = try TemporalSplits(params: config.dataParams, isRecommendation: task.kind == .recommendation,
                                        firstEvent: description.dataStart)
        let labeled = try SampleBuilder(store: store, splits: splits, target: task.target, seed: config.experiment.seed)
            .samples(.test)
        guard let dataset = try EventDatasets.dataset(labeled, store: store, task: task, inputs: { inputs(store: store, samples: $0) }) else {
            throw EventsError.noSamples(split: "test", reason: "no entity has history before test_start_date and a target")
        }
        let metrics = try EventDatasets.metrics(names ?? description.metrics, task: task, topK: description.topK ?? 10)
        let spec = taskSpec
        return try Evaluator(model: network, loss: { spec.loss(logits: $0, targets: $1) },
                             scores: { self.scores(fromOutputs: $0) }, metrics: metrics).measure(dataset, batchSize: 1024)
    }
}
