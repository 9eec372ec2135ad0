import FledgeTensor

/// Shape checks and label decoding shared by every metric's `update`.
///
/// A batch that does not fit its metric is a programming error (the trainer wires tasks to
/// metrics), so it traps with a message naming the metric and both shapes, like the engine's ops.
enum MetricInput {
    /// Rows and columns of a `[N]` (one column) or `[N, K]` tensor.
    static func rowsAndWidth(_ tensor: Tensor, metric: String, role: String) -> (rows: Int, width: Int) {
        switch tensor.rank {
        case 1: return (tensor.shape[0], 1)
        case 2: return (tensor.shape[0], tensor.shape[1])
        default: preconditionFailure("\(metric): \(role) must be [N] or [N, K], got \(tensor.shape)")
        }
    }

    /// Checks a classification batch and returns its row count and score width.
    ///
    /// binary: scores `[N]`/`[N, 1]`, targets `N` values; multiclass: scores `[N, classCount]`,
    /// targets `N` class indices; multilabel: scores and targets `[N, classCount]`.
    static func checkClassification(metric: String, task: MetricTask, classCount: Int,
                                    scores: Tensor, targets: Tensor) -> (rows: Int, width: Int) {
        let (rows, width) = rowsAndWidth(scores, metric: metric, role: "scores")
        let fits: Bool
        switch task {
        case .binary: fits = width == 1 && targets.count == rows
        case .multiclass: fits = width == classCount && targets.count == rows && (targets.rank == 1 || targets.rank == 2)
        case .multilabel: fits = width == classCount && targets.shape == scores.shape
        case .regression, .recommendation:
            preconditionFailure("\(metric): a classification metric cannot evaluate a \(task) task")
        }
        precondition(fits, "\(metric): scores \(scores.shape) and targets \(targets.shape) do not fit a \(task) task "
                     + "with \(classCount) classes")
        return (rows, width)
    }

    /// Checks a regression batch: predictions and targets hold the same values per row.
    static func checkRegression(metric: String, scores: Tensor, targets: Tensor) -> (rows: Int, width: Int) {
        let (rows, width) = rowsAndWidth(scores, metric: metric, role: "predictions")
        let (targetRows, targetWidth) = rowsAndWidth(targets, metric: metric, role: "targets")
        precondition(rows == targetRows && width == targetWidth,
                     "\(metric): predictions \(scores.shape) and targets \(targets.shape) do not match")
        return (rows, width)
    }

    /// A 0/1 target as a Bool; anything else traps (labels must be encoded before metrics see them).
    @inline(__always)
    static func binaryLabel(_ value: Float, metric: String) -> Bool {
        precondition(value == 0 || value == 1, "\(metric): binary target \(value) is not 0 or 1")
        return value == 1
    }

    /// A class-index target as an Int in `0..<classCount`.
    @inline(__always)
    static func classIndex(_ value: Float, classCount: Int, metric: String) -> Int {
        let index = Int(exactly: value) ?? -1
        precondition(index >= 0 && index < classCount,
                     "\(metric): class target \(value) is not an index in 0..<\(classCount)")
        return index
    }

    /// The predicted class of a probability row: the first largest entry (NumPy's argmax on ties).
    @inline(__always)
    static func argmax(_ row: UnsafeBufferPointer<Float>.SubSequence) -> Int {
        var best = row.startIndex
        for index in row.indices where row[index] > row[best] { best = index }
        return best - row.startIndex
    }

    /// The decision threshold for probabilities: a score strictly above it predicts the positive
    /// label, so a logit of exactly 0 (probability 0.5) predicts negative, as scikit-learn's
    /// `decision_function > 0` and torchmetrics' `preds > threshold` do.
    static let threshold: Float = 0.5
}
