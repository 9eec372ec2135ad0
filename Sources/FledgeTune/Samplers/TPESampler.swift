import Foundation
import FledgeTensor

/// The tree-structured Parzen estimator, as Optuna's default `TPESampler` (univariate).
///
/// The first `nStartupTrials` trials sample at random. After that the finished trials are ranked
/// (complete ones by value, then pruned ones by how far they got and their last value) and split:
/// the best γ(n) = min(⌈0.1·n⌉, 25) form "below", the rest "above". For each parameter independently
/// a Parzen estimator l(x) is fitted on the below trials' values and g(x) on the above ones';
/// `nEICandidates` candidates are drawn from l and the one maximising l(x)/g(x) is taken.
/// Conditional parameters use only the trials in which they were active.
public struct TPESampler: Sampler {
    /// The seed every trial's draws derive from.
    public let seed: UInt64
    /// Random trials before TPE starts.
    public let nStartupTrials: Int
    /// Candidates drawn from l(x) per parameter.
    public let nEICandidates: Int
    /// The prior kernel's weight.
    public let priorWeight: Double

    /// A TPE sampler with Optuna's defaults.
    public init(seed: UInt64, nStartupTrials: Int = 10, nEICandidates: Int = 24, priorWeight: Double = 1) {
        self.seed = seed
        self.nStartupTrials = nStartupTrials
        self.nEICandidates = nEICandidates
        self.priorWeight = priorWeight
    }

    /// Optuna's `default_gamma`: how many of n ranked trials form the "below" (good) group.
    static func gamma(_ n: Int) -> Int { min(Int((0.1 * Double(n)).rounded(.up)), 25) }

    /// Finished trials best first: complete by value, then pruned by last step (later first) and value.
    static func ranked(_ history: [TrialRecord], direction: StudyDirection) -> [TrialRecord] {
        let complete = history.filter { $0.state == .complete && ($0.value?.isFinite ?? false) }
            .sorted { direction.minimizing($0.value!) < direction.minimizing($1.value!) }
        let pruned = history.compactMap { trial -> (TrialRecord, Int, Double)? in
            guard trial.state == .pruned, let step = trial.intermediateValues.keys.max(),
                  let value = trial.intermediateValues[step], value.isFinite else { return nil }
            return (trial, step, direction.minimizing(value))
        }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.2 < $1.2 }.map(\.0)
        return complete + pruned
    }

    public func sample(space: SearchSpace, trialNumber number: Int, history: [TrialRecord], direction: StudyDirection) -> [String: Double] {
        let ranked = Self.ranked(history, direction: direction)
        guard ranked.count >= max(nStartupTrials, 1) else {
            return RandomSampler(seed: seed).sample(space: space, trialNumber: number, history: history, direction: direction)
        }
        let nBelow = Self.gamma(ranked.count)
        let below = ranked.prefix(nBelow).sorted { $0.number < $1.number }
        let above = ranked.dropFirst(nBelow).sorted { $0.number < $1.number }
        var params: [String: Double] = [:]
        for parameter in space.parameters where space.isActive(parameter, given: params) {
            var rng = SeededGenerator.forTrial(seed: seed, trial: number, parameter: parameter.name)
            let d = parameter.distribution
            let lowObs = below.compactMap { $0.params[parameter.name] }.filter(d.contains).map(d.continuous)
            let highObs = above.compactMap { $0.params[parameter.name] }.filter(d.contains).map(d.continuous)
            let l = ParzenEstimator(observations: lowObs, distribution: d, priorWeight: priorWeight)
            let g = ParzenEstimator(observations: highObs, distribution: d, priorWeight: priorWeight)
            var best = l.sample(using: &rng), bestScore = -Double.infinity
            for _ in 0..<nEICandidates {
                let x = l.sample(using: &rng)
                let score = l.logDensity(x) - g.logDensity(x)
                if score > bestScore { best = x; bestScore = score }
            }
            params[parameter.name] = d.choiceCount != nil ? best : d.value(fromContinuous: best)
        }
        return params
    }
}
