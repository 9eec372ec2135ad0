import FledgeTensor

/// Streaming per-class confusion counts: all that accuracy, precision, recall and F1 need.
///
/// Binary tasks count two classes (0 and 1), multiclass tasks `classCount` classes, multilabel
/// tasks one column per label (each label a binary problem, as scikit-learn's
/// `multilabel_confusion_matrix`). Integer counts make the result independent of batching.
struct ConfusionCounts {
    /// The task the scores come from.
    let task: MetricTask
    /// Classes (binary: 2) or labels (multilabel) counted.
    let classCount: Int
    /// Per class: predicted and true.
    private(set) var truePositives: [Int]
    /// Per class: how often it was predicted.
    private(set) var predicted: [Int]
    /// Per class: how often it was the truth (the support).
    private(set) var actual: [Int]
    /// Samples (rows) seen.
    private(set) var samples = 0
    /// Rows whose whole prediction is right (for multilabel: every label; scikit-learn's subset accuracy).
    private(set) var exactMatches = 0

    init(task: MetricTask, classCount: Int) {
        precondition(task != .regression && task != .recommendation, "ConfusionCounts: a \(task) task has no classes")
        precondition(task == .binary || classCount >= 1, "ConfusionCounts: \(task) needs classCount >= 1, got \(classCount)")
        self.task = task
        self.classCount = task == .binary ? 2 : classCount
        truePositives = Array(repeating: 0, count: self.classCount)
        predicted = truePositives
        actual = truePositives
    }

    /// Folds one batch in; `metric` names the caller in shape-error messages.
    mutating func add(scores: Tensor, targets: Tensor, metric: String) {
        let (rows, width) = MetricInput.checkClassification(metric: metric, task: task, classCount: classCount,
                                                            scores: scores, targets: targets)
        samples += rows
        scores.withUnsafeBufferPointer { score in
            targets.withUnsafeBufferPointer { target in
                for row in 0..<rows {
                    switch task {
                    case .binary:
                        let guess = score[row] > MetricInput.threshold ? 1 : 0
                        let truth = MetricInput.binaryLabel(target[row], metric: metric) ? 1 : 0
                        count(guess: guess, truth: truth)
                    case .multiclass:
                        let guess = MetricInput.argmax(score[row * width ..< (row + 1) * width])
                        let truth = MetricInput.classIndex(target[row], classCount: classCount, metric: metric)
                        count(guess: guess, truth: truth)
                    case .multilabel:
                        var allRight = true
                        for label in 0..<width {
                            let guess = score[row * width + label] > MetricInput.threshold
                            let truth = MetricInput.binaryLabel(target[row * width + label], metric: metric)
                            if guess { predicted[label] += 1 }
                            if truth { actual[label] += 1 }
                            if guess && truth { truePositives[label] += 1 }
                            allRight = allRight && guess == truth
                        }
                        if allRight { exactMatches += 1 }
                    case .regression, .recommendation:
                        preconditionFailure("unreachable: checked in init")
                    }
                }
            }
        }
    }

    /// One single-label sample: exactly one class predicted and one true.
    @inline(__always)
    private mutating func count(guess: Int, truth: Int) {
        predicted[guess] += 1
        actual[truth] += 1
        if guess == truth {
            truePositives[guess] += 1
            exactMatches += 1
        }
    }

    /// Forgets every count.
    mutating func reset() { self = ConfusionCounts(task: task, classCount: classCount) }

    /// The classes scikit-learn averages over when `labels=None`: for single-label tasks the classes
    /// that occur in the truth or the predictions (a class never seen at all does not drag a macro
    /// average down); for multilabel indicator matrices every label column.
    var classesInUse: [Int] {
        task == .multilabel ? Array(0..<classCount) : (0..<classCount).filter { predicted[$0] + actual[$0] > 0 }
    }
}
