/// Decides whether a running trial should stop, from its intermediate values and the study's other trials.
public protocol Pruner: Sendable {
    /// Whether `trial`, which has just reported its value at `step`, should be pruned.
    /// `history` holds the study's other trials (any state).
    func shouldPrune(trial: TrialRecord, step: Int, history: [TrialRecord], direction: StudyDirection) -> Bool
}

/// Never prunes.
public struct NopPruner: Pruner {
    /// A pruner that lets every trial finish.
    public init() {}

    public func shouldPrune(trial: TrialRecord, step: Int, history: [TrialRecord], direction: StudyDirection) -> Bool { false }
}

/// Prunes a trial whose best intermediate value so far is worse than the median of the complete
/// trials' values at the same step (Optuna's `MedianPruner`).
///
/// Nothing is pruned before `nStartupTrials` trials are complete, before step `nWarmupSteps`, or at
/// a step that is not the first report within an `interval`-step window after the warm-up. A trial
/// whose value is NaN is pruned.
public struct MedianPruner: Pruner {
    /// Complete trials needed before pruning starts.
    public let nStartupTrials: Int
    /// Steps a trial runs before it may be pruned.
    public let nWarmupSteps: Int
    /// Pruning is checked once per this many steps.
    public let interval: Int

    /// A median pruner with Optuna's defaults.
    public init(nStartupTrials: Int = 5, nWarmupSteps: Int = 0, interval: Int = 1) {
        precondition(nStartupTrials >= 0 && nWarmupSteps >= 0 && interval >= 1, "MedianPruner: invalid settings")
        self.nStartupTrials = nStartupTrials
        self.nWarmupSteps = nWarmupSteps
        self.interval = interval
    }

    public func shouldPrune(trial: TrialRecord, step: Int, history: [TrialRecord], direction: StudyDirection) -> Bool {
        let complete = history.filter { $0.state == .complete && $0.id != trial.id }
        guard complete.count >= nStartupTrials, step >= nWarmupSteps else { return false }
        // Only the first report inside each interval window is checked (Optuna's `_is_first_in_interval_step`).
        let windowStart = (step - nWarmupSteps) / interval * interval + nWarmupSteps
        let previous = trial.intermediateValues.keys.filter { $0 < step }.max() ?? -1
        guard previous < windowStart else { return false }
        let own = trial.intermediateValues.values.filter { !$0.isNaN }.map(direction.minimizing)
        guard let best = own.min() else { return true }   // every value NaN
        let others = complete.compactMap { $0.intermediateValues[step] }.filter { !$0.isNaN }.map(direction.minimizing)
        guard !others.isEmpty else { return false }
        return best > Self.median(others)
    }

    /// The median (mean of the two middle values for an even count, as numpy's 50th percentile).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
