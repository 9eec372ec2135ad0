import FledgeData
import FledgeTrain

/// The labelled parts of a run's data as rows of a table (the training file's split, or the
/// validation / test files), so a saved model can be measured on each with its own preprocessing.
struct EvaluationParts {
    /// `train_`, `val_` or `test_`, the table and its rows (nil: all rows).
    var parts: [(prefix: String, table: DataTable, rows: [Int]?)]

    init(config: FledgeConfig, table: DataTable, rows: (train: [Int], validation: [Int], test: [Int])) throws {
        let data = config.data
        let delimiter = Character(data.delimiter)
        parts = [("train_", table, rows.train)]
        for (prefix, splitRows, path) in [("val_", rows.validation, data.validationPath), ("test_", rows.test, data.testPath)] {
            if !splitRows.isEmpty {
                parts.append((prefix, table, splitRows))
            } else if let path {
                parts.append((prefix, try CSVReader.read(path: path, delimiter: delimiter), nil))
            }
        }
    }

    /// Whether there are validation rows.
    var hasValidation: Bool { parts.contains { $0.prefix == "val_" } }

    /// The model's loss and metrics on every part, prefixed (`train_loss`, `val_accuracy`, ...).
    func measure(_ model: FledgeModel) throws -> [String: Double] {
        var metrics: [String: Double] = [:]
        for part in parts {
            for (name, value) in try model.evaluate(part.table, rows: part.rows) { metrics[part.prefix + name] = value }
        }
        return metrics
    }
}
