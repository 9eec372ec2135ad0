import FledgeData
import FledgeMetrics
import FledgeNN
import FledgeOptim
import FledgeTensor
import FledgeTrain
import Foundation

/// Fine-tunes a pretrained foundation model for a downstream task: the pretraining config's
/// sources, dates and training settings (overridden by `finetune.yaml`), the task's targets at
/// the temporal split points, the foundation's inputs (features ⊕ recency sketches, standardised as
/// in pretraining), the pretrained backbone with a new head (or a fresh network with
/// `from_scratch`), trained by FledgeTrain's `Trainer`. The bundle `<run>/model/` reloads with
/// `EventModel.load` (so `fledge predict` and `fledge test` work on it).
///
/// Recommendation keeps the sketch: the head predicts the sketch of the next items, the loss is
/// `sketchCrossEntropy` against `representation.sketches(ofItemSets:)` of the target items, and
/// the scores are `representation.itemScores` of the per-partition softmax, ranked at `top_k`.
///
/// ```swift
/// let tuner = try FoundationFineTuner.loadFromFoundationModel(
///     checkpointPath: "runs/shop-foundation", downstreamTask: .binaryClassification,
///     targetFunction: { _, future, _, _ in .binary(future.isEmpty) },
///     overrides: ["training.epochs=5", "fine_tuning.warm_start_steps=50"])
/// let result = try tuner.fit()
/// print(try tuner.evaluate(.test))
/// ```
public final class FoundationFineTuner {
    /// The resolved configuration (pretraining config + overrides + target).
    public let config: FineTuneConfig
    /// The pretrained checkpoint.
    public let foundation: FoundationModel
    /// The loaded events.
    public let store: EventStore
    /// The resolved split dates.
    public let splits: TemporalSplits
    /// The downstream task.
    public let task: any EventTask
    /// The samples of each split (targets included).
    public let samples: [TargetContext.Split: LabeledSamples]
    /// The network trained: the pretrained backbone (or a fresh one) with the task's head.
    public let network: FoundationNetwork
    /// FledgeTrain's trainer, on the prepared inputs.
    public let trainer: Trainer
    /// The metrics reported.
    public let metricNames: [String]
    /// How the network's outputs read (saved in `events.json`).
    public let head: FineTunedHead

    /// Prepares the run: loads the events, draws the splits, computes targets and inputs, builds
    /// the network and the trainer. `task` replaces `config.events.target`.
    /// - Throws: `EventsError` (no target, no validation date, no samples, a target that does not
    ///   fit the foundation), what the target function throws.
    public init(foundation: FoundationModel, config: FineTuneConfig, task: (any EventTask)? = nil,
                readers: EventTableReaders = .standard, callbacks: [any Callback] = [],
                progress: (any Callback)? = ProgressPrinter()) throws {
        let events = config.events
        let representation = foundation.representation
        let store = try EventDatasets.openStore(events, readers: readers)
        guard let task = try task ?? events.target.map({ try FineTunedHead.task($0, store: store, representation: representation) }) else {
            throw EventsError.invalidSetup("finetune.yaml has no target section; add one (target: {type: churn}) or pass a task in Swift")
        }
        let head = try FineTunedHead(task: task, foundation: foundation, targetsToInclude: events.target?.targetsToInclude,
                                     fromScratch: config.fineTuning.fromScratch)
        let splits = try TemporalSplits(params: events.dataParams, isRecommendation: task.kind == .recommendation,
                                        firstEvent: foundation.description.dataStart)
        guard let trainingMax = splits.trainingMaxSplit else { throw EventsError.predictionOnly }
        let builder = SampleBuilder(store: store, splits: splits, target: task.target, seed: events.experiment.seed)
        var samples: [TargetContext.Split: LabeledSamples] = [.train: try builder.samples(.train),
                                                              .validation: try builder.samples(.validation)]
        if splits.testStart != nil { samples[.test] = try builder.samples(.test) }
        func dataset(_ split: TargetContext.Split) throws -> TabularDataset? {
            guard let labeled = samples[split] else { return nil }
            return try EventDatasets.dataset(labeled, store: store, task: task) { foundation.inputs(store: store, samples: $0) }
        }
        let data = try EventDatasets.trainingData(
            task: task, emptyTraining: "no entity has events before training_max_split_date (\(TimestampParser.dayText(trainingMax))) and a target; move validation_start_date later, check data_start_date or raise training_entity_fraction",
            dataset: dataset)
        let metrics = try EventDatasets.metrics(events.training.metrics, task: task, topK: head.topK ?? 10)
        var trainerConfig = events.trainerConfig(task: task.kind.trainerTask)
        trainerConfig.training.metrics = metrics.map(\.name)
        let seed = events.experiment.seed
        let description = foundation.description
        network = config.fineTuning.fromScratch
            ? FoundationNetwork(inputSize: description.inputWidth, hiddenLayers: description.hiddenLayers,
                                dropout: description.dropout, outputSize: head.outputWidth, seed: seed,
                                activation: description.activation, normalization: description.normalization)
            : foundation.network.replacingHead(outputSize: head.outputWidth, seed: seed)
        var allCallbacks = callbacks
        if config.fineTuning.warmStartSteps > 0 && !config.fineTuning.fromScratch {
            allCallbacks.append(WarmStart(steps: config.fineTuning.warmStartSteps))
            // Early stopping judges the whole network: checks while only the head trains do not count.
            if var stopping = trainerConfig.training.earlyStopping {
                stopping.startFromStep = max(stopping.startFromStep, config.fineTuning.warmStartSteps)
                trainerConfig.training.earlyStopping = stopping
            }
        }
        // fine_tuning.l2sp_strength: the backbone is pulled toward its pretrained weights.
        if config.fineTuning.l2spStrength > 0 && !config.fineTuning.fromScratch {
            allCallbacks.append(L2SP(model: network, strength: config.fineTuning.l2spStrength))
        }
        let reading = head.reading(representation: representation)
        // fine_tuning.backbone_learning_rate_multiplier: the pretrained backbone in its own optimizer group.
        let multiplier = config.fineTuning.backboneLearningRateMultiplier
        let groups: (([(name: String, parameter: Parameter)]) -> [ParameterGroup])? =
            multiplier == 1 || config.fineTuning.fromScratch ? nil : { named in
                ParameterGroup.learningRateGroups(named, matching: FoundationNetwork.backbonePattern,
                                                  learningRate: Float(trainerConfig.training.learningRate),
                                                  multiplier: Float(multiplier))
            }
        trainer = try Trainer(config: trainerConfig, data: data, model: network, callbacks: allCallbacks,
                              loss: reading.loss, scores: reading.scores, metrics: metrics, progress: progress,
                              parameterGroups: groups)
        self.config = config
        self.foundation = foundation
        self.store = store
        self.splits = splits
        self.task = task
        self.samples = samples
        self.head = head
        metricNames = metrics.map(\.name)
    }

    /// Loads the checkpoint at `checkpointPath` (a pretraining run or its `foundation/` folder)
    /// and prepares fine-tuning for `downstreamTask` with `targetFunction`, inheriting the
    /// pretraining config; `finetuneConfigPath` (a finetune.yaml) and `overrides` (`--set`
    /// style, e.g. `training.epochs=5`) change it key by key.
    public static func loadFromFoundationModel(
        checkpointPath: String, downstreamTask: DownstreamTask, targetFunction: @escaping TargetFunction,
        finetuneConfigPath: String? = nil, overrides: [String] = [], readers: EventTableReaders = .standard,
        callbacks: [any Callback] = [], progress: (any Callback)? = ProgressPrinter()
    ) throws -> FoundationFineTuner {
        let foundation = try FoundationModel.load(from: URL(fileURLWithPath: checkpointPath))
        let config = try FineTuneConfig.load(path: finetuneConfigPath, base: foundation.description.config.eventsConfig,
                                             overrides: overrides)
        let task = downstreamTask.task(target: targetFunction, representation: foundation.representation)
        return try FoundationFineTuner(foundation: foundation, config: config, task: task, readers: readers,
                                       callbacks: callbacks, progress: progress)
    }

    /// `fledge finetune finetune.yaml --foundation <checkpoint>`: the declarative target of the file.
    /// The checkpoint is `foundationPath`, else the file's `data_params.features_path`.
    public static func load(configPath: String, foundationPath: String?, overrides: [String] = [],
                            readers: EventTableReaders = .standard, callbacks: [any Callback] = [],
                            progress: (any Callback)? = ProgressPrinter()) throws -> FoundationFineTuner {
        let path = try foundationPath ?? FineTuneConfig.featuresPath(configPath: configPath, overrides: overrides)
        let foundation = try FoundationModel.load(from: URL(fileURLWithPath: path))
        let config = try FineTuneConfig.load(path: configPath, base: foundation.description.config.eventsConfig,
                                             overrides: overrides)
        return try FoundationFineTuner(foundation: foundation, config: config, readers: readers,
                                       callbacks: callbacks, progress: progress)
    }

    /// Trains, then writes `events.json` and the representation next to the final model bundle.
    @discardableResult
    public func fit(resumeFrom: String? = nil) throws -> TrainingResult {
        let result = try trainer.fit(resumeFrom: resumeFrom)
        if let run = result.runDirectory {
            let modelDirectory = run.appendingPathComponent("model")
            try description.write(to: modelDirectory.appendingPathComponent(EventModel.descriptionFile))
            try foundation.representation.save(to: modelDirectory)
        }
        return result
    }

    /// Loss and metrics of the fine-tuned model on a split.
    public func evaluate(_ split: DataSplitName) throws -> [String: Double] {
        try trainer.evaluate(split: split)
    }

    /// What `events.json` holds for this run.
    public var description: EventModelDescription {
        let d = foundation.description
        var model = EventModelDescription(config: config.events, taskKind: task.kind, outputNames: task.outputNames,
                                          topK: head.topK, itemColumn: (task as? RecommendationTask)?.itemColumn,
                                          layout: d.layout, scaler: d.scaler, dataStart: d.dataStart, metrics: metricNames)
        model.foundation = head
        return model
    }

    /// Samples per split and what was skipped, one line per split, plus the load report.
    public var summaryLines: [String] {
        var lines = store.report.lines
        let origin = config.fineTuning.fromScratch ? "from scratch (fresh weights)" : "from the pretrained backbone"
        lines.insert("loaded \(store.eventCount) events of \(store.entityCount) entities from \(store.source); \(foundation.description.inputWidth) inputs; network \(foundation.description.hiddenLayers) \(origin), head \(head.outputWidth) outputs", at: 0)
        lines += EventTrainer.splitLines(samples: samples, splits: splits)
        let pretrainedUntil = foundation.description.validationStart
        if let start = splits.validationStart, start < pretrainedUntil, !config.fineTuning.fromScratch {
            lines.append("note: validation_start_date \(TimestampParser.dayText(start)) is before the pretraining's \(TimestampParser.dayText(pretrainedUntil)): the representation and the backbone have seen events of the validation window, so validation and test metrics are optimistic")
        }
        return lines
    }
}

/// Fine-tunes `checkpointPath` for `downstreamTask` (see `FoundationFineTuner.loadFromFoundationModel`).
public func loadFromFoundationModel(
    checkpointPath: String, downstreamTask: DownstreamTask, targetFunction: @escaping TargetFunction,
    finetuneConfigPath: String? = nil, overrides: [String] = [], readers: EventTableReaders = .standard,
    callbacks: [any Callback] = [], progress: (any Callback)? = ProgressPrinter()
) throws -> FoundationFineTuner {
    try FoundationFineTuner.loadFromFoundationModel(
        checkpointPath: checkpointPath, downstreamTask: downstreamTask, targetFunction: targetFunction,
        finetuneConfigPath: finetuneConfigPath, overrides: overrides, readers: readers, callbacks: callbacks,
        progress: progress)
}
