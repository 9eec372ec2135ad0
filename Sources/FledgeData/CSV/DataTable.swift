/// A table read from a CSV file, stored by column, that remembers where each row came from.
///
/// Cells are kept as spans of the file's bytes plus, for cells that parsed as numbers, their
/// value; typed views (`numbers`, `strings`, `kind(ofColumn:)`) read from there. Every row knows
/// its source line (`line(ofRow:)`), which is what error messages cite.
public struct DataTable: Sendable {
    /// The file path (or a name for in-memory text), as messages show it.
    public let source: String
    /// The header's column names, in file order.
    public let columnNames: [String]
    /// The 1-based line of the header.
    public let headerLine: Int
    /// The 1-based line on which each row starts.
    public let rowLines: [Int]
    let bytes: ByteStore
    let columns: [ColumnStorage]

    init(source: String, columnNames: [String], headerLine: Int, rowLines: [Int], bytes: ByteStore,
         columns: [ColumnStorage]) {
        self.source = source
        self.columnNames = columnNames
        self.headerLine = headerLine
        self.rowLines = rowLines
        self.bytes = bytes
        self.columns = columns
    }

    /// The number of data rows.
    public var rowCount: Int { rowLines.count }
    /// The number of columns.
    public var columnCount: Int { columnNames.count }

    /// The 1-based source line of a row (as a text editor numbers lines).
    public func line(ofRow row: Int) -> Int { rowLines[row] }

    /// The position of a column, or `DataError.missingColumn` listing the available ones.
    public func columnIndex(named name: String) throws -> Int {
        guard let index = columnNames.firstIndex(of: name) else {
            throw DataError.missingColumn(file: source, line: headerLine, column: name, available: columnNames)
        }
        return index
    }

    /// How the cells of a column parsed (counts of numbers, missing cells, booleans, dates, text).
    public func profile(ofColumn column: Int) -> ColumnProfile { columns[column].profile }

    /// The inferred kind of a column (see `ColumnProfile.inferredKind`).
    public func kind(ofColumn column: Int) -> ColumnKind { columns[column].profile.inferredKind }

    /// Each column's kind: inferred, except where `overrides` names the column.
    /// - Throws: `DataError.missingColumn` when an override names no column.
    public func columnKinds(overrides: [String: ColumnKind] = [:]) throws -> [String: ColumnKind] {
        for name in overrides.keys.sorted() { _ = try columnIndex(named: name) }
        var kinds: [String: ColumnKind] = [:]
        for (index, name) in columnNames.enumerated() { kinds[name] = overrides[name] ?? kind(ofColumn: index) }
        return kinds
    }

    /// True when the cell is empty or a missing marker.
    public func isMissing(row: Int, column: Int) -> Bool { cellClass(row: row, column: column) == .missing }

    /// How a cell parsed (bounds-checked: the buffers themselves are unchecked pointers).
    func cellClass(row: Int, column: Int) -> CellClass {
        precondition(row >= 0 && row < rowCount, "DataTable: row \(row) out of range 0..<\(rowCount)")
        return CellClass(rawValue: columns[column].cellClass(row))!
    }

    /// The cell's text as written (unquoted, unescaped), or nil when missing.
    public func string(row: Int, column: Int) -> String? {
        isMissing(row: row, column: column) ? nil : rawText(row: row, column: column)
    }

    /// The cell's text as written, even for a missing marker.
    public func rawText(row: Int, column: Int) -> String {
        withCellBytes(row: row, column: column) { String(decoding: $0, as: UTF8.self) }
    }

    /// A column's cells as text, nil where missing.
    public func column(named name: String) throws -> [String?] {
        let column = try columnIndex(named: name)
        return (0..<rowCount).map { string(row: $0, column: column) }
    }

    /// The cell as a number, nil when missing or not a number.
    public func number(row: Int, column: Int) -> Double? {
        cellClass(row: row, column: column) == .number ? columns[column].number(row) : nil
    }

    /// A column as numbers (NaN where missing) for the given rows (all when nil).
    /// - Throws: `DataError.notANumber` at the first text cell.
    public func numbers(ofColumn column: Int, rows: [Int]? = nil) throws -> [Double] {
        let storage = columns[column]
        if rows == nil && storage.profile.textCount == 0 {
            return storage.allNumbers()
        }
        return try (rows ?? Array(0..<rowCount)).map { row in
            precondition(row >= 0 && row < rowCount, "DataTable: row \(row) out of range 0..<\(rowCount)")
            let cellClass = storage.cellClass(row)
            if cellClass == CellClass.number.rawValue || cellClass == CellClass.missing.rawValue { return storage.number(row) }
            throw DataError.notANumber(file: source, line: rowLines[row], column: column + 1,
                                       columnName: columnNames[column], text: rawText(row: row, column: column))
        }
    }

    /// A column read as `kind` and turned into numbers, NaN where missing: numbers as they are,
    /// booleans as 0/1, dates as days since 1970-01-01. Not for categorical columns.
    /// - Throws: `DataError.notANumber` / `.invalidValue` at the first cell that does not fit.
    public func values(ofColumn column: Int, as kind: ColumnKind, rows: [Int]? = nil) throws -> [Double] {
        switch kind {
        case .numeric:
            return try numbers(ofColumn: column, rows: rows)
        case .categorical:
            preconditionFailure("DataTable.values: categorical column \"\(columnNames[column])\" has no numeric value")
        case .boolean, .date:
            let storage = columns[column]
            return try (rows ?? Array(0..<rowCount)).map { row in
                precondition(row >= 0 && row < rowCount, "DataTable: row \(row) out of range 0..<\(rowCount)")
                if storage.cellClass(row) == CellClass.missing.rawValue { return .nan }
                if kind == .boolean && storage.cellClass(row) == CellClass.number.rawValue {
                    let number = storage.number(row)
                    if number == 0 || number == 1 { return number }
                }
                let value: Double? = withCellBytes(row: row, column: column) { cell in
                    let (text, count) = CellParsing.trimmed(cell.baseAddress!, cell.count)
                    return kind == .boolean ? CellParsing.boolean(text, count).map { $0 ? 1 : 0 } : CellParsing.date(text, count)
                }
                guard let value else {
                    throw DataError.invalidValue(file: source, line: rowLines[row], column: column + 1,
                                                 columnName: columnNames[column], text: rawText(row: row, column: column),
                                                 expected: kind)
                }
                return value
            }
        }
    }

    /// Calls `body` with the bytes of a cell.
    func withCellBytes<R>(row: Int, column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        precondition(row >= 0 && row < rowCount, "DataTable: row \(row) out of range 0..<\(rowCount)")
        let storage = columns[column]
        let (start, length) = storage.span(row)
        let pointer = UnsafePointer(bytes.base + start)
        return try withExtendedLifetime(bytes) {
            try body(UnsafeBufferPointer(start: pointer, count: length))
        }
    }
}
