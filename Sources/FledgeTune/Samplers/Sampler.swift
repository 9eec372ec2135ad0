import FledgeTensor

/// Chooses the parameters of a new trial from the study's history.
///
/// Samplers are pure functions of (sampler seed, trial number, history): each trial's random
/// numbers come from a generator derived from the seed and the trial number (and parameter name),
/// so a study gives the same trials whether one worker runs it or several do (given the same
/// history at each start).
public protocol Sampler: Sendable {
    /// The stored values for trial `number`: every active parameter of `space`.
    func sample(space: SearchSpace, trialNumber number: Int, history: [TrialRecord], direction: StudyDirection) -> [String: Double]
}

extension SeededGenerator {
    /// A uniform Double in [0, 1) with 53 random bits.
    mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// The generator of one trial's draws for one parameter.
    static func forTrial(seed: UInt64, trial: Int, parameter: String) -> SeededGenerator {
        SeededGenerator(seed: StableHash.seed(seed, trial: trial, parameter: parameter))
    }
}

/// Samples every parameter independently and uniformly (log-uniformly for `log: true`).
public struct RandomSampler: Sampler {
    /// The seed every trial's draws derive from.
    public let seed: UInt64

    /// A random sampler.
    public init(seed: UInt64) { self.seed = seed }

    public func sample(space: SearchSpace, trialNumber number: Int, history: [TrialRecord], direction: StudyDirection) -> [String: Double] {
        var params: [String: Double] = [:]
        for parameter in space.parameters where space.isActive(parameter, given: params) {
            var rng = SeededGenerator.forTrial(seed: seed, trial: number, parameter: parameter.name)
            params[parameter.name] = Self.draw(parameter.distribution, using: &rng)
        }
        return params
    }

    /// One uniform draw from `distribution` (in its continuous space, then snapped).
    static func draw(_ distribution: Distribution, using rng: inout SeededGenerator) -> Double {
        if let count = distribution.choiceCount { return Double(Int(rng.nextDouble() * Double(count))) }
        let (low, high) = distribution.continuousBounds
        return distribution.value(fromContinuous: low + (high - low) * rng.nextDouble())
    }
}
