import FledgeTensor

/// The (score, label) pairs ranking metrics keep, one binary problem per column.
///
/// binary: one column (label = target); multiclass: one column per class, one-vs-rest (label =
/// target is that class, score = that class's probability); multilabel: one column per label.
/// AUROC and average precision need the full ranking, so unlike the counting metrics they grow
/// with the data: 4 bytes per score and 1 per label.
struct RankingPairs {
    let task: MetricTask
    let columns: Int
    private(set) var scores: [[Float]]
    private(set) var positives: [[Bool]]

    init(task: MetricTask, classCount: Int) {
        precondition(task != .regression && task != .recommendation, "RankingPairs: a \(task) task has no ranking")
        self.task = task
        columns = task == .binary ? 1 : classCount
        scores = Array(repeating: [], count: columns)
        positives = scores.map { _ in [] }
    }

    /// Appends one batch's pairs.
    mutating func add(scores batchScores: Tensor, targets: Tensor, metric: String) {
        let (rows, width) = MetricInput.checkClassification(metric: metric, task: task, classCount: columns,
                                                            scores: batchScores, targets: targets)
        batchScores.withUnsafeBufferPointer { score in
            targets.withUnsafeBufferPointer { target in
                for row in 0..<rows {
                    let truth = task == .multiclass
                        ? MetricInput.classIndex(target[row], classCount: columns, metric: metric) : -1
                    for column in 0..<width {
                        let index = row * width + column
                        scores[column].append(score[index])
                        positives[column].append(task == .multiclass
                            ? truth == column : MetricInput.binaryLabel(target[index], metric: metric))
                    }
                }
            }
        }
    }

    mutating func reset() { self = RankingPairs(task: task, classCount: columns) }

    /// The unweighted mean of `statistic` over columns where it is defined (not NaN); NaN when none is.
    ///
    /// scikit-learn raises where a class has no positives (or no negatives); dropping such a class
    /// from the mean keeps a small validation split usable and agrees with it wherever it answers.
    func macroAverage(_ statistic: (BinaryRanking) -> Double) -> Double {
        let values = (0..<columns).map { statistic(BinaryRanking(scores: scores[$0], positives: positives[$0])) }
            .filter { !$0.isNaN }
        return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }
}

/// One binary problem ranked by descending score, as scikit-learn's `_binary_clf_curve`: one
/// point per distinct score (tied scores share a threshold), with cumulative true and false positives.
struct BinaryRanking {
    /// Cumulative (true positives, false positives) at each distinct score, highest score first.
    let points: [(truePositives: Int, falsePositives: Int)]

    init(scores: [Float], positives: [Bool]) {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var points: [(truePositives: Int, falsePositives: Int)] = []
        var truePositives = 0, falsePositives = 0
        for (rank, index) in order.enumerated() {
            if positives[index] { truePositives += 1 } else { falsePositives += 1 }
            // Close a threshold only after the last of a run of tied scores.
            if rank + 1 == order.count || scores[order[rank + 1]] != scores[index] {
                points.append((truePositives, falsePositives))
            }
        }
        self.points = points
    }

    /// All positives and negatives.
    var totals: (positives: Int, negatives: Int) {
        guard let last = points.last else { return (0, 0) }
        return (last.truePositives, last.falsePositives)
    }

    /// The area under the ROC curve by the trapezoid rule over the distinct thresholds, so ties
    /// count half (scikit-learn's `roc_auc_score`); NaN without both positives and negatives.
    /// Summed in integer-valued Doubles and divided once, which is exact up to 2^53 pairs.
    var rocArea: Double {
        let (positives, negatives) = totals
        guard positives > 0 && negatives > 0 else { return .nan }
        var twiceArea = 0.0, previous = (truePositives: 0, falsePositives: 0)
        for point in points {
            twiceArea += Double(point.falsePositives - previous.falsePositives)
                * Double(point.truePositives + previous.truePositives)
            previous = point
        }
        return twiceArea / (2 * Double(positives) * Double(negatives))
    }

    /// scikit-learn's step-wise average precision: Σ (R_k − R_{k−1}) · P_k over the distinct
    /// thresholds, no interpolation; NaN without positives.
    var averagePrecision: Double {
        let positives = totals.positives
        guard positives > 0 else { return .nan }
        var sum = 0.0, previousTruePositives = 0
        for point in points {
            let precision = Double(point.truePositives) / Double(point.truePositives + point.falsePositives)
            sum += Double(point.truePositives - previousTruePositives) * precision
            previousTruePositives = point.truePositives
        }
        return sum / Double(positives)
    }
}
