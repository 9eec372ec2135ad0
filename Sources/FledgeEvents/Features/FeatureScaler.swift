import FledgeTensor

/// Standardises feature columns with the mean and standard deviation of the training rows
/// (constant columns keep scale 1), saved with the model so prediction scales the same way.
///
/// With `clipping`, each value is first clipped to the column's training range: validation, test
/// and prediction split points come after every training split point, so features that grow with
/// the calendar (tenure, whole-history counts, the day of the year) reach values training never
/// saw, and a network extrapolates linearly from them where a tree would stay flat.
public struct FeatureScaler: Codable, Sendable, Equatable {
    /// Per-feature means.
    public var means: [Float]
    /// Per-feature standard deviations (1 where the column is constant).
    public var deviations: [Float]
    /// Per-feature training minimums (nil: no clipping).
    public var minimums: [Float]?
    /// Per-feature training maximums (nil: no clipping).
    public var maximums: [Float]?

    /// Fits on the rows of `features` `[N, F]`; `clipping` keeps their ranges to clip to.
    public init(fitting features: Tensor, clipping: Bool = false) {
        let (rows, width) = (features.shape[0], features.shape[1])
        var sums = [Double](repeating: 0, count: width), squares = [Double](repeating: 0, count: width)
        var lows = [Float](repeating: .infinity, count: width), highs = [Float](repeating: -.infinity, count: width)
        features.withUnsafeBufferPointer { values in
            for row in 0..<rows {
                for column in 0..<width {
                    let value = values[row * width + column]
                    sums[column] += Double(value)
                    squares[column] += Double(value) * Double(value)
                    lows[column] = Swift.min(lows[column], value)
                    highs[column] = Swift.max(highs[column], value)
                }
            }
        }
        let count = Double(max(rows, 1))
        means = sums.map { Float($0 / count) }
        deviations = zip(sums, squares).map { sum, square in
            let variance = max(0, square / count - (sum / count) * (sum / count))
            return variance > 1e-12 ? Float(variance.squareRoot()) : 1
        }
        if clipping && rows > 0 {
            minimums = lows
            maximums = highs
        }
    }

    /// `features` clipped (when the scaler clips) and standardised.
    public func apply(_ features: Tensor) -> Tensor {
        precondition(features.shape.rank == 2 && features.shape[1] == means.count,
                     "FeatureScaler: features \(features.shape) do not have \(means.count) columns")
        var result = features
        let width = means.count
        let lows = minimums ?? [Float](repeating: -.infinity, count: width)
        let highs = maximums ?? [Float](repeating: .infinity, count: width)
        result.withUnsafeMutableBufferPointer { values in
            for index in 0..<values.count {
                let column = index % width
                let value = Swift.min(Swift.max(values[index], lows[column]), highs[column])
                values[index] = (value - means[column]) / deviations[column]
            }
        }
        return result
    }
}
