import FledgeTensor

/// How label columns become `Targets`: class lists at fit time, encoding at transform time.
enum LabelEncoding {
    /// The class names for binary/multiclass (sorted, numerically when all are numbers), the
    /// label columns for multilabel, nothing for regression.
    static func classNames(table: DataTable, rows: [Int], labelColumns: [String], target: TargetKind) throws -> [String] {
        switch target {
        case .regression:
            return []
        case .multilabel:
            return labelColumns
        case .binary, .multiclass:
            guard let name = labelColumns.first else { return [] }
            precondition(labelColumns.count == 1, "Preprocessor: a \(target.rawValue) target has one label column, not \(labelColumns.count)")
            let column = try table.columnIndex(named: name)
            var seen = Set<String>()
            for row in rows {
                guard let value = table.categoryValue(row: row, column: column) else {
                    throw DataError.missingLabel(file: table.source, line: table.line(ofRow: row), column: column + 1, columnName: name)
                }
                seen.insert(value)
            }
            var classes = sortedClasses(seen)
            if target == .binary && classes.count == 1 {
                // A split that holds only one class of a 0/1 or true/false label still knows the other.
                let pairs = [["0", "1"], ["false", "true"], ["False", "True"], ["no", "yes"]]
                if let pair = pairs.first(where: { $0.contains(classes[0]) }) { classes = pair }
            }
            let fits = target == .binary ? classes.count == 2 : classes.count >= 2
            guard fits else { throw DataError.wrongClassCount(file: table.source, column: name, target: target, classes: classes) }
            return classes
        }
    }

    /// Numbers in numeric order, otherwise text order.
    static func sortedClasses(_ values: Set<String>) -> [String] {
        let numbers = values.compactMap { value in Double(value).map { (value, $0) } }
        if numbers.count == values.count { return numbers.sorted { $0.1 < $1.1 }.map(\.0) }
        return values.sorted()
    }

    /// Encodes the label columns of `rows`.
    static func targets(_ preprocessor: Preprocessor, table: DataTable, rows: [Int]) throws -> Targets {
        let columns = try preprocessor.labelColumns.map { try table.columnIndex(named: $0) }
        func missingLabel(_ row: Int, _ column: Int) -> DataError {
            .missingLabel(file: table.source, line: table.line(ofRow: row), column: column + 1,
                          columnName: table.columnNames[column])
        }
        switch preprocessor.target {
        case .binary, .multiclass:
            let column = columns[0]
            let lookup = Dictionary(uniqueKeysWithValues: preprocessor.classNames.enumerated().map { ($1, $0) })
            let indices = try rows.map { row -> Int in
                guard let value = table.categoryValue(row: row, column: column) else { throw missingLabel(row, column) }
                guard let index = lookup[value] else {
                    throw DataError.unseenLabel(file: table.source, line: table.line(ofRow: row), column: column + 1,
                                                value: value, known: preprocessor.classNames)
                }
                return index
            }
            if preprocessor.target == .multiclass { return .classes(IndexTensor(indices)) }
            return .floats(Tensor(shape: [rows.count, 1], values: indices.map(Float.init)))
        case .multilabel, .regression:
            var values = [Float](repeating: 0, count: rows.count * columns.count)
            for (offset, column) in columns.enumerated() {
                let kind: ColumnKind = preprocessor.target == .multilabel ? .boolean : .numeric
                let columnValues: [Double]
                do {
                    columnValues = try table.values(ofColumn: column, as: kind, rows: rows)
                } catch DataError.invalidValue(let file, let line, let column, let name, let text, _) {
                    throw DataError.notABinaryLabel(file: file, line: line, column: column, columnName: name, text: text)
                }
                for (position, value) in columnValues.enumerated() {
                    guard !value.isNaN else { throw missingLabel(rows[position], column) }
                    values[position * columns.count + offset] = Float(value)
                }
            }
            return .floats(Tensor(shape: [rows.count, columns.count], values: values))
        }
    }
}
