import FledgeData
import FledgeMetrics
import FledgeNN
import FledgeTensor
import FledgeTrain
import Foundation

/// Trains a model on event histories: loads the sources, draws the temporal splits, computes
/// targets and features, and runs FledgeTrain's `Trainer` (the same loop, callbacks,
/// checkpoints and run directory as tabular training). The final bundle in `<run>/model/`
/// gets `events.json` (features, scaling, task, config), so `EventModel` reloads it.
///
/// ```swift
/// let config = try EventsConfig.load(path: "Examples/configs/events-churn.yaml")
/// let churn = BinaryClassificationTask { history, future, _, _ in
///     .binary(try future.filter("event", equals: "purchase").isEmpty)
/// }
/// let trainer = try EventTrainer(config: config, task: churn)   // or nil: the config's target
/// let result = try trainer.fit()
/// let test = try trainer.evaluate(.test)
/// ```
public final class EventTrainer {
    /// The configuration.
    public let config: EventsConfig
    /// The loaded events.
    public let store: EventStore
    /// The resolved split dates.
    public let splits: TemporalSplits
    /// The task (from the config's target or given in Swift).
    public let task: any EventTask
    /// The features computed.
    public let layout: FeatureLayout
    /// The scaling fitted on the training features.
    public let scaler: FeatureScaler
    /// The samples of each split (targets included).
    public let samples: [TargetContext.Split: LabeledSamples]
    /// FledgeTrain's trainer, on the prepared tensors.
    public let trainer: Trainer
    /// The monitored metrics' names.
    public let metricNames: [String]

    /// Prepares everything; `task` replaces the config's `target`.
    /// - Throws: `EventsError` (bad data, no validation date, no samples), `ConfigError`, what the target function throws.
    public init(config: EventsConfig, task: (any EventTask)? = nil, readers: EventTableReaders = .standard,
                callbacks: [any Callback] = [], progress: (any Callback)? = ProgressPrinter()) throws {
        self.config = config
        let store = try EventDatasets.openStore(config, readers: readers)
        guard let task = try task ?? config.target.map({ try DeclarativeTarget.task($0, store: store) }) else {
            throw EventsError.invalidSetup("the config has no target section; add one (target: {type: churn}) or pass an EventTask in Swift")
        }
        let splits = try TemporalSplits(params: config.dataParams, isRecommendation: task.kind == .recommendation,
                                        firstEvent: store.timeRange?.lowerBound)
        guard let trainingMax = splits.trainingMaxSplit else { throw EventsError.predictionOnly }
        let builder = SampleBuilder(store: store, splits: splits, target: task.target, seed: config.experiment.seed)
        var samples: [TargetContext.Split: LabeledSamples] = [.train: try builder.samples(.train),
                                                              .validation: try builder.samples(.validation)]
        if splits.testStart != nil { samples[.test] = try builder.samples(.test) }
        let layout = FeatureLayout(store: store, params: config.dataParams).withItemHistory(of: task, params: config.dataParams)
        let extractor = FeatureExtractor(layout: layout, store: store, dataStart: splits.dataStart)
        let trainFeatures = extractor.features(samples[.train]!.samples)
        guard trainFeatures.shape[0] > 0 else {
            throw EventsError.noSamples(split: "training", reason: "no entity has events before training_max_split_date (\(TimestampParser.dayText(trainingMax))) and a target; move validation_start_date later or check data_start_date")
        }
        let params = config.dataParams
        let scaler = FeatureScaler(fitting: trainFeatures, clipping: params.clipFeaturesToTrainingRange,
                                   piecewiseLinearBins: params.numericEncoding == .piecewiseLinear ? params.piecewiseLinearBins : nil)
        func dataset(_ split: TargetContext.Split) throws -> TabularDataset? {
            guard let labeled = samples[split] else { return nil }
            return try EventDatasets.dataset(labeled, extractor: extractor, scaler: scaler, task: task)
        }
        let data = try EventDatasets.trainingData(task: task, emptyTraining: "every target was skipped", dataset: dataset)
        let topK = (task as? RecommendationTask)?.topK ?? config.target?.topK ?? 10
        let metrics = try EventDatasets.metrics(config.training.metrics, task: task, topK: topK)
        var trainerConfig = config.trainerConfig(task: task.kind.trainerTask)
        trainerConfig.training.metrics = metrics.map(\.name)
        // The item history term wraps the feature MLP; regression starts predicting the training mean
        // (OutputInitialization); other tasks, the default network.
        var network: (any Layer)?
        if params.itemHistoryTerm {
            network = try ItemHistoryNetwork.make(model: trainerConfig.model, layout: layout, scaler: scaler,
                                                  outputSize: task.outputSize, seed: trainerConfig.experiment.seed)
        } else if task.kind == .regression {
            network = ModelFactory.make(trainerConfig.model, inputSize: data.train.featureCount, outputSize: task.outputSize,
                                        seed: trainerConfig.experiment.seed)
            OutputInitialization.startAtTargetMean(network!, targets: data.train.targets)
        }
        trainer = try Trainer(config: trainerConfig, data: data, model: network, callbacks: callbacks, metrics: metrics,
                              progress: progress)
        self.store = store
        self.task = task
        self.splits = splits
        self.samples = samples
        self.layout = layout
        self.scaler = scaler
        metricNames = metrics.map(\.name)
    }

    /// Trains, then writes `events.json` next to the final model bundle.
    @discardableResult
    public func fit(resumeFrom: String? = nil) throws -> TrainingResult {
        let result = try trainer.fit(resumeFrom: resumeFrom)
        if let run = result.runDirectory {
            let modelDirectory = run.appendingPathComponent("model")
            try description.write(to: modelDirectory.appendingPathComponent(EventModel.descriptionFile))
        }
        return result
    }

    /// Loss and metrics of the trained model on a split.
    public func evaluate(_ split: DataSplitName) throws -> [String: Double] {
        try trainer.evaluate(split: split)
    }

    /// What `events.json` holds for this run.
    public var description: EventModelDescription {
        EventModelDescription(config: config, taskKind: task.kind, outputNames: task.outputNames,
                              topK: (task as? RecommendationTask)?.topK, itemColumn: (task as? RecommendationTask)?.itemColumn,
                              layout: layout, scaler: scaler, dataStart: splits.dataStart, metrics: metricNames)
    }

    /// How many samples each split has and what was skipped, one line per split, plus the load report.
    public var summaryLines: [String] {
        var lines = store.report.lines
        lines.insert("loaded \(store.eventCount) events of \(store.entityCount) entities from \(store.source); \(layout.count) features", at: 0)
        return lines + Self.splitLines(samples: samples, splits: splits)
    }

    /// One line per split: how many samples, the split point or the last training split point,
    /// and what was skipped (shared with fine-tuning's summary).
    public static func splitLines(samples: [TargetContext.Split: LabeledSamples], splits: TemporalSplits) -> [String] {
        var lines: [String] = []
        for split in [TargetContext.Split.train, .validation, .test] {
            guard let labeled = samples[split] else { continue }
            var line = "\(split.rawValue): \(labeled.samples.count) samples"
            if let window = splits.window(split) {
                line += " (split \(TimestampParser.dayText(window.split)), target until \(TimestampParser.dayText(window.targetEnd)))"
            } else if let max = splits.trainingMaxSplit {
                line += " (split points up to \(TimestampParser.dayText(max)))"
            }
            if labeled.skippedWithoutHistory > 0 { line += "; \(labeled.skippedWithoutHistory) entities without history skipped" }
            if labeled.skippedByTarget > 0 { line += "; \(labeled.skippedByTarget) skipped by the target (nil)" }
            if labeled.leftOutByFraction > 0 { line += "; \(labeled.leftOutByFraction) entities left out by training_entity_fraction" }
            lines.append(line)
        }
        return lines
    }
}


/// Where a new network's predictions start: a regression network's last bias at the training
/// targets' mean (instead of 0), so the untrained network predicts the mean and training only has to
/// learn the differences between entities. Measured on the clickstream spend config it barely
/// matters (validation R² −0.0144 → −0.0143); what made spend worse than the mean was the shift of
/// features between training and validation split points, which `FeatureScaler`'s clipping fixes.
enum OutputInitialization {
    /// Sets the bias of `network`'s last linear layer to the per-output mean of `targets` `[N, K]`.
    /// Does nothing for other networks or targets.
    static func startAtTargetMean(_ network: any Layer, targets: Targets?) {
        guard let mlp = network as? MLP, let last = mlp.layers.layers.last as? Linear, let bias = last.bias,
              case .floats(let values)? = targets, values.shape.rank == 2, values.shape[1] == bias.shape[0],
              values.shape[0] > 0 else { return }
        let (rows, width) = (values.shape[0], values.shape[1])
        var sums = [Double](repeating: 0, count: width)
        values.withUnsafeBufferPointer { buffer in
            for row in 0..<rows {
                for column in 0..<width { sums[column] += Double(buffer[row * width + column]) }
            }
        }
        bias.assign(Tensor(shape: bias.shape, values: sums.map { Float($0 / Double(rows)) }))
    }
}
