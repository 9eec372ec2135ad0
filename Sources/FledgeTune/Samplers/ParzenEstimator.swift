import Foundation
import FledgeTensor

/// A Parzen (kernel density) estimator over one or more parameters, as Optuna's TPE builds it: a
/// mixture with one product kernel per observed trial plus a prior kernel, weighted by recency.
///
/// Per parameter, a numerical kernel is a Gaussian truncated to [low, high] of the continuous space
/// (log space for log parameters; ints and stepped floats widened by half a step and scored by the
/// mass of their step's bin). Its width is the larger gap to its sorted neighbours among the
/// observations (the outermost use their inner gap: `consider_endpoints = False`), clipped to
/// [(high − low) / min(100, 1 + kernels), high − low] ("magic clip"); the prior kernel sits at the
/// middle with width high − low. A categorical kernel puts weight 1 on the observed choice plus
/// prior_weight / kernels on every choice (the prior kernel is uniform). With one parameter this is
/// Optuna's independent TPE; with several, its multivariate TPE (one kernel per trial across all of them).
struct ParzenEstimator {
    private let logWeights: [Double]   // per kernel (observations oldest first, then the prior)
    private let cumulativeWeights: [Double]
    private let dimensions: [Dimension]

    /// One parameter's kernels.
    private struct Dimension {
        let distribution: Distribution
        let low: Double, high: Double            // continuous bounds
        let halfStep: Double?                    // discrete (int, stepped linear float): half a step
        let mus: [Double], sigmas: [Double]
        let logNormalizers: [Double]             // continuous: log(σ√(2π)·mass); discrete: log mass
        let choiceLogProbabilities: [[Double]]   // categorical: per kernel, per choice
        let choiceCumulative: [[Double]]

        var isCategorical: Bool { distribution.choiceCount != nil }
    }

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

    /// An estimator over `observations` (one row of stored values per trial, oldest first, one
    /// column per distribution).
    init(observations: [[Double]], distributions: [Distribution], priorWeight: Double = 1) {
        let n = observations.count
        var w = n == 0 ? [1.0] : Self.recencyWeights(n) + [priorWeight]
        let total = w.reduce(0, +)
        w = w.map { $0 / total }
        logWeights = w.map { Foundation.log(max($0, 1e-300)) }
        var running = 0.0
        cumulativeWeights = w.map { running += $0; return running }
        dimensions = distributions.enumerated().map { column, distribution in
            Self.dimension(distribution, observations: observations.map { $0[column] }, priorWeight: priorWeight)
        }
    }

    /// A one-parameter estimator.
    init(observations: [Double], distribution: Distribution, priorWeight: Double = 1) {
        self.init(observations: observations.map { [$0] }, distributions: [distribution], priorWeight: priorWeight)
    }

    private static func dimension(_ d: Distribution, observations: [Double], priorWeight: Double) -> Dimension {
        let (low, high) = d.continuousBounds
        if let count = d.choiceCount {
            let kernels = observations.count + 1
            var rows: [[Double]] = observations.map { observed in
                var row = Array(repeating: priorWeight / Double(kernels), count: count)
                row[min(max(Int(observed), 0), count - 1)] += 1
                let sum = row.reduce(0, +)
                return row.map { $0 / sum }
            }
            rows.append(Array(repeating: 1 / Double(count), count: count))
            if observations.isEmpty { rows = [Array(repeating: 1 / Double(count), count: count)] }
            return Dimension(distribution: d, low: low, high: high, halfStep: nil, mus: [], sigmas: [], logNormalizers: [],
                             choiceLogProbabilities: rows.map { $0.map { Foundation.log(max($0, 1e-300)) } },
                             choiceCumulative: rows.map { row in var s = 0.0; return row.map { s += $0; return s } })
        }
        let mus = observations.map(d.continuous)
        var sigmas = mus.isEmpty ? [] : Self.sigmas(mus, low: low, high: high)
        let all = mus + [(low + high) / 2]
        sigmas.append(high - low)
        sigmas = sigmas.map { max($0, 1e-12) }
        let halfStep = d.discreteHalfStep
        let normalizers = zip(all, sigmas).map { mu, sigma in
            let logMass = logGaussMass((low - mu) / sigma, (high - mu) / sigma)
            return halfStep == nil ? Foundation.log(sigma * (2 * Double.pi).squareRoot()) + logMass : logMass
        }
        return Dimension(distribution: d, low: low, high: high, halfStep: halfStep, mus: all, sigmas: sigmas,
                         logNormalizers: normalizers, choiceLogProbabilities: [], choiceCumulative: [])
    }

    /// Optuna's kernel widths for observations `mus` (not counting the prior), magic clip applied.
    static func sigmas(_ mus: [Double], low: Double, high: Double) -> [Double] {
        let order = mus.indices.sorted { mus[$0] < mus[$1] }
        let points = [low] + order.map { mus[$0] } + [high]
        var sorted: [Double] = []
        for i in 1..<(points.count - 1) {
            let left: Double = points[i] - points[i - 1]
            let right: Double = points[i + 1] - points[i]
            sorted.append(max(left, right))
        }
        if points.count >= 4 {   // consider_endpoints = False: the outermost kernels ignore the bounds
            sorted[0] = points[2] - points[1]
            sorted[sorted.count - 1] = points[points.count - 2] - points[points.count - 3]
        }
        let maxSigma = high - low
        let minSigma = (high - low) / min(100, Double(1 + mus.count + 1))   // kernels: observations + prior
        var result = Array(repeating: 0.0, count: mus.count)
        for (rank, index) in order.enumerated() { result[index] = min(max(sorted[rank], minSigma), maxSigma) }
        return result
    }

    /// One draw from the mixture: stored values (snapped to steps, categorical as choice indices).
    func sample(using rng: inout SeededGenerator) -> [Double] {
        let u = rng.nextDouble()
        let k = cumulativeWeights.firstIndex { u < $0 } ?? (cumulativeWeights.count - 1)
        return dimensions.map { dimension in
            if dimension.isCategorical {
                let cumulative = dimension.choiceCumulative[k]
                let v = rng.nextDouble()
                return Double(cumulative.firstIndex { v < $0 } ?? (cumulative.count - 1))
            }
            let mu = dimension.mus[k], sigma = dimension.sigmas[k]
            var x = min(max(mu, dimension.low), dimension.high)
            for _ in 0..<100 {   // truncated normal by rejection: a kernel keeps ≥ 1/3 of its mass in bounds
                let u1 = max(rng.nextDouble(), 1e-300), u2 = rng.nextDouble()
                let draw = mu + sigma * (-2 * Foundation.log(u1)).squareRoot() * cos(2 * .pi * u2)
                if draw >= dimension.low && draw <= dimension.high { x = draw; break }
            }
            return dimension.distribution.value(fromContinuous: x)
        }
    }

    /// log of the mixture's density (probability, for discrete and categorical parameters) at each
    /// point (stored values, one per distribution).
    func logDensities(_ points: [[Double]]) -> [Double] {
        let kernels = logWeights.count
        var cache: [[Double: [Double]]] = Array(repeating: [:], count: dimensions.count)   // discrete bins already scored
        var terms = Array(repeating: 0.0, count: kernels)
        return points.map { point in
            for k in 0..<kernels { terms[k] = logWeights[k] }
            for (column, dimension) in dimensions.enumerated() {
                let x = point[column]
                if dimension.isCategorical {
                    let choice = min(max(Int(x), 0), dimension.distribution.choiceCount! - 1)
                    for k in 0..<kernels { terms[k] += dimension.choiceLogProbabilities[k][choice] }
                } else if let halfStep = dimension.halfStep {
                    let row = cache[column][x] ?? Self.binLogMasses(dimension, value: x, halfStep: halfStep)
                    cache[column][x] = row
                    for k in 0..<kernels { terms[k] += row[k] }
                } else {
                    let c = dimension.distribution.continuous(x)
                    for k in 0..<kernels {
                        let z = (c - dimension.mus[k]) / dimension.sigmas[k]
                        terms[k] += -0.5 * z * z - dimension.logNormalizers[k]
                    }
                }
            }
            let top = terms.max() ?? -.infinity
            guard top.isFinite else { return top }
            var sum = 0.0
            for k in 0..<kernels { sum += exp(terms[k] - top) }
            return top + Foundation.log(sum)
        }
    }

    /// log of one kernel's probability of a discrete value's bin, normalised by its mass in bounds.
    private static func binLogMasses(_ dimension: Dimension, value: Double, halfStep: Double) -> [Double] {
        let left = dimension.distribution.continuous(value - halfStep), right = dimension.distribution.continuous(value + halfStep)
        return dimension.mus.indices.map { k in
            let mu = dimension.mus[k], sigma = dimension.sigmas[k]
            return logGaussMass((left - mu) / sigma, (right - mu) / sigma) - dimension.logNormalizers[k]
        }
    }

    /// log(Φ(b) − Φ(a)) for a ≤ b, accurate in both tails (erfc on the side away from the mean).
    static func logGaussMass(_ a: Double, _ b: Double) -> Double {
        let r = 1 / 2.0.squareRoot()
        let mass: Double
        if a >= 0 {
            mass = 0.5 * (erfc(a * r) - erfc(b * r))
        } else if b <= 0 {
            mass = 0.5 * (erfc(-b * r) - erfc(-a * r))
        } else {
            mass = 1 - 0.5 * erfc(-a * r) - 0.5 * erfc(b * r)
        }
        return Foundation.log(max(mass, 1e-300))
    }
}

extension Distribution {
    /// Half a step for parameters TPE scores by bins (ints, stepped linear floats); nil otherwise.
    var discreteHalfStep: Double? {
        switch self {
        case let .int(_, _, _, step): Double(step) / 2
        case let .float(_, _, log, step): log ? nil : step.map { $0 / 2 }
        case .categorical: nil
        }
    }
}
