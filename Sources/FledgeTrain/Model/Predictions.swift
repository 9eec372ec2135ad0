import FledgeTensor

/// What `FledgeModel.predict` returns: scores and predicted labels or values per row.
public struct Predictions: Sendable {
    /// The task that produced them.
    public let task: TaskKind
    /// Class names (binary, multiclass) or label names (multilabel), in output order.
    public let classNames: [String]
    /// The id column's value per row, when the model has an id column.
    public let ids: [String]?
    /// Probabilities (`[N, 1]` binary, `[N, C]` multiclass, `[N, L]` multilabel) or values (regression).
    public let scores: Tensor
    /// 0/1 `[N]` (binary), class indices `[N]` (multiclass), 0/1 `[N, L]` (multilabel), values (regression).
    public let predictions: Tensor

    /// The number of rows.
    public var count: Int { scores.shape[0] }

    /// The predicted label of each row: a class name (binary, multiclass), the names of the
    /// predicted labels joined by `|` (multilabel), or the value (regression, first output).
    public var labels: [String] {
        let values = predictions.scalars
        switch task {
        case .binary, .multiclass:
            return values.map { index in
                let i = Int(index)
                return classNames.indices.contains(i) ? classNames[i] : "\(i)"
            }
        case .multilabel:
            let width = classNames.count
            return (0..<count).map { row in
                classNames.indices.filter { values[row * width + $0] == 1 }.map { classNames[$0] }.joined(separator: "|")
            }
        case .regression:
            let width = values.count / Swift.max(count, 1)
            return (0..<count).map { "\(values[$0 * width])" }
        }
    }

    /// The rows as CSV with a header: the id (if any), one probability column per class or label
    /// (`probability` for binary, `prediction` columns for regression), then `label`.
    /// Without ids, `rowNumberColumn` names a first column of 1-based row numbers instead (so each
    /// prediction can still be matched to its input row); nil leaves it out.
    public func csv(idColumn: String = "id", rowNumberColumn: String? = nil) -> String {
        let width = scores.shape.rank == 2 ? scores.shape[1] : 1
        let values = scores.scalars
        let ids = self.ids ?? rowNumberColumn.map { _ in (0..<count).map { String($0 + 1) } }
        let idColumn = self.ids == nil ? rowNumberColumn ?? idColumn : idColumn
        var header: [String] = ids == nil ? [] : [idColumn]
        switch task {
        case .binary: header.append("probability")
        case .multiclass, .multilabel: header += classNames.map { "probability_\($0)" }
        case .regression: header += width == 1 ? ["prediction"] : (0..<width).map { "prediction_\($0)" }
        }
        if task != .regression { header.append("label") }
        var lines = [header.map(Self.quoted).joined(separator: ",")]
        let labels = task == .regression ? [] : self.labels
        for row in 0..<count {
            var fields: [String] = ids.map { [Self.quoted($0[row])] } ?? []
            fields += (0..<width).map { "\(values[row * width + $0])" }
            if task != .regression { fields.append(Self.quoted(labels[row])) }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `field` as a CSV field: RFC 4180 quoting when it holds a comma, quote or line break.
    public static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
