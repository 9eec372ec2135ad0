import FledgeTensor

/// A regression model's predictions against the truth on one split, for the report's residual
/// plot: every row's residual feeds the statistics; at most `maximumPoints` evenly spaced rows are
/// kept as points (the first output when there are several targets).
public struct ResidualSample: Codable, Equatable, Sendable {
    /// The kept rows' predictions.
    public var predicted: [Double] = []
    /// The kept rows' residuals (true − predicted).
    public var residuals: [Double] = []
    /// Rows seen.
    public var count = 0
    /// Sum of residuals (their mean shows bias).
    public var residualSum = 0.0
    /// Sum of squared residuals.
    public var squaredSum = 0.0
    /// Every `keepEvery`-th row is kept as a point.
    public var keepEvery: Int

    /// The most points a sample keeps by default (enough to see the shape, small in JSON).
    public static let maximumPoints = 1000

    /// A sample of a split with `rowCount` rows.
    public init(rowCount: Int, maximumPoints: Int = ResidualSample.maximumPoints) {
        keepEvery = Swift.max(1, (rowCount + maximumPoints - 1) / Swift.max(1, maximumPoints))
    }

    /// The mean residual (positive: the model predicts too low on average).
    public var meanResidual: Double { count > 0 ? residualSum / Double(count) : .nan }
    /// The root mean squared residual.
    public var rootMeanSquare: Double { count > 0 ? (squaredSum / Double(count)).squareRoot() : .nan }

    /// Adds a batch of predictions (`[N]` or `[N, K]`) and targets of the same layout.
    public mutating func add(predictions: Tensor, targets: Tensor) {
        let rows = predictions.shape.rank == 0 ? 1 : predictions.shape[0]
        guard rows > 0 else { return }
        let width = predictions.count / rows, targetWidth = targets.count / rows
        let prediction = predictions.scalars, target = targets.scalars
        for row in 0..<rows {
            let guess = Double(prediction[row * width]), residual = Double(target[row * targetWidth]) - guess
            if count % keepEvery == 0 {
                predicted.append(guess)
                residuals.append(residual)
            }
            count += 1
            residualSum += residual
            squaredSum += residual * residual
        }
    }
}
