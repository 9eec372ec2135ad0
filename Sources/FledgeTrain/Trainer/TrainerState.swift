import Foundation

/// One line of the training log (`metrics.jsonl`): where training was and the values measured.
public struct LogEntry: Codable, Equatable, Sendable {
    /// Optimizer steps taken.
    public var step: Int
    /// The epoch (1-based in logs, as people count).
    public var epoch: Int
    /// The first group's learning rate.
    public var learningRate: Double
    /// `train_loss`, `val_loss`, `val_<metric>`, `samples_per_second`, ...
    public var values: [String: Double]

    /// Creates an entry.
    public init(step: Int, epoch: Int, learningRate: Double, values: [String: Double]) {
        self.step = step
        self.epoch = epoch
        self.learningRate = learningRate
        self.values = values
    }

    /// The entry as one JSON object with flat keys: step, epoch, lr and the values.
    public func jsonLine() -> String {
        var parts = ["\"step\":\(step)", "\"epoch\":\(epoch)", "\"lr\":\(Self.number(learningRate))"]
        for key in values.keys.sorted() { parts.append("\"\(key)\":\(Self.number(values[key]!))") }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// JSON has no NaN or infinity: those become null.
    private static func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }
}

/// Where training is and what callbacks decided: the trainer's mutable state, visible to callbacks.
public struct TrainerState: Sendable {
    /// Optimizer steps taken so far.
    public var globalStep = 0
    /// The epoch in progress (0-based).
    public var epoch = 0
    /// Batches of the current epoch consumed so far (the index of the batch being trained in
    /// `onTrainBatchStart`).
    public var batchInEpoch = 0
    /// True once the current epoch's end-of-epoch work is done.
    public var epochFinished = false
    /// Batches each epoch trains on (after `limit_train_batches`).
    public var batchesPerEpoch = 0
    /// The number of epochs planned, or nil when `max_steps` bounds training.
    public var maxEpochs: Int?
    /// The number of optimizer steps planned.
    public var maxSteps = 0
    /// Set by a callback (e.g. early stopping) to end training after the current batch.
    public var shouldStop = false
    /// Why training stopped early, for the log and the result.
    public var stopReason: String?
    /// The monitored value's logged name (`val_loss`, `val_accuracy`).
    public var monitor = "val_loss"
    /// Whether the monitored value should go down or up.
    public var monitorMode = MetricMode.min
    /// The best monitored value seen at a validation.
    public var bestMetric: Double?
    /// The checkpoint holding the best model (if ModelCheckpoint saved one).
    public var bestCheckpoint: String?
    /// The loss of the last batch (unscaled by accumulation).
    public var lastLoss: Double = .nan
    /// True when the last batch ended an accumulation cycle with an optimizer step.
    public var optimizerStepped = false
    /// Sum and count of this epoch's batch losses (their mean is logged as `train_loss`).
    public var epochLossSum: Double = 0
    /// Batches counted in `epochLossSum`.
    public var epochLossCount = 0
    /// The metrics of the last validation.
    public var validationMetrics: [String: Double] = [:]
    /// Every log entry so far (also written to `metrics.jsonl` by MetricsLogger).
    public var logHistory: [LogEntry] = []
    /// Values callbacks add to the next log entry (e.g. LearningRateMonitor's per-group rates).
    public var pendingLogValues: [String: Double] = [:]

    /// Creates the state of a run that has not started.
    public init() {}

    /// The mean training loss of the current epoch so far.
    public var epochTrainLoss: Double { epochLossCount > 0 ? epochLossSum / Double(epochLossCount) : .nan }
}
