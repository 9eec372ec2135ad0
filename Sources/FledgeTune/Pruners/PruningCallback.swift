import Foundation
import FledgeTrain

/// The trainer callback that feeds a trial: after each validation check it reports the monitored
/// metric to the study (at the trainer's global step), keeps the best value seen, and stops
/// training when the study's pruner says so (as Optuna's `PyTorchLightningPruningCallback`).
public final class PruningCallback: Callback {
    /// The trial being trained.
    public let trial: Trial
    /// The logged metric reported (`val_loss`, `val_accuracy`).
    public let metric: String
    /// The study's direction (which value is the best).
    public let direction: StudyDirection
    /// The best value of `metric` over the validation checks so far.
    public private(set) var bestValue: Double?
    /// Set when the pruner stopped the trial: why.
    public private(set) var prunedReason: String?
    /// Set when the metric was absent from a validation (a typo in tune.metric).
    public private(set) var missingMetric: [String]?

    /// A callback reporting `metric` for `trial`.
    public init(trial: Trial, metric: String, direction: StudyDirection) {
        self.trial = trial
        self.metric = Monitor.normalized(metric)
        self.direction = direction
    }

    public func onValidationEnd(_ trainer: Trainer, metrics: [String: Double]) {
        guard let value = metrics[metric] else {
            missingMetric = metrics.keys.sorted()
            trainer.state.shouldStop = true
            trainer.state.stopReason = "tune.metric \(metric) is not among the validation metrics"
            return
        }
        if value.isFinite, bestValue.map({ direction.isBetter(value, than: $0) }) ?? true { bestValue = value }
        let step = trainer.state.globalStep
        do {
            try trial.report(value, step: step)
            if try trial.shouldPrune() {
                prunedReason = "pruned at step \(step) (\(metric) \(value))"
                trainer.state.shouldStop = true
                trainer.state.stopReason = prunedReason
            }
        } catch {
            // The study database is unreachable: keep training; the result is recorded at the end or the trial re-queued.
        }
    }
}
