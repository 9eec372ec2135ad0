import Foundation

/// Asynchronous successive halving (ASHA, Optuna's `SuccessiveHalvingPruner`).
///
/// Rung r sits at step `minResource · reductionFactor^(minEarlyStoppingRate + r)`. When a trial
/// reaches a rung, its value there is compared with the values of every trial that reached that
/// rung before: it continues only if it is among the best 1/`reductionFactor` of them (among the
/// first `reductionFactor` − 1 arrivals, only if it is the best so far). Optuna keeps each trial's
/// rung values as attributes; here they are recomputed from intermediate values: a trial's value at
/// a rung is its first report at or after the rung's step.
public struct SuccessiveHalvingPruner: Pruner {
    /// The step of the first rung.
    public let minResource: Int
    /// How much later each rung is, and the fraction (1/factor) promoted.
    public let reductionFactor: Int
    /// Rungs skipped at the start.
    public let minEarlyStoppingRate: Int

    /// An ASHA pruner.
    public init(minResource: Int = 1, reductionFactor: Int = 3, minEarlyStoppingRate: Int = 0) {
        precondition(minResource >= 1 && reductionFactor >= 2 && minEarlyStoppingRate >= 0, "SuccessiveHalvingPruner: invalid settings")
        self.minResource = minResource
        self.reductionFactor = reductionFactor
        self.minEarlyStoppingRate = minEarlyStoppingRate
    }

    /// The step of rung `rung`.
    public func rungStep(_ rung: Int) -> Int {
        var step = minResource
        for _ in 0..<(minEarlyStoppingRate + rung) { step *= reductionFactor }
        return step
    }

    /// A trial's value at a rung: its first report at or after the rung's step, up to `limit`.
    private func value(of trial: TrialRecord, atRung rung: Int, upTo limit: Int) -> Double? {
        let step = rungStep(rung)
        guard let first = trial.intermediateValues.keys.filter({ $0 >= step && $0 <= limit }).min() else { return nil }
        return trial.intermediateValues[first]
    }

    public func shouldPrune(trial: TrialRecord, step: Int, history: [TrialRecord], direction: StudyDirection) -> Bool {
        guard let value = trial.intermediateValues[step] else { return false }
        let previous = trial.intermediateValues.keys.filter { $0 < step }.max() ?? 0
        var rung = 0
        while rungStep(rung) <= previous { rung += 1 }   // rungs already passed at earlier reports
        while step >= rungStep(rung) {
            if value.isNaN { return true }
            var competing = history.filter { $0.id != trial.id }
                .compactMap { self.value(of: $0, atRung: rung, upTo: Int.max) }.filter { !$0.isNaN }
                .map(direction.minimizing)
            competing.append(direction.minimizing(value))
            competing.sort()
            let promotable = max(competing.count / reductionFactor - 1, 0)
            if direction.minimizing(value) > competing[promotable] { return true }
            rung += 1
        }
        return false
    }
}
