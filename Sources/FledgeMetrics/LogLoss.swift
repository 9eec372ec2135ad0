import FledgeTensor
import Foundation

/// Mean negative log-likelihood of the true labels (scikit-learn's `log_loss`), from a running Double sum.
///
/// Probabilities are clipped to [ε, 1 − ε] with ε = `Double.ulpOfOne`, as scikit-learn does for
/// float64 probabilities (it clips at the machine epsilon of the input's dtype), so a confident
/// wrong answer costs about 36 rather than infinity. binary: −log p for label 1, −log(1 − p) for 0;
/// multiclass: −log of the true class's probability (rows are not renormalised, as in scikit-learn);
/// multilabel: the binary loss averaged over every label of every row.
public final class LogLoss: Metric {
    public let name: String
    public var higherIsBetter: Bool { false }
    private let task: MetricTask
    private let classCount: Int
    private var sum = 0.0
    private var terms = 0

    /// A log-loss metric for `task` with `classCount` classes or labels (ignored for binary).
    public init(task: MetricTask, classCount: Int = 2, name: String = "log_loss") {
        precondition(task != .regression && task != .recommendation, "LogLoss: a \(task) task has no probabilities")
        self.task = task
        self.classCount = task == .binary ? 1 : classCount
        self.name = name
    }

    public func update(scores: Tensor, targets: Tensor) {
        let (rows, width) = MetricInput.checkClassification(metric: name, task: task, classCount: classCount,
                                                            scores: scores, targets: targets)
        scores.withUnsafeBufferPointer { score in
            targets.withUnsafeBufferPointer { target in
                if task == .multiclass {
                    for row in 0..<rows {
                        let truth = MetricInput.classIndex(target[row], classCount: classCount, metric: name)
                        sum -= Self.clippedLog(Double(score[row * width + truth]))
                    }
                    terms += rows
                } else {
                    for index in 0..<rows * width {
                        let probability = Double(score[index])
                        let positive = MetricInput.binaryLabel(target[index], metric: name)
                        sum -= Self.clippedLog(positive ? probability : 1 - probability)
                    }
                    terms += rows * width
                }
            }
        }
    }

    /// NaN before any sample.
    public func compute() -> Double { terms == 0 ? .nan : sum / Double(terms) }

    public func reset() { (sum, terms) = (0, 0) }

    private static func clippedLog(_ probability: Double) -> Double {
        Foundation.log(Swift.min(Swift.max(probability, Double.ulpOfOne), 1 - Double.ulpOfOne))
    }
}
