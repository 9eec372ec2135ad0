import FledgeData
import Foundation

/// What a model that ignores its inputs scores, computed from the training labels: the yardstick
/// the diagnosis measures "high" losses against. Saved by the trainer as `<run>/baseline.json`.
public struct TrainingBaseline: Codable, Equatable, Sendable {
    /// `binary`, `multiclass`, `multilabel` or `regression`.
    public var task: String
    /// The loss of the best constant predictor: the log loss of always predicting the class
    /// frequencies (classification) or the MSE of always predicting the mean (regression).
    public var loss: Double
    /// The accuracy of always predicting the majority class (nil for regression).
    public var accuracy: Double?
    /// How it was computed, for people reading the file.
    public var description: String

    /// Creates a baseline from known values.
    public init(task: String, loss: Double, accuracy: Double?, description: String) {
        self.task = task
        self.loss = loss
        self.accuracy = accuracy
        self.description = description
    }

    /// The baseline of `targets` (as the trainer sees them, so in the loss's own units) for `task`.
    public init(targets: Targets, task: TaskKind) {
        switch targets {
        case .classes(let labels):
            var counts: [Int: Int] = [:]
            for label in labels.indices { counts[label, default: 0] += 1 }
            let total = Double(Swift.max(1, labels.count))
            let entropy = counts.values.reduce(0.0) { sum, count in
                let p = Double(count) / total
                return sum - p * Foundation.log(p)
            }
            self.init(task: "\(task)", loss: entropy, accuracy: Double(counts.values.max() ?? 0) / total,
                      description: "predict the class frequencies (log loss) / the majority class (accuracy)")
        case .floats(let values):
            // Read in place: a Double copy of large targets (a foundation model's sketches, 0.5 GB
            // as Float) would triple them at the start of a run.
            if task == .regression {
                let mse = values.withUnsafeBufferPointer { scalars in
                    let count = Double(Swift.max(1, scalars.count))
                    let mean = scalars.reduce(0) { $0 + Double($1) } / count
                    return scalars.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / count
                }
                self.init(task: "\(task)", loss: mse, accuracy: nil, description: "predict the training mean (MSE)")
            } else {
                // 0/1 labels (binary or multilabel): the mean per-label binary entropy.
                let columns = values.shape.rank > 1 ? Swift.max(1, values.shape.dimensions.last ?? 1) : 1
                var entropy = 0.0, accuracy = 0.0
                values.withUnsafeBufferPointer { scalars in
                    for column in 0..<columns {
                        var positives = 0.0, rows = 0.0
                        var index = column
                        while index < scalars.count { positives += Double(scalars[index]); rows += 1; index += columns }
                        let p = Swift.min(Swift.max(positives / Swift.max(rows, 1), 1e-12), 1 - 1e-12)
                        entropy -= p * Foundation.log(p) + (1 - p) * Foundation.log(1 - p)
                        accuracy += Swift.max(p, 1 - p)
                    }
                }
                self.init(task: "\(task)", loss: entropy / Double(columns), accuracy: accuracy / Double(columns),
                          description: "predict the label frequencies (log loss) / the majority label (accuracy)")
            }
        }
    }

    /// The file name inside a run directory.
    public static let fileName = "baseline.json"

    /// Writes the baseline as pretty JSON.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: url, options: .atomic)
    }

    /// Reads a saved baseline, or nil when the file is missing or unreadable.
    public static func load(from url: URL) -> TrainingBaseline? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(TrainingBaseline.self, from: data)
    }
}
