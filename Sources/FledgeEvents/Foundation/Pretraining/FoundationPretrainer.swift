import FledgeData
import FledgeTensor
import FledgeTrain
import Foundation

/// Pretrains a foundation model on event histories, self-supervised (docs/foundation.md, "Pretraining"):
///
/// 1. fits the `BehaviouralRepresentation` on the events before validation_start_date;
/// 2. draws split points between events (`SplitPointSampler`, anew each epoch) and builds each
///    sample's inputs, the `FeatureExtractor` features ⊕ the representation's input sketches,
///    standardised with a `FeatureScaler` fitted on the first epoch's training inputs, and its
///    target, the sketch of the item events in the next check_target_for_next_N_days days;
/// 3. trains a `FoundationNetwork` with FledgeTrain's `Trainer` on the sketch loss
///    (`sketchCrossEntropy`), reporting `val_loss` and `val_recall@k` of the decoded next items;
/// 4. writes the checkpoint `<run>/foundation/` (`FoundationModel`).
///
/// ```swift
/// let config = try PretrainConfig.load(path: "Examples/configs/foundation-pretrain.yaml")
/// let pretrainer = try FoundationPretrainer(config: config)
/// let result = try pretrainer.fit()
/// let foundation = try FoundationModel.load(from: result.checkpoint!)
/// ```
public final class FoundationPretrainer {
    /// The configuration.
    public let config: PretrainConfig
    /// The loaded events.
    public let store: EventStore
    /// The resolved dates.
    public let splits: TemporalSplits
    /// The representation, fitted on events before validation_start_date.
    public let representation: BehaviouralRepresentation
    /// The event features.
    public let layout: FeatureLayout
    /// The input standardisation, fitted on the first epoch's training inputs.
    public let scaler: FeatureScaler
    /// Draws the training split points of each epoch.
    public let sampler: SplitPointSampler
    /// The first epoch's training samples.
    public let trainingSamples: PretrainingSamples
    /// The validation samples (split at validation_start_date).
    public let validationSamples: PretrainingSamples
    /// The network being trained.
    public let network: FoundationNetwork
    /// FledgeTrain's trainer, on the prepared tensors.
    public let trainer: Trainer
    /// The validation sketch loss of always predicting the mean training sketch (the yardstick).
    public let baselineLoss: Double
    /// Where the time went so far (loading, representation, inputs, training).
    public var timings: PretrainingTimings { clock.timings }
    private let clock: TimingsBox

    /// Loads the events, fits the representation and prepares the first epoch and validation.
    /// - Throws: `EventsError` (bad data, no samples), `ConfigError`.
    public init(config: PretrainConfig, readers: EventTableReaders = .standard, callbacks: [any Callback] = [],
                progress: (any Callback)? = ProgressPrinter()) throws {
        try config.validate()
        self.config = config
        let clock = TimingsBox()
        self.clock = clock
        var started = Date()
        let store = try EventDatasets.openStore(config.eventsConfig, readers: readers)
        clock.timings.load = Date().timeIntervalSince(started)
        let splits = try TemporalSplits(params: config.dataParams, isRecommendation: false,
                                        firstEvent: store.timeRange?.lowerBound)
        guard let validationStart = splits.validationStart, let trainingMax = splits.trainingMaxSplit else {
            throw EventsError.predictionOnly
        }
        let seed = config.experiment.seed
        started = Date()
        let representation = try BehaviouralRepresentation.fit(store: store, params: config.representation,
                                                                until: validationStart, seed: seed)
        clock.timings.representation = Date().timeIntervalSince(started)
        started = Date()
        let itemRows = try ItemRows(store: store, representation: representation)
        let sampler = try SplitPointSampler(store: store, splits: splits, isItemEvent: itemRows.isItemEvent, seed: seed)
        let trainingSamples = sampler.trainingSamples(epoch: 0)
        guard !trainingSamples.samples.isEmpty else {
            throw EventsError.noSamples(split: "training", reason: "no entity has two events before training_max_split_date (\(TimestampParser.dayText(trainingMax))) followed by an item event (\(representation.itemColumn)) within check_target_for_next_N_days; move validation_start_date later or check data_start_date and representation.item_column")
        }
        let validationSamples = sampler.validationSamples()
        guard !validationSamples.samples.isEmpty else {
            throw EventsError.noSamples(split: "validation", reason: "no entity has history before validation_start_date and an item event (\(representation.itemColumn)) in the \(config.dataParams.checkTargetForNextNDays) days after it")
        }
        let layout = FeatureLayout(store: store, params: config.dataParams)
        // The inputs are the largest allocation of a run (samples × inputWidth floats, 1.8 GB for
        // 122 k samples of 3,590 inputs): built in one matrix and standardised in place, so no
        // raw copy stays alive next to the standardised one.
        var trainInputs = FoundationModel.rawInputs(layout: layout, representation: representation, store: store,
                                                    samples: trainingSamples.samples, dataStart: splits.dataStart)
        let scaler = FeatureScaler(fitting: trainInputs)
        scaler.apply(to: &trainInputs)
        func dataset(_ samples: PretrainingSamples, inputs: Tensor? = nil) -> TabularDataset {
            TabularDataset(features: inputs ?? FoundationModel.inputs(layout: layout, representation: representation, scaler: scaler,
                                                                      store: store, samples: samples.samples, dataStart: splits.dataStart),
                           targets: .floats(representation.targetSketches(store: store, samples: samples.samples,
                                                                         until: samples.targetEnds)),
                           ids: samples.samples.map { store.entityIDs[$0.entity] })
        }
        var data = TrainingData(train: dataset(trainingSamples, inputs: trainInputs), validation: dataset(validationSamples))
        data.resampleTrain = { epoch in
            let started = Date()
            defer { clock.timings.resampledInputs += Date().timeIntervalSince(started) }
            return dataset(sampler.trainingSamples(epoch: epoch))
        }
        clock.timings.firstInputs = Date().timeIntervalSince(started)

        let partitions = representation.partitions
        let foundation = config.foundation
        network = FoundationNetwork(inputSize: trainInputs.shape[1], hiddenLayers: foundation.hiddenLayers,
                                    dropout: foundation.dropout, outputSize: representation.sketchWidth, seed: seed,
                                    activation: foundation.activation, normalization: foundation.normalization)
        // The head starts at the log mean training sketch, so the first step already predicts the
        // baseline and training only has to learn what the history adds.
        if case .floats(let targets)? = data.train.targets, let bias = network.head.bias {
            bias.value = withoutGradients { targets.mean(axes: [0]).clamped(min: 1e-6).log() }.requiringGradient()
        }
        let window = splits.window(.validation)!
        let truth = validationSamples.samples.map {
            itemRows.items(store: store, entity: $0.entity, from: window.split, until: window.targetEnd)
        }
        let recall = NextItemRecall(k: foundation.topK, representation: representation, itemSets: truth)
        let trainer = try Trainer(config: config.trainerConfig, data: data, model: network, callbacks: callbacks,
                                  loss: { sketchCrossEntropy($0, targets: $1, partitions: partitions) },
                                  metrics: [recall], progress: progress)
        // `<run>/foundation/` is the model (`fit`); FledgeTrain's `model/` bundle could only
        // describe the network without its representation, features and scaler.
        trainer.savesModelBundle = false
        self.trainer = trainer
        baselineLoss = Self.meanSketchLoss(train: data.train, validation: data.validation!, partitions: partitions)
        self.store = store
        self.splits = splits
        self.representation = representation
        self.layout = layout
        self.scaler = scaler
        self.sampler = sampler
        self.trainingSamples = trainingSamples
        self.validationSamples = validationSamples
    }

    /// Trains, then writes the checkpoint `<run>/foundation/`.
    @discardableResult
    public func fit(resumeFrom: String? = nil) throws -> PretrainingResult {
        let start = Date(), resampledBefore = clock.timings.resampledInputs
        let result = try trainer.fit(resumeFrom: resumeFrom)
        clock.timings.training += Date().timeIntervalSince(start) - (clock.timings.resampledInputs - resampledBefore)
        var checkpoint: URL?
        if let run = result.runDirectory {
            let directory = run.appendingPathComponent(FoundationModel.directoryName)
            try model(validationMetrics: result.validationMetrics).save(to: directory)
            checkpoint = directory
        }
        return PretrainingResult(training: result, checkpoint: checkpoint, baselineLoss: baselineLoss,
                                 timings: timings, samplesPerEpoch: trainingSamples.samples.count)
    }

    /// The model as trained so far, with its description.
    public func model(validationMetrics: [String: Double] = [:]) -> FoundationModel {
        var metrics = validationMetrics
        metrics["val_baseline_loss"] = baselineLoss
        let description = FoundationDescription(
            config: config, layout: layout, scaler: scaler, dataStart: splits.dataStart,
            hiddenLayers: network.hiddenLayers, dropout: network.dropout, activation: network.activation,
            normalization: network.normalization, inputWidth: network.inputSize, featureCount: layout.count,
            outputWidth: representation.sketchWidth, partitions: representation.partitions,
            trainingMaxSplit: splits.trainingMaxSplit!, validationStart: splits.validationStart!,
            trainingSamples: trainingSamples.samples.count, validationSamples: validationSamples.samples.count,
            validationMetrics: metrics)
        return FoundationModel(description: description, representation: representation, network: network)
    }

    /// What was loaded, fitted and sampled, one line each.
    public var summaryLines: [String] {
        var lines = ["loaded \(store.eventCount) events of \(store.entityCount) entities from \(store.source)"] + store.report.lines
        lines.append("representation: \(representation.items.count) items of \(representation.itemColumn), "
            + "\(representation.embeddingDimension)-d embeddings, \(representation.partitions) × \(representation.buckets) sketch buckets, "
            + "fitted on events before \(TimestampParser.dayText(splits.validationStart!)) in \(Self.seconds(timings.representation))")
        lines.append("inputs: \(layout.count) features + \(representation.inputWidth) sketch values; targets: \(representation.sketchWidth) sketch buckets")
        var train = "train: \(trainingSamples.samples.count) samples per epoch (split points between events up to \(TimestampParser.dayText(splits.trainingMaxSplit!)), at most \(splits.maximumSplitPoints) per entity, redrawn each epoch)"
        if trainingSamples.entitiesWithoutSamples > 0 { train += "; \(trainingSamples.entitiesWithoutSamples) entities without a usable gap" }
        if trainingSamples.skippedWithoutItems > 0 { train += "; \(trainingSamples.skippedWithoutItems) gaps without an item event in the window skipped" }
        lines.append(train)
        let window = splits.window(.validation)!
        var validation = "validation: \(validationSamples.samples.count) samples (split \(TimestampParser.dayText(window.split)), target until \(TimestampParser.dayText(window.targetEnd)))"
        if validationSamples.entitiesWithoutSamples > 0 { validation += "; \(validationSamples.entitiesWithoutSamples) entities without history skipped" }
        if validationSamples.skippedWithoutItems > 0 { validation += "; \(validationSamples.skippedWithoutItems) without item events in the window skipped" }
        lines.append(validation)
        return lines
    }

    /// The validation sketch loss of predicting, for every sample, the mean training target sketch.
    static func meanSketchLoss(train: TabularDataset, validation: TabularDataset, partitions: Int) -> Double {
        guard case .floats(let trainTargets)? = train.targets, case .floats(let targets)? = validation.targets else { return .nan }
        return withoutGradients {
            let logits = trainTargets.mean(axes: [0]).clamped(min: 1e-12).log().reshaped([1, -1])
            var total = 0.0
            let batch = 1024
            for start in stride(from: 0, to: targets.shape[0], by: batch) {
                let end = min(start + batch, targets.shape[0])
                let expanded = logits.expanded(to: [end - start, logits.shape[1]])
                let part = targets.sliced(axis: 0, range: start..<end)
                total += Double(sketchCrossEntropy(expanded, targets: part, partitions: partitions).item) * Double(end - start)
            }
            return total / Double(max(1, targets.shape[0]))
        }
    }

    static func seconds(_ value: Double) -> String { String(format: "%.1f s", value) }
}

/// What `FoundationPretrainer.fit` returns.
public struct PretrainingResult: Sendable {
    /// FledgeTrain's result (steps, epochs, final validation metrics, run directory).
    public var training: TrainingResult
    /// The checkpoint folder `<run>/foundation/` (nil when the run wrote no files, e.g. fast_dev_run).
    public var checkpoint: URL?
    /// The validation sketch loss of the mean training sketch.
    public var baselineLoss: Double
    /// Where the time went.
    public var timings: PretrainingTimings
    /// Training samples per epoch.
    public var samplesPerEpoch: Int
}

/// Wall-clock seconds of each stage of pretraining.
public struct PretrainingTimings: Sendable, Equatable {
    /// Reading the sources into the event store.
    public var load = 0.0
    /// Fitting the representation (Cleora, EMDE partitions).
    public var representation = 0.0
    /// The first epoch's and validation's inputs and targets (features, sketches, scaler).
    public var firstInputs = 0.0
    /// The inputs and targets of the split points redrawn for later epochs.
    public var resampledInputs = 0.0
    /// The trainer's loop without the redrawn inputs: forward, backward, optimizer, validation, checkpoints.
    public var training = 0.0

    /// Every stage.
    public var total: Double { load + representation + firstInputs + resampledInputs + training }
}

/// The timings, updated from the per-epoch resampling closure the trainer holds.
private final class TimingsBox: @unchecked Sendable {
    var timings = PretrainingTimings()
}
