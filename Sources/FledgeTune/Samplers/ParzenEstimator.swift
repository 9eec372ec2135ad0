import Foundation
import FledgeTensor

/// A one-dimensional Parzen (kernel density) estimator as Optuna's TPE builds it: one kernel per
/// observation plus a prior kernel, weighted by recency.
///
/// Numerical parameters get truncated Gaussian kernels on [low, high] of the continuous space (log
/// space for log parameters) whose widths are the larger gap to their sorted neighbours, clipped to
/// [(high − low) / min(100, 1 + kernels), high − low] ("magic clip"); the prior kernel sits at the
/// middle with width high − low. Categorical parameters get one distribution per observation that
/// puts weight 1 on the observed choice plus prior_weight / choices on every choice.
struct ParzenEstimator {
    private let weights: [Double]      // mixture weights, summing to 1 (observations, then the prior)
    private let mus: [Double]
    private let sigmas: [Double]
    private let low: Double, high: Double
    private let choiceProbabilities: [Double]?   // categorical: the mixture's probability of each choice

    /// Optuna's `default_weights`: 1 for the newest 25 observations, a ramp from 1/n to 1 before them.
    static func recencyWeights(_ n: Int) -> [Double] {
        guard n >= 25 else { return Array(repeating: 1, count: n) }
        let ramp = n - 25
        let start = 1.0 / Double(n)
        let rampWeights: [Double] = (0..<ramp).map { i in
            ramp == 1 ? start : start + (1 - start) * Double(i) / Double(ramp - 1)
        }
        return rampWeights + Array(repeating: 1, count: 25)
    }

    /// An estimator over `observations` (in the continuous space, ordered oldest first).
    init(observations: [Double], distribution: Distribution, priorWeight: Double = 1) {
        var w = Self.recencyWeights(observations.count) + [priorWeight]
        let total = w.reduce(0, +)
        w = w.map { $0 / total }
        weights = w
        (low, high) = distribution.continuousBounds
        if let count = distribution.choiceCount {
            var probabilities = Array(repeating: 0.0, count: count)
            let base = priorWeight / Double(count)
            for (k, weight) in w.enumerated() {
                let observed = k < observations.count ? Int(observations[k]) : nil
                let rowTotal = base * Double(count) + (observed != nil ? 1 : 0)
                for c in 0..<count {
                    probabilities[c] += weight * (base + (c == observed ? 1 : 0)) / rowTotal
                }
            }
            choiceProbabilities = probabilities
            mus = []
            sigmas = []
            return
        }
        choiceProbabilities = nil
        var centres = observations
        centres.append((low + high) / 2)
        let order = centres.indices.sorted { centres[$0] < centres[$1] }
        let sorted = order.map { centres[$0] }
        let points = [low] + sorted + [high]
        var sortedSigmas: [Double] = []
        for i in 1..<(points.count - 1) {
            let left: Double = points[i] - points[i - 1]
            let right: Double = points[i + 1] - points[i]
            sortedSigmas.append(max(left, right))
        }
        if sorted.count >= 2 {   // consider_endpoints = False: the outermost kernels ignore the bounds
            sortedSigmas[0] = sorted[1] - sorted[0]
            sortedSigmas[sorted.count - 1] = sorted[sorted.count - 1] - sorted[sorted.count - 2]
        }
        var s = Array(repeating: 0.0, count: centres.count)
        for (rank, index) in order.enumerated() { s[index] = sortedSigmas[rank] }
        let maxSigma = high - low
        let minSigma = (high - low) / min(100, Double(1 + centres.count))
        s = s.map { min(max($0, minSigma), maxSigma) }
        s[s.count - 1] = high - low   // the prior's width
        mus = centres
        sigmas = s.map { max($0, 1e-12) }
    }

    /// One draw from the mixture.
    func sample(using rng: inout SeededGenerator) -> Double {
        if let p = choiceProbabilities {
            var u = rng.nextDouble()
            for (c, probability) in p.enumerated() {
                u -= probability
                if u < 0 { return Double(c) }
            }
            return Double(p.count - 1)
        }
        var u = rng.nextDouble()
        var k = weights.count - 1
        for (i, weight) in weights.enumerated() {
            u -= weight
            if u < 0 { k = i; break }
        }
        for _ in 0..<100 {   // truncated normal by rejection: the kernel's mass in [low, high] is large
            let u1 = max(rng.nextDouble(), 1e-300), u2 = rng.nextDouble()
            let x = mus[k] + sigmas[k] * (-2 * Foundation.log(u1)).squareRoot() * cos(2 * .pi * u2)
            if x >= low && x <= high { return x }
        }
        return min(max(mus[k], low), high)
    }

    /// log of the mixture density (or probability, for categorical) at `x`.
    func logDensity(_ x: Double) -> Double {
        if let p = choiceProbabilities { return Foundation.log(max(p[Int(x)], 1e-300)) }
        var terms: [Double] = []
        terms.reserveCapacity(mus.count)
        for k in mus.indices {
            let sigma = sigmas[k]
            let z = (x - mus[k]) / sigma
            let mass = Self.normalCDF((high - mus[k]) / sigma) - Self.normalCDF((low - mus[k]) / sigma)
            terms.append(Foundation.log(weights[k]) - 0.5 * z * z - Foundation.log(sigma * (2 * Double.pi).squareRoot() * max(mass, 1e-300)))
        }
        let top = terms.max() ?? -.infinity
        return top + Foundation.log(terms.reduce(0) { $0 + exp($1 - top) })
    }

    static func normalCDF(_ z: Double) -> Double { 0.5 * (1 + erf(z / 2.0.squareRoot())) }
}
