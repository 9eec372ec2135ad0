/// Stops training when the monitored value stops improving (Lightning's `EarlyStopping`).
///
/// Patience counts validation checks, not epochs: with `eval_strategy: steps` each validation
/// is one check. It also stops at once when the value is NaN/inf (`checkFinite`) or worse than
/// `divergenceThreshold`. Checks made within the first `startFromStep` optimizer steps (a warm-up,
/// e.g. a fine-tuning warm start that trains only the head) neither set the best value nor use up patience.
public final class EarlyStopping: Callback {
    /// The logged value watched (`val_loss`, `val_accuracy`); nil means the trainer's monitor.
    public let monitor: String?
    /// Whether the value should go down or up; nil means the trainer's mode for the monitor.
    public let mode: MetricMode?
    /// Validation checks without improvement tolerated before stopping.
    public let patience: Int
    /// The smallest change that counts as an improvement.
    public let minDelta: Double
    /// Stop when the value is NaN or infinite.
    public let checkFinite: Bool
    /// Stop when the value is worse than this (e.g. a loss above 10).
    public let divergenceThreshold: Double?
    /// Checks made within this many optimizer steps only watch for NaN and divergence.
    public let startFromStep: Int

    /// The best value so far.
    public private(set) var best: Double?
    /// Checks since the last improvement.
    public private(set) var wait = 0
    /// The step at which this callback stopped training, if it did.
    public private(set) var stoppedAtStep: Int?

    /// Creates the callback.
    public init(monitor: String? = nil, mode: MetricMode? = nil, patience: Int = 3, minDelta: Double = 0,
                checkFinite: Bool = true, divergenceThreshold: Double? = nil, startFromStep: Int = 0) {
        precondition(patience >= 0, "EarlyStopping: patience \(patience) is negative")
        precondition(startFromStep >= 0, "EarlyStopping: startFromStep \(startFromStep) is negative")
        self.monitor = monitor.map(Monitor.normalized)
        self.mode = mode
        self.patience = patience
        self.minDelta = Swift.abs(minDelta)
        self.checkFinite = checkFinite
        self.divergenceThreshold = divergenceThreshold
        self.startFromStep = startFromStep
    }

    public func onValidationEnd(_ trainer: Trainer, metrics: [String: Double]) {
        let name = monitor ?? trainer.state.monitor
        let mode = self.mode ?? (monitor == nil ? trainer.state.monitorMode : MetricMode.inferred(forMetric: name))
        guard let value = metrics[name] else {
            stop(trainer, reason: "early stopping: \(name) is not measured (have \(metrics.keys.sorted().joined(separator: ", ")))")
            return
        }
        if checkFinite && !value.isFinite {
            stop(trainer, reason: "early stopping: \(name) is \(value)")
            return
        }
        if let threshold = divergenceThreshold,
           (mode == .min && value > threshold) || (mode == .max && value < threshold) {
            stop(trainer, reason: "early stopping: \(name) = \(value) crossed the divergence threshold \(threshold)")
            return
        }
        guard startFromStep == 0 || trainer.state.globalStep > startFromStep else { return }
        if mode.isImprovement(value, over: best, minDelta: minDelta) {
            best = value
            wait = 0
        } else {
            wait += 1
            if wait >= patience {
                stop(trainer, reason: "early stopping: \(name) did not improve for \(wait) validation checks (best \(best.map { "\($0)" } ?? "none"))")
            }
        }
    }

    private func stop(_ trainer: Trainer, reason: String) {
        trainer.state.shouldStop = true
        trainer.state.stopReason = reason
        stoppedAtStep = trainer.state.globalStep
    }

    public var stateKey: String? { "early_stopping" }

    public func stateDict() -> [String: CallbackStateValue] {
        var result: [String: CallbackStateValue] = ["wait": .number(Double(wait))]
        if let best { result["best"] = .number(best) }
        return result
    }

    public func loadState(_ state: [String: CallbackStateValue]) throws {
        wait = Int(state["wait"]?.number ?? 0)
        best = state["best"]?.number
    }
}
