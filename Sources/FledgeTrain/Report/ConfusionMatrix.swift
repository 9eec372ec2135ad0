import FledgeTensor

/// Counts of true against predicted classes on one split, for the run report: rows are the true
/// classes, columns the predicted ones. Multilabel runs get one 2×2 matrix per label.
///
/// Predictions follow the metrics (FledgeMetrics' confusion counts): the arg-max class
/// (multiclass) or probability > 0.5 (binary, each multilabel label), so the diagonal's share
/// equals the reported accuracy.
public struct ConfusionMatrix: Codable, Equatable, Sendable {
    /// What the matrix is about (the label's name for a multilabel matrix), nil for the single one.
    public var title: String?
    /// The class names, in index order (rows and columns).
    public var labels: [String]
    /// `counts[truth][prediction]`.
    public var counts: [[Int]]

    /// An empty matrix over `labels`.
    public init(title: String? = nil, labels: [String]) {
        self.title = title
        self.labels = labels
        counts = Array(repeating: Array(repeating: 0, count: labels.count), count: labels.count)
    }

    /// Rows counted.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// The share of rows on the diagonal (nil when empty).
    public var accuracy: Double? {
        let total = total
        return total > 0 ? Double(labels.indices.reduce(0) { $0 + counts[$1][$1] }) / Double(total) : nil
    }

    /// Empty matrices for `task`: one over `classNames` (binary: two classes, named "0"/"1" when
    /// no names are known), or one per label for multilabel; none for regression.
    public static func empty(task: TaskKind, classNames: [String], outputSize: Int) -> [ConfusionMatrix] {
        switch task {
        case .binary:
            return [ConfusionMatrix(labels: classNames.count == 2 ? classNames : ["0", "1"])]
        case .multiclass:
            let names = classNames.count == outputSize ? classNames : (0..<outputSize).map(String.init)
            return [ConfusionMatrix(labels: names)]
        case .multilabel:
            let names = classNames.count == outputSize ? classNames : (0..<outputSize).map { "label \($0)" }
            return names.map { ConfusionMatrix(title: $0, labels: ["no", "yes"]) }
        case .regression:
            return []
        }
    }

    /// Counts one batch of `scores` (probabilities) against `targets` (as the metrics read them)
    /// into `matrices` (from `empty`).
    public static func add(scores: Tensor, targets: Tensor, task: TaskKind, to matrices: inout [ConfusionMatrix]) {
        guard !matrices.isEmpty else { return }
        let rows = scores.shape.rank == 0 ? 1 : scores.shape[0]
        let width = rows > 0 ? scores.count / rows : 0
        let score = scores.scalars, target = targets.scalars
        for row in 0..<rows {
            switch task {
            case .binary:
                matrices[0].counts[target[row] > 0.5 ? 1 : 0][score[row * width] > 0.5 ? 1 : 0] += 1
            case .multiclass:
                var guess = 0
                for column in 1..<width where score[row * width + column] > score[row * width + guess] { guess = column }
                let truth = Int(target[row])
                if matrices[0].labels.indices.contains(truth) { matrices[0].counts[truth][guess] += 1 }
            case .multilabel:
                for label in 0..<Swift.min(width, matrices.count) {
                    let index = row * width + label
                    matrices[label].counts[target[index] > 0.5 ? 1 : 0][score[index] > 0.5 ? 1 : 0] += 1
                }
            case .regression:
                return
            }
        }
    }
}
