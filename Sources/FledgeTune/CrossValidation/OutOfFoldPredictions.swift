import FledgeData
import FledgeTrain
import Foundation

/// The out-of-fold predictions of a cross-validation as CSV: one line per held-out row and
/// repetition, with `row` (the 1-based data row of the input file), the id column's value when the
/// config has one, `repeat` and `fold` (1-based), the probabilities or predicted values, the
/// predicted label and the true label(s).
struct OutOfFoldPredictions {
    /// The file name inside the cross-validation folder.
    static let fileName = "oof_predictions.csv"

    private let table: DataTable
    private let labelColumns: [String]
    private let idColumn: String?
    private var header: [String]?
    private var lines: [String] = []

    init(table: DataTable, config: FledgeConfig) {
        self.table = table
        labelColumns = config.data.labelColumnNames
        idColumn = config.data.idColumn
    }

    /// Adds the held-out rows of one fold.
    mutating func append(_ predictions: Predictions, rows: [Int], fold: CrossValidationFold) throws {
        let width = predictions.scores.shape.rank == 2 ? predictions.scores.shape[1] : 1
        if header == nil {
            var names = ["row"] + (idColumn.map { [$0] } ?? []) + ["repeat", "fold"]
            switch predictions.task {
            case .binary: names.append("probability")
            case .multiclass, .multilabel: names += predictions.classNames.map { "probability_\($0)" }
            case .regression: names += width == 1 ? ["prediction"] : (0..<width).map { "prediction_\($0)" }
            }
            if predictions.task != .regression { names.append("prediction") }
            names += labelColumns.count == 1 ? ["label"] : labelColumns.map { "label_\($0)" }
            header = names
        }
        let labelIndices = try labelColumns.map { try table.columnIndex(named: $0) }
        let idIndex = try idColumn.map { try table.columnIndex(named: $0) }
        let scores = predictions.scores.scalars
        let predicted = predictions.task == .regression ? [] : predictions.labels
        for (position, row) in rows.enumerated() {
            var fields = [String(row + 1)] + (idIndex.map { [Predictions.quoted(table.rawText(row: row, column: $0))] } ?? [])
            fields += [String(fold.repeatIndex + 1), String(fold.foldIndex + 1)]
            fields += (0..<width).map { "\(scores[position * width + $0])" }
            if predictions.task != .regression { fields.append(Predictions.quoted(predicted[position])) }
            fields += labelIndices.map { Predictions.quoted(table.rawText(row: row, column: $0)) }
            lines.append(fields.joined(separator: ","))
        }
    }

    /// Writes the CSV atomically.
    func write(to url: URL) throws {
        let text = ([(header ?? []).map(Predictions.quoted).joined(separator: ",")] + lines).joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}
