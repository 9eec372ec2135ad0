import FledgeTensor

/// Running Double sums per output column: everything MSE, RMSE, MAE and R² need.
///
/// The targets' spread for R² is kept as (count, mean, sum of squared deviations) and merged
/// batch by batch with Chan et al.'s parallel update, which stays accurate when the targets'
/// mean is large compared with their spread (the naive Σy² − (Σy)²/n does not).
struct RegressionSums {
    private(set) var count = 0
    private(set) var squaredError: [Double]
    private(set) var absoluteError: [Double]
    private(set) var targetMean: [Double]
    private(set) var targetSquaredDeviation: [Double]

    init(width: Int) {
        squaredError = Array(repeating: 0, count: width)
        absoluteError = squaredError
        targetMean = squaredError
        targetSquaredDeviation = squaredError
    }

    /// Output columns seen (fixed by the first batch).
    var width: Int { squaredError.count }

    /// Folds in one batch of `rows` × `width` predictions and targets.
    mutating func add(predictions: UnsafeBufferPointer<Float>, targets: UnsafeBufferPointer<Float>, rows: Int) {
        guard rows > 0 else { return }
        let batchCount = Double(rows), merged = Double(count + rows)
        for column in 0..<width {
            var batchSum = 0.0
            for row in 0..<rows {
                let truth = Double(targets[row * width + column]), error = Double(predictions[row * width + column]) - truth
                squaredError[column] += error * error
                absoluteError[column] += Swift.abs(error)
                batchSum += truth
            }
            let batchMean = batchSum / batchCount
            var batchDeviation = 0.0
            for row in 0..<rows {
                let centred = Double(targets[row * width + column]) - batchMean
                batchDeviation += centred * centred
            }
            let delta = batchMean - targetMean[column]
            targetSquaredDeviation[column] += batchDeviation + delta * delta * Double(count) * batchCount / merged
            targetMean[column] += delta * batchCount / merged
        }
        count += rows
    }
}

/// Mean squared error, its root, mean absolute error or R², as scikit-learn's `mean_squared_error`,
/// `root_mean_squared_error`, `mean_absolute_error` and `r2_score` (several output columns:
/// `multioutput="uniform_average"`, the mean of the per-column values).
public final class RegressionMetric: Metric {
    /// Which statistic.
    public enum Kind: String, Sendable, CaseIterable {
        case mse, rmse, mae, r2
    }

    public let name: String
    /// R² grows with quality; the errors shrink.
    public var higherIsBetter: Bool { kind == .r2 }
    /// The statistic computed.
    public let kind: Kind
    private var sums: RegressionSums?

    /// A regression metric named after its kind unless `name` is given.
    public init(_ kind: Kind, name: String? = nil) {
        self.kind = kind
        self.name = name ?? kind.rawValue
    }

    public func update(scores: Tensor, targets: Tensor) {
        let (rows, width) = MetricInput.checkRegression(metric: name, scores: scores, targets: targets)
        var running = sums ?? RegressionSums(width: width)
        precondition(running.width == width,
                     "\(name): predictions \(scores.shape) have \(width) columns, earlier batches had \(running.width)")
        scores.withUnsafeBufferPointer { predictions in
            targets.withUnsafeBufferPointer { running.add(predictions: predictions, targets: $0, rows: rows) }
        }
        sums = running
    }

    /// NaN before any sample (and for R² before two samples, where scikit-learn returns NaN too).
    public func compute() -> Double {
        guard let sums, sums.count > 0 else { return .nan }
        let count = Double(sums.count)
        let perColumn: [Double]
        switch kind {
        case .mse: perColumn = sums.squaredError.map { $0 / count }
        case .rmse: perColumn = sums.squaredError.map { ($0 / count).squareRoot() }
        case .mae: perColumn = sums.absoluteError.map { $0 / count }
        case .r2:
            guard sums.count >= 2 else { return .nan }
            // scikit-learn's force_finite: constant targets score 1 when predicted exactly, else 0.
            perColumn = zip(sums.squaredError, sums.targetSquaredDeviation).map { residual, total in
                total == 0 ? (residual == 0 ? 1 : 0) : 1 - residual / total
            }
        }
        return perColumn.reduce(0, +) / Double(perColumn.count)
    }

    public func reset() { sums = nil }
}
