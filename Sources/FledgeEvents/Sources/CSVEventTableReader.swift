import FledgeData

/// Reads a CSV data source with FledgeData's parallel `CSVReader` (the file is mapped, cells are
/// classified and numbers parsed while reading), then types the selected columns as the
/// `EventTableReader` contract says. Text columns are dictionary-encoded from the raw bytes.
public struct CSVEventTableReader: EventTableReader {
    /// A reader.
    public init() {}

    public func read(_ source: DataSourceConfig) throws -> EventTable {
        guard let path = source.path else {
            throw EventsError.invalidSetup("data source \"\(source.displayName)\": a CSV source needs `path`")
        }
        guard let delimiter = source.delimiter.first, source.delimiter.count == 1 else {
            throw EventsError.invalidSetup("data source \"\(source.displayName)\": delimiter must be one character, not \"\(source.delimiter)\"")
        }
        let table = try CSVReader.read(path: path, delimiter: delimiter)
        let names = try source.selectedColumns(available: table.columnNames)
        let indices = try names.map { try table.columnIndex(named: $0) }
        var columns = [RawColumn?](repeating: nil, count: names.count)
        var textPositions: [Int] = []
        for (position, name) in names.enumerated() {
            let index = indices[position]
            switch columnType(name, source: source, inferred: table.kind(ofColumn: index)) {
            case .text:
                textPositions.append(position)
            case .decimal:
                columns[position] = .decimal(try decimals(table, column: index))
            case .timestamp(let format):
                columns[position] = .timestamp(try timestamps(table, column: index, parser: TimestampParser(format: format),
                                                              allowMissing: name != source.dateColumn))
            }
        }
        let encoded = table.categoryCodes(ofColumns: textPositions.map { indices[$0] })
        for (position, (codes, values)) in zip(textPositions, encoded) {
            columns[position] = .text(codes: codes.map { Int32(truncatingIfNeeded: $0) }, values: values)
        }
        return EventTable(source: path, columnNames: names, columns: columns.map { $0! }, rowCount: table.rowCount,
                          lines: table.rowLines)
    }

    enum StoredType: Equatable {
        case text, decimal
        case timestamp(format: String)
    }

    /// The type a column is read as: the date column in the source's format, key columns as text,
    /// an override, else from what the cells parsed as.
    func columnType(_ name: String, source: DataSourceConfig, inferred: ColumnKind) -> StoredType {
        if name == source.dateColumn { return .timestamp(format: source.dateFormat) }
        if name == source.mainEntityColumn || name == source.joinKey { return .text }
        switch source.columnTypeOverrides[name] {
        case .decimal: return .decimal
        case .categorical, .id: return .text
        case .timestamp: return .timestamp(format: inferred == .numeric ? "unix" : "iso8601")
        case nil:
            switch inferred {
            case .numeric: return .decimal
            case .date: return .timestamp(format: "iso8601")
            case .categorical, .boolean: return .text
            }
        }
    }

    private func decimals(_ table: DataTable, column: Int) throws -> [Double] {
        do {
            return try table.numbers(ofColumn: column)
        } catch DataError.notANumber(let file, let line, let position, let name, let text) {
            throw EventsError.notADecimal(location: "\(file):\(line):\(position)", column: name, text: text)
        }
    }

    /// A column of timestamps; a missing cell is an error in the date column and `Int64.min` elsewhere.
    private func timestamps(_ table: DataTable, column: Int, parser: TimestampParser, allowMissing: Bool) throws -> [Int64] {
        let name = table.columnNames[column]
        func failure(_ row: Int) -> EventsError {
            EventsError.unparseableDate(location: "\(table.source):\(table.line(ofRow: row)):\(column + 1)", column: name,
                                        text: table.rawText(row: row, column: column), format: parser.format)
        }
        if parser.isNumeric {
            let numbers = try decimals(table, column: column)
            return try numbers.enumerated().map { row, number in
                if number.isNaN && allowMissing { return Int64.min }
                guard let seconds = parser.seconds(fromNumber: number) else { throw failure(row) }
                return seconds
            }
        }
        var result = [Int64](repeating: 0, count: table.rowCount)
        try result.withUnsafeMutableBufferPointer { result in
            try table.forEachCellText(ofColumn: column) { row, text in
                if text.isEmpty && allowMissing {
                    result[row] = Int64.min
                    return
                }
                guard let seconds = parser.parse(text) else { throw failure(row) }
                result[row] = seconds
            }
        }
        return result
    }
}
