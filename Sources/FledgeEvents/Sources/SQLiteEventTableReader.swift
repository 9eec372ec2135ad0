import Foundation
import GRDB

/// Reads a data source from a SQLite database file (GRDB, read-only): the whole `table`, or the
/// rows of `query`. Column types follow the values SQLite returns: a column whose non-null
/// values are all integers or reals is decimal, anything else text; the date column may hold
/// text in `date_format` or numbers (unix seconds, or milliseconds with `date_format: unix_ms`).
public struct SQLiteEventTableReader: EventTableReader {
    /// A reader.
    public init() {}

    public func read(_ source: DataSourceConfig) throws -> EventTable {
        guard let path = source.path else {
            throw EventsError.invalidSetup("data source \"\(source.displayName)\": a SQLite source needs `path` (the database file)")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw EventsError.databaseError(source: path, message: "no such database file; check the path")
        }
        guard (source.table == nil) != (source.query == nil) else {
            throw EventsError.invalidSetup("data source \"\(source.displayName)\" (\(path)): give exactly one of `table` or `query`")
        }
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            return try queue.read { db in try read(db, source: source, location: source.location) }
        } catch let error as EventsError {
            throw error
        } catch let error as DatabaseError {
            throw EventsError.databaseError(source: source.location, message: "SQLite: \(error.message ?? "\(error)"); check the table name or query")
        }
    }

    private func read(_ db: Database, source: DataSourceConfig, location: String) throws -> EventTable {
        let base = source.query ?? "SELECT * FROM \(quoted(source.table!))"
        let probe = try db.makeStatement(sql: base)
        let names = try source.selectedColumns(available: probe.columnNames)
        let sql = source.table != nil ? "SELECT \(names.map(quoted).joined(separator: ", ")) FROM \(quoted(source.table!))" : base
        let statement = try db.makeStatement(sql: sql)
        let positions = names.map { statement.columnNames.firstIndex(of: $0)! }
        var values = [[DatabaseValue]](repeating: [], count: names.count)
        let rows = try Row.fetchCursor(statement)
        while let row = try rows.next() {
            for (column, position) in positions.enumerated() { values[column].append(row[position]) }
        }
        let rowCount = values.first?.count ?? 0
        let columns = try zip(names, values).map { name, cells in
            try column(name, cells, source: source, location: location)
        }
        return EventTable(source: location, columnNames: names, columns: columns, rowCount: rowCount)
    }

    private func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private func column(_ name: String, _ cells: [DatabaseValue], source: DataSourceConfig, location: String) throws -> RawColumn {
        func at(_ row: Int) -> String { "\(location) row \(row + 1)" }
        let isNumeric = cells.allSatisfy {
            switch $0.storage {
            case .null, .int64, .double: true
            case .string, .blob: false
            }
        }
        let override = source.columnTypeOverrides[name]
        if name == source.dateColumn || override == .timestamp {
            let format = name == source.dateColumn ? source.dateFormat : "iso8601"
            let parser = try TimestampParser(format: format)
            let numberParser = parser.isNumeric ? parser : try TimestampParser(format: "unix")
            return .timestamp(try cells.enumerated().map { row, cell in
                switch cell.storage {
                case .int64(let value): if let s = numberParser.seconds(fromNumber: Double(value)) { return s }
                case .double(let value): if let s = numberParser.seconds(fromNumber: value) { return s }
                case .string(let text): if let s = parser.parse(text) { return s }
                case .null: if name != source.dateColumn { return Int64.min }
                case .blob: break
                }
                throw EventsError.unparseableDate(location: at(row), column: name, text: "\(cell)", format: format)
            })
        }
        let isKey = name == source.mainEntityColumn || name == source.joinKey
        if override == .decimal || (override == nil && !isKey && isNumeric) {
            return .decimal(try cells.enumerated().map { row, cell in
                switch cell.storage {
                case .null: return .nan
                case .int64(let value): return Double(value)
                case .double(let value): return value
                case .string(let text):
                    if let value = Double(text.trimmingCharacters(in: .whitespaces)) { return value }
                    throw EventsError.notADecimal(location: at(row), column: name, text: text)
                case .blob: throw EventsError.notADecimal(location: at(row), column: name, text: "<blob>")
                }
            })
        }
        var index: [String: Int32] = [:]
        var distinct: [String] = []
        let codes = cells.map { cell -> Int32 in
            let text: String
            switch cell.storage {
            case .null: return -1
            case .int64(let value): text = String(value)
            case .double(let value): text = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
            case .string(let value): text = value.trimmingCharacters(in: .whitespaces)
            case .blob(let data): text = data.base64EncodedString()
            }
            if let code = index[text] { return code }
            let code = Int32(distinct.count)
            index[text] = code
            distinct.append(text)
            return code
        }
        return .text(codes: codes, values: distinct)
    }
}
