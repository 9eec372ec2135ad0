import FledgeData
import FledgeMetrics
import FledgeNN
import FledgeOptim
import FledgeTensor
import Foundation

/// Trains a model on tabular data as the config says: the loop, validation, callbacks,
/// checkpoints and exact resume (Lightning's `Trainer`, Hugging Face's `Trainer`).
///
/// ```swift
/// let trainer = try Trainer(config: FledgeConfig.load(path: "config.yaml", overrides: []))
/// let result = try trainer.fit()
/// let test = try trainer.evaluate(split: .test)
/// ```
/// The loop itself lives in `Trainer+Loop.swift`, validation in `Trainer+Validation.swift`,
/// checkpoint writing and resuming in `Trainer+Checkpoints.swift`.
public final class Trainer {
    /// Computes the loss from the model's outputs and the batch targets.
    public typealias LossFunction = (_ logits: Tensor, _ targets: Targets) -> Tensor

    /// The resolved configuration.
    public let config: FledgeConfig
    /// The model being trained.
    public let model: any Layer
    /// The optimizer updating `model`'s parameters.
    public let optimizer: Optimizer
    /// The learning-rate scheduler, if any.
    public let scheduler: LRScheduler?
    /// When `scheduler` steps (metric-driven schedules step after each validation instead).
    public let schedulerInterval: SchedulerInterval
    /// The callbacks, called in this order at every hook.
    public private(set) var callbacks: [any Callback]
    /// Where training is; callbacks read it and set `shouldStop`.
    public var state = TrainerState()
    /// The preprocessed splits.
    public let data: TrainingData
    /// The run directory (set by `fit`; nil before and for fast_dev_run).
    public internal(set) var runDirectory: RunDirectory?
    /// The task the run trains, which decides how targets are compared with outputs.
    public let task: TaskKind
    /// The data-parallel backend (FledgeDistributed's `DataParallel`), or nil for one process.
    /// Set it before `fit`; rank 0 alone writes files (`Trainer+DataParallel.swift`).
    public var synchronizer: (any GradientSynchronizer)?
    /// Whether `fit` writes the final model bundle `<run>/model/` (`FledgeModel`). Set it to false
    /// before `fit` when the caller saves the model in its own format (pretraining writes
    /// `<run>/foundation/`), so the run has no bundle that describes a different model.
    public var savesModelBundle = true

    let loss: LossFunction
    let scores: (Tensor) -> Tensor
    let metrics: [any Metric]
    var plan: TrainingPlan
    /// The checkpoint written most recently, named in the non-finite-loss message.
    var lastCheckpoint: URL?
    /// Set while fit() runs, so samples/s covers training time only.
    var stepClock = StepClock()
    /// Batches whose gradients are summed but not yet applied (always 0 at a checkpoint).
    var accumulatedBatches = 0
    /// Training losses since the last training log entry.
    var windowLoss: (sum: Double, count: Int) = (0, 0)
    /// The step of the last validation, so a final one is not repeated.
    var lastValidatedStep: Int?

    /// Creates a trainer from its parts; the other initialisers build these from the config. The
    /// model is set to `config.training.precision` (`Module.setPrecision`).
    public init(
        config: FledgeConfig, data: TrainingData, model: any Layer, task: TaskKind,
        optimizer: Optimizer, scheduler: LRScheduler? = nil, schedulerInterval: SchedulerInterval = .step,
        loss: @escaping LossFunction, scores: @escaping (Tensor) -> Tensor,
        metrics: [any Metric], callbacks: [any Callback]
    ) throws {
        self.config = config
        self.data = data
        self.model = model
        model.setPrecision(config.training.precision)
        self.task = task
        self.optimizer = optimizer
        self.scheduler = scheduler
        self.schedulerInterval = schedulerInterval
        self.loss = loss
        self.scores = scores
        self.metrics = metrics
        self.callbacks = callbacks
        self.plan = try TrainingPlan(config: config.training, data: data)
        let keys = callbacks.compactMap(\.stateKey)
        guard Set(keys).count == keys.count else {
            throw TrainerError.invalidSetup("two callbacks share a stateKey (\(keys.sorted())); give each a distinct key")
        }
        state.monitor = Monitor.normalized(config.training.metricToMonitor)
        state.monitorMode = config.training.metricMode ?? .inferred(forMetric: state.monitor)
    }

    /// Adds a callback after those given at creation.
    public func addCallback(_ callback: any Callback) { callbacks.append(callback) }

    /// Removes the callbacks `predicate` picks, e.g. a standard one a run does not want
    /// (`trainer.removeCallbacks { $0 is RunReportWriter }`); call it before `fit`.
    public func removeCallbacks(where predicate: (any Callback) -> Bool) { callbacks.removeAll(where: predicate) }

    /// The loader of the training batches, with the config's batch size, shuffling and seed.
    var trainLoader: DataLoader { loader(over: trainingDataset) }

    /// The loader of `epoch`'s training batches: over the rows `data.resampleTrain` draws for it, if set.
    func trainLoader(epoch: Int) throws -> DataLoader {
        guard epoch > 0, let resample = data.resampleTrain,
              TrainingPlan.overfitRows(config.training, data: data) == nil else { return trainLoader }
        let rows = try resample(epoch)
        guard rows.count == data.train.count, rows.featureCount == data.train.featureCount else {
            throw TrainerError.invalidSetup("the training rows drawn for epoch \(epoch + 1) are \(rows.count) × \(rows.featureCount), not \(data.train.count) × \(data.train.featureCount) like the first epoch's; TrainingData.resampleTrain must keep the shape")
        }
        return loader(over: rows)
    }

    private func loader(over dataset: TabularDataset) -> DataLoader {
        DataLoader(dataset: dataset, batchSize: config.training.batchSize,
                   shuffle: config.training.shuffle && TrainingPlan.overfitRows(config.training, data: data) == nil,
                   dropLast: config.training.dropLast, seed: config.experiment.seed, sampler: distributedSampler)
    }

    /// The rows training uses: all training rows, or the first `overfit_batches` batches.
    var trainingDataset: TabularDataset {
        guard let rows = TrainingPlan.overfitRows(config.training, data: data) else { return data.train }
        return data.train.subset(Array(0..<rows))
    }

    /// Runs training to its end (epochs, max_steps, early stop) and saves the final model.
    ///
    /// - Parameter resumeFrom: `"last"` or a checkpoint directory to continue exactly from.
    @discardableResult
    public func fit(resumeFrom: String? = nil) throws -> TrainingResult {
        // Deterministic mode runs every kernel on one thread, so a GEMM's summation order and
        // hence every bit of the result is the same on machines with any number of cores.
        let deterministic = config.experiment.deterministic
        let threads = Threading.threadCount
        if deterministic { Threading.setThreadCount(1) }
        defer { if deterministic { Threading.setThreadCount(threads) } }
        try openRun(resumeFrom: resumeFrom)
        if let resumeFrom { try resume(from: resumeFrom) } else { startFresh() }
        startDataParallel()
        state.shouldStop = false
        state.stopReason = nil
        for callback in callbacks { callback.onFitStart(self) }
        do {
            try runLoop()
            if config.training.loadBestModelAtEnd, let best = state.bestCheckpoint {
                try Checkpoint.read(from: URL(fileURLWithPath: best)).restore(model: model, optimizer: nil)
                // The result reports the model the run ends with: measure the restored one.
                if let dataset = validationDataset {
                    let measured = try measure(dataset, batchLimit: plan.validationBatches)
                    state.validationMetrics = Dictionary(uniqueKeysWithValues: measured.map { ("val_" + $0.key, $0.value) })
                }
            }
            if plan.writesFiles, savesModelBundle, isPrimaryRank, let runDirectory { try saveModelBundle(to: runDirectory.modelDirectory) }
        } catch {
            failDataParallel(error)
            for callback in callbacks { callback.onException(self, error: error) }
            throw error
        }
        for callback in callbacks { callback.onFitEnd(self) }
        return TrainingResult(
            globalStep: state.globalStep, epochs: state.epoch + (state.epochFinished ? 1 : 0),
            bestMetric: state.bestMetric, monitor: state.monitor, validationMetrics: state.validationMetrics,
            stopReason: state.stopReason, runDirectory: runDirectory?.root, bestCheckpoint: state.bestCheckpoint)
    }

    /// Chooses and prepares the run directory: the resumed checkpoint's run, or the config's.
    private func openRun(resumeFrom: String?) throws {
        guard plan.writesFiles else {
            runDirectory = nil
            return
        }
        let experiment = config.experiment
        if let resumeFrom, resumeFrom != "last" {
            runDirectory = RunDirectory.containing(checkpoint: URL(fileURLWithPath: resumeFrom))
        } else if resumeFrom == "last", experiment.runId == nil,
                  let latest = RunDirectory.latestResumable(in: experiment.experimentDir) {
            runDirectory = latest
        } else {
            runDirectory = RunDirectory.make(experimentDirectory: experiment.experimentDir,
                                             name: experiment.name, runID: experiment.runId)
        }
        // Other ranks only read (a checkpoint to resume); rank 0 creates and writes the run.
        guard isPrimaryRank else {
            if resumeFrom == nil { runDirectory = nil }
            return
        }
        do {
            try runDirectory?.prepare(configYAML: config.resolvedYAML())
            // The yardstick for `TrainingDiagnosis`: what a model ignoring its inputs would score.
            // Best effort (non-finite labels cannot be JSON): a missing baseline only skips the underfitting rule.
            if let runDirectory, let targets = data.train.targets {
                try? TrainingBaseline(targets: targets, task: task)
                    .write(to: runDirectory.root.appendingPathComponent(TrainingBaseline.fileName))
            }
        } catch {
            throw TrainerError.invalidSetup(
                "cannot create the run directory \(runDirectory?.root.path ?? "") (\(error.localizedDescription)); check experiment.experiment_dir")
        }
    }

    /// Resets the state for a run from step 0.
    private func startFresh() {
        let monitor = state.monitor, mode = state.monitorMode
        state = TrainerState()
        state.monitor = monitor
        state.monitorMode = mode
        applyPlanToState()
    }

    func applyPlanToState() {
        state.batchesPerEpoch = plan.trainBatches
        state.maxEpochs = plan.maxEpochs
        state.maxSteps = plan.maxSteps
    }
}

/// Measures samples per second between log entries.
struct StepClock {
    var start = Date()
    var samples = 0

    /// Samples per second since the last reset, then resets.
    mutating func lap() -> Double {
        let elapsed = Date().timeIntervalSince(start)
        defer { start = Date(); samples = 0 }
        return elapsed > 0 ? Double(samples) / elapsed : 0
    }
}
