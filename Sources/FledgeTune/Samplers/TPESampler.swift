import Foundation
import FledgeTensor

/// The tree-structured Parzen estimator, as Optuna's default `TPESampler`.
///
/// The first `nStartupTrials` trials sample at random. After that the finished trials are ranked
/// (complete ones by value, then pruned ones by how far they got and their last value) and split:
/// the best γ(n) = min(⌈0.1·n⌉, 25) form "below", the rest "above" (plus trials still running on
/// other workers: Optuna's `constant_liar`). A Parzen estimator l(x) is fitted on the below trials
/// and g(x) on the above ones; `nEICandidates` candidates are drawn from l and the one maximising
/// l(x)/g(x) is taken. With `multivariate` (Optuna's default for one objective since 5.0) the
/// unconditional parameters share one estimator whose kernels span all of them; otherwise, and for
/// conditional parameters (fitted on the trials in which they were active), each parameter has its own.
public struct TPESampler: Sampler {
    /// The seed every trial's draws derive from.
    public let seed: UInt64
    /// Random trials before TPE starts.
    public let nStartupTrials: Int
    /// Candidates drawn from l(x) per estimator.
    public let nEICandidates: Int
    /// The prior kernel's weight.
    public let priorWeight: Double
    /// One joint estimator for the unconditional parameters (true) or one per parameter.
    public let multivariate: Bool

    /// A TPE sampler with Optuna's defaults.
    public init(seed: UInt64, nStartupTrials: Int = 10, nEICandidates: Int = 24, priorWeight: Double = 1, multivariate: Bool = true) {
        self.seed = seed
        self.nStartupTrials = nStartupTrials
        self.nEICandidates = nEICandidates
        self.priorWeight = priorWeight
        self.multivariate = multivariate
    }

    /// Optuna's `default_gamma`: how many of n ranked trials form the "below" (good) group.
    static func gamma(_ n: Int) -> Int { min(Int((0.1 * Double(n)).rounded(.up)), 25) }

    /// Finished trials best first: complete by value, then pruned by last step (later first) and value.
    static func ranked(_ history: [TrialRecord], direction: StudyDirection) -> [TrialRecord] {
        let finished: [TrialRecord] = history.filter { $0.state == .complete && ($0.value?.isFinite ?? false) }
        let keyed: [(trial: TrialRecord, key: Double)] = finished.map { (trial: $0, key: direction.minimizing($0.value!)) }
        let complete: [TrialRecord] = keyed.sorted { a, b in
            a.key != b.key ? a.key < b.key : a.trial.number < b.trial.number
        }.map(\.trial)
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
        let running = history.filter { $0.state == .running && $0.number != number && !$0.params.isEmpty }
        let above = (ranked.dropFirst(nBelow) + running).sorted { $0.number < $1.number }
        var params: [String: Double] = [:]
        let unconditional = space.parameters.filter { $0.condition == nil }
        var groups: [[SearchParameter]] = multivariate && !unconditional.isEmpty ? [unconditional] : unconditional.map { [$0] }
        groups += space.parameters.filter { $0.condition != nil }.map { [$0] }
        for group in groups where group.allSatisfy({ space.isActive($0, given: params) }) {
            var rng = SeededGenerator.forTrial(seed: seed, trial: number, parameter: group.map(\.name).joined(separator: ","))
            let chosen = choose(group, below: below, above: above, using: &rng)
            for (parameter, value) in zip(group, chosen) { params[parameter.name] = value }
        }
        return params
    }

    /// The candidate from l with the best l/g ratio, for the parameters of one estimator.
    private func choose(_ group: [SearchParameter], below: [TrialRecord], above: [TrialRecord], using rng: inout SeededGenerator) -> [Double] {
        let distributions = group.map(\.distribution)
        func observations(_ trials: [TrialRecord]) -> [[Double]] {
            trials.compactMap { trial in
                let row = group.compactMap { p in trial.params[p.name].flatMap { p.distribution.contains($0) ? $0 : nil } }
                return row.count == group.count ? row : nil
            }
        }
        let l = ParzenEstimator(observations: observations(below), distributions: distributions, priorWeight: priorWeight)
        let g = ParzenEstimator(observations: observations(above), distributions: distributions, priorWeight: priorWeight)
        let candidates = (0..<max(nEICandidates, 1)).map { _ in l.sample(using: &rng) }
        let scores = zip(l.logDensities(candidates), g.logDensities(candidates)).map { $0 - $1 }
        var best = 0
        for i in scores.indices where scores[i] > scores[best] { best = i }
        return candidates[best]
    }
}
