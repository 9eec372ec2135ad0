/// One source's rows as typed columns: what every `EventTableReader` returns.
///
/// Readers hand over columns already typed so the store never re-parses text: numbers as
/// `Double` (NaN = missing), text dictionary-encoded (one code per row into a list of distinct
/// values, -1 = missing), timestamps as seconds since 1970-01-01 UTC.
public struct EventTable: Sendable {
    /// Where the rows came from, as messages name it (a path, or a connection and table).
    public let source: String
    /// The column names, in table order.
    public let columnNames: [String]
    /// The columns, in the same order.
    public let columns: [RawColumn]
    /// The number of rows.
    public let rowCount: Int
    /// The source line of each row (CSV), or nil when rows are numbered from 1 (databases).
    public let lines: [Int]?

    /// Creates a table; every column must have `rowCount` rows.
    public init(source: String, columnNames: [String], columns: [RawColumn], rowCount: Int, lines: [Int]? = nil) {
        precondition(columnNames.count == columns.count, "EventTable: \(columnNames.count) names for \(columns.count) columns")
        precondition(columns.allSatisfy { $0.count == rowCount }, "EventTable: every column must have \(rowCount) rows")
        precondition(lines.map { $0.count == rowCount } ?? true, "EventTable: lines must have \(rowCount) entries")
        self.source = source
        self.columnNames = columnNames
        self.columns = columns
        self.rowCount = rowCount
        self.lines = lines
    }

    /// The column named `name`, or nil.
    public func column(named name: String) -> RawColumn? {
        columnNames.firstIndex(of: name).map { columns[$0] }
    }

    /// `file:line` (CSV) or `source row N` (databases) of a 0-based row, for messages.
    public func location(ofRow row: Int) -> String {
        if let lines { return "\(source):\(lines[row])" }
        return "\(source) row \(row + 1)"
    }

    /// `location(ofRow:)` with the column's 1-based position appended for CSV (`file:line:column`).
    public func location(ofRow row: Int, column name: String) -> String {
        guard lines != nil, let index = columnNames.firstIndex(of: name) else {
            return location(ofRow: row) + " column \"\(name)\""
        }
        return location(ofRow: row) + ":\(index + 1)"
    }
}

/// One typed column of an `EventTable`.
public enum RawColumn: Sendable {
    /// Numbers; NaN marks a missing cell.
    case decimal([Double])
    /// Text, dictionary-encoded: each row's index into `values`, -1 where missing.
    case text(codes: [Int32], values: [String])
    /// Seconds since 1970-01-01 00:00:00 UTC; `Int64.min` marks a missing cell.
    case timestamp([Int64])

    /// The number of rows.
    public var count: Int {
        switch self {
        case .decimal(let values): values.count
        case .text(let codes, _): codes.count
        case .timestamp(let values): values.count
        }
    }

    /// The column as text codes: text as it is, numbers written canonically (`3`, `0.25`) and
    /// encoded in order of first appearance; used for key columns that a reader typed as numbers.
    public func asText() -> (codes: [Int32], values: [String]) {
        switch self {
        case .text(let codes, let values):
            return (codes, values)
        case .decimal(let numbers):
            var index: [Double: Int32] = [:]
            var values: [String] = []
            let codes = numbers.map { number -> Int32 in
                if number.isNaN { return -1 }
                if let code = index[number] { return code }
                let code = Int32(values.count)
                index[number] = code
                values.append(number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number))
                return code
            }
            return (codes, values)
        case .timestamp(let seconds):
            var index: [Int64: Int32] = [:]
            var values: [String] = []
            let codes = seconds.map { second -> Int32 in
                if second == Int64.min { return -1 }
                if let code = index[second] { return code }
                let code = Int32(values.count)
                index[second] = code
                values.append(String(second))
                return code
            }
            return (codes, values)
        }
    }
}
