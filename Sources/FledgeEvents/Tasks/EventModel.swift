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

    /// Loads `<run>/model/` (or the model directory itself).
    /// - Throws: `ModelBundleError` / `EventsError.invalidModel` naming the missing or unreadable file.
    public static func load(from url: URL) throws -> EventModel {
        let (directory, info, network) = try FledgeModel.loadNetwork(from: url)
        let file = directory.appendingPathComponent(descriptionFile)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw EventsError.invalidModel(path: directory.path, reason: "no \(descriptionFile); this is not an events model (use fledge predict --data for tabular models)")
        }
        let description: EventModelDescription
        do {
            description = try JSONDecoder().decode(EventModelDescription.self, from: Data(contentsOf: file))
        } catch {
            throw EventsError.invalidModel(path: file.path, reason: "cannot be read (\(error)); train again")
        }
        guard info.inputSize == description.layout.count else {
            throw EventsError.invalidModel(path: directory.path, reason: "the network takes \(info.inputSize) inputs but events.json describes \(description.layout.count) features")
        }
        return EventModel(description: description, network: network,
                          taskSpec: try TaskSpec(kind: info.task, outputCount: info.outputSize, loss: info.loss))
    }

    init(description: EventModelDescription, network: any Layer, taskSpec: TaskSpec) {
        self.description = description
        self.network = network
        self.taskSpec = taskSpec
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
        let extractor = FeatureExtractor(layout: description.layout, store: store, dataStart: description.dataStart)
        let features = description.scaler.apply(extractor.features(samples.samples))
        let scores = samples.samples.isEmpty ? Tensor(shape: [0, description.outputNames.count], values: [])
            : taskSpec.scores(fromLogits: withoutGradients { network(features) })
        return EventPredictions(kind: description.taskKind, outputNames: description.outputNames,
                                entityIDs: samples.samples.map { store.entityIDs[$0.entity] }, scores: scores,
                                skippedWithoutHistory: samples.skippedWithoutHistory, predictionDate: date)
    }

    /// Loss and metrics on the test split of the training config (or `config`), recomputing
    /// targets with the config's declarative target.
    public func test(store: EventStore, config: EventsConfig? = nil, task: (any EventTask)? = nil,
                     metrics names: [String]? = nil) throws -> [String: Double] {
        let config = config ?? description.config
        guard let task = try task ?? config.target.map({ try DeclarativeTarget.task($0, store: store) }) else {
            throw EventsError.invalidSetup("the model was trained with a Swift target function; pass the same EventTask to EventModel.test(store:task:)")
        }
        let splits = try TemporalSplits(params: config.dataParams, isRecommendation: task.kind == .recommendation,
                                        firstEvent: description.dataStart)
        let labeled = try SampleBuilder(store: store, splits: splits, target: task.target, seed: config.experiment.seed)
            .samples(.test)
        let extractor = FeatureExtractor(layout: description.layout, store: store, dataStart: description.dataStart)
        guard let dataset = try EventDatasets.dataset(labeled, extractor: extractor, scaler: description.scaler, task: task) else {
            throw EventsError.noSamples(split: "test", reason: "no entity has history before test_start_date and a target")
        }
        let metrics = try EventDatasets.metrics(names ?? description.metrics, task: task, topK: description.topK ?? 10)
        return try Evaluator(task: taskSpec, model: network, metrics: metrics).measure(dataset, batchSize: 1024)
    }
}
