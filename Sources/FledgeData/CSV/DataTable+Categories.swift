extension DataTable {
    /// The cell as a category or label value, nil when missing.
    ///
    /// Numbers are written canonically (`1.0` and `1` are both `"1"`), so labels read from
    /// different files or typed differently still match; text is trimmed of spaces.
    public func categoryValue(row: Int, column: Int) -> String? {
        switch cellClass(row: row, column: column) {
        case .missing:
            return nil
        case .number:
            return Self.canonicalText(of: columns[column].number(row))
        default:
            return withCellBytes(row: row, column: column) { cell in
                let (text, count) = CellParsing.trimmed(cell.baseAddress!, cell.count)
                return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
            }
        }
    }

    /// Integral numbers without a fraction (`3`), others as Swift prints them (`0.25`).
    static func canonicalText(of number: Double) -> String {
        if number == number.rounded() && abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }

    /// Builds a table from rows of cells in memory (nil = missing); `source` names it in messages.
    /// The cells go through the CSV parser, so kinds and missing markers behave as for a file.
    public init(columnNames: [String], rows: [[String?]], source: String = "<memory>") throws {
        func quoted(_ text: String) -> String {
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        }
        var text = columnNames.map(quoted).joined(separator: ",") + "\n"
        for row in rows {
            text += row.map { $0.map(quoted) ?? "" }.joined(separator: ",") + "\n"
        }
        self = try CSVReader.parse(text: text, source: source)
    }

    /// The table restricted to some columns, in the given order (rows and lines unchanged).
    public func selecting(columns names: [String]) throws -> DataTable {
        let indices = try names.map { try columnIndex(named: $0) }
        return DataTable(source: source, columnNames: names, headerLine: headerLine, rowLines: rowLines,
                         bytes: bytes, columns: indices.map { columns[$0] })
    }
}
