import FledgeTensor

/// Standardises feature columns with the mean and standard deviation of the training rows
/// (constant columns keep scale 1), saved with the model so prediction scales the same way.
public struct FeatureScaler: Codable, Sendable, Equatable {
    /// Per-feature means.
    public var means: [Float]
    /// Per-feature standard deviations (1 where the column is constant).
    public var deviations: [Float]

    /// Fits on the rows of `features` `[N, F]`.
    public init(fitting features: Tensor) {
        let (rows, width) = (features.shape[0], features.shape[1])
        var sums = [Double](repeating: 0, count: width), squares = [Double](repeating: 0, count: width)
        features.withUnsafeBufferPointer { values in
            for row in 0..<rows {
                for column in 0..<width {
                    let value = Double(values[row * width + column])
                    sums[column] += value
                    squares[column] += value * value
                }
            }
        }
        let count = Double(max(rows, 1))
        means = sums.map { Float($0 / count) }
        deviations = zip(sums, squares).map { sum, square in
            let variance = max(0, square / count - (sum / count) * (sum / count))
            return variance > 1e-12 ? Float(variance.squareRoot()) : 1
        }
    }

    /// `features` standardised.
    public func apply(_ features: Tensor) -> Tensor {
        precondition(features.shape.rank == 2 && features.shape[1] == means.count,
                     "FeatureScaler: features \(features.shape) do not have \(means.count) columns")
        var result = features
        let width = means.count
        result.withUnsafeMutableBufferPointer { values in
            for index in 0..<values.count {
                let column = index % width
                values[index] = (values[index] - means[column]) / deviations[column]
            }
        }
        return result
    }
}
