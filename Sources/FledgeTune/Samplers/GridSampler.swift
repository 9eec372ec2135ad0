import Foundation
import FledgeTensor

/// Walks the grid of every parameter's values in a seeded random order: trial n takes grid point
/// `order[n % size]`, so parallel workers cover different points without coordinating.
///
/// Categorical and int parameters contribute every value (ints with more than `pointsPerFloat`
/// values contribute that many evenly spaced ones), floats `pointsPerFloat` evenly spaced values
/// (log-spaced for `log: true`, every step for stepped floats with few steps). A conditional
/// parameter is set only where its condition holds, so some points repeat; `size` counts them all.
public struct GridSampler: Sampler {
    /// The seed of the visiting order.
    public let seed: UInt64
    /// Points per float parameter.
    public let pointsPerFloat: Int

    /// A grid sampler.
    public init(seed: UInt64, pointsPerFloat: Int = 5) {
        self.seed = seed
        self.pointsPerFloat = pointsPerFloat
    }

    /// The stored values each parameter takes on the grid.
    public func values(of distribution: Distribution) -> [Double] {
        func spaced(_ low: Double, _ high: Double, log: Bool, count: Int) -> [Double] {
            guard count > 1, high > low else { return [low] }
            return (0..<count).map { i in
                let t = Double(i) / Double(count - 1)
                return log ? Foundation.exp(Foundation.log(low) + t * (Foundation.log(high) - Foundation.log(low))) : low + t * (high - low)
            }
        }
        switch distribution {
        case let .categorical(choices):
            return choices.indices.map(Double.init)
        case let .int(low, high, log, step):
            let all = Array(stride(from: low, through: high, by: step)).map(Double.init)
            if all.count <= pointsPerFloat { return all }
            return Array(Set(spaced(Double(low), Double(high), log: log, count: pointsPerFloat)
                .map { distribution.value(fromContinuous: distribution.continuous($0)) })).sorted()
        case let .float(low, high, log, step):
            if let step, ((high - low) / step).rounded() + 1 <= Double(pointsPerFloat) * 2 {
                return Array(stride(from: low, through: high + step / 2, by: step)).map { min($0, high) }
            }
            return spaced(low, high, log: log, count: pointsPerFloat)
        }
    }

    /// How many grid points there are.
    public func size(of space: SearchSpace) -> Int {
        space.parameters.reduce(1) { $0 * values(of: $1.distribution).count }
    }

    public func sample(space: SearchSpace, trialNumber number: Int, history: [TrialRecord], direction: StudyDirection) -> [String: Double] {
        let axes = space.parameters.map { values(of: $0.distribution) }
        let size = axes.reduce(1) { $0 * $1.count }
        var index = Self.permuted(number % size, size: size, seed: seed)
        var params: [String: Double] = [:]
        for (parameter, axis) in zip(space.parameters, axes) {
            let value = axis[index % axis.count]
            index /= axis.count
            if space.isActive(parameter, given: params) { params[parameter.name] = value }
        }
        return params
    }

    /// Position `i` of a seeded permutation of 0..<size (a Fisher–Yates shuffle, recomputed; grids are small).
    static func permuted(_ i: Int, size: Int, seed: UInt64) -> Int {
        var order = Array(0..<size)
        var rng = SeededGenerator(seed: seed)
        for j in stride(from: size - 1, to: 0, by: -1) {
            order.swapAt(j, Int(rng.next() % UInt64(j + 1)))
        }
        return order[i]
    }
}
