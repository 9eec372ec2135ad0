import FledgePostgres
import Foundation

/// Turns one PostgreSQL column's values, as they stream in, into a `RawColumn` of the kind the
/// column's declared type, role and override decide (see `PostgresEventTableReader`).
///
/// Appended to on postgres-nio's event loop one row at a time and read after the query ends.
final class PostgresColumnBuilder: @unchecked Sendable {
    private enum Kind {
        case decimal
        case text
        case timestamp(parser: TimestampParser, numbers: TimestampParser, required: Bool, format: String)
    }

    private let name: String
    private let location: String
    private let kind: Kind
    private var numbers: [Double] = []
    private var codes: [Int32] = []
    private var distinct: [String] = []
    private var index: [String: Int32] = [:]
    private var seconds: [Int64] = []

    init(name: String, type: PostgresColumnType, source: DataSourceConfig, location: String) throws {
        self.name = name
        self.location = location
        let override = source.columnTypeOverrides[name]
        if case .other(let typeName) = type {
            throw EventsError.databaseError(
                source: location,
                message: "column \"\(name)\" has type \(typeName), which Fledge does not read; cast it in a `query` (e.g. \(name)::text)")
        }
        let isDateColumn = name == source.dateColumn
        if isDateColumn || override == .timestamp || (override == nil && type == .timestamp && !source.keyColumns.contains(name)) {
            let format = isDateColumn ? source.dateFormat : "iso8601"
            let parser = try TimestampParser(format: format)
            kind = .timestamp(parser: parser, numbers: parser.isNumeric ? parser : try TimestampParser(format: "unix"),
                              required: isDateColumn, format: format)
        } else if source.keyColumns.contains(name) || override == .categorical || override == .id {
            kind = .text
        } else if override == .decimal || (override == nil && type.isNumeric) {
            kind = .decimal
        } else {
            kind = .text
        }
    }

    func append(_ value: PostgresValue, row: Int) throws {
        switch kind {
        case .decimal:
            numbers.append(try number(value, row: row))
        case .text:
            codes.append(code(value))
        case .timestamp(let parser, let numberParser, let required, let format):
            let parsed: Int64?
            switch value {
            case .null where !required: parsed = Int64.min
            case .timestamp(let date): parsed = Int64(date.timeIntervalSince1970.rounded(.down))
            case .int(let int): parsed = numberParser.seconds(fromNumber: Double(int))
            case .double(let double): parsed = numberParser.seconds(fromNumber: double)
            case .text(let text): parsed = parser.parse(text.trimmingCharacters(in: .whitespaces))
            default: parsed = nil
            }
            guard let parsed else {
                throw EventsError.unparseableDate(location: "\(location) row \(row + 1)", column: name, text: "\(value)", format: format)
            }
            seconds.append(parsed)
        }
    }

    private func number(_ value: PostgresValue, row: Int) throws -> Double {
        switch value {
        case .null: return .nan
        case .int(let int): return Double(int)
        case .double(let double): return double
        case .bool(let bool): return bool ? 1 : 0
        case .text(let text):
            if let number = Double(text.trimmingCharacters(in: .whitespaces)) { return number }
            throw EventsError.notADecimal(location: "\(location) row \(row + 1)", column: name, text: text)
        case .timestamp:
            throw EventsError.notADecimal(location: "\(location) row \(row + 1)", column: name, text: "\(value)")
        }
    }

    private func code(_ value: PostgresValue) -> Int32 {
        let text: String
        switch value {
        case .null: return -1
        case .text(let string): text = string.trimmingCharacters(in: .whitespaces)
        case .timestamp(let date): text = TimestampParser.text(Int64(date.timeIntervalSince1970.rounded(.down)))
        case .double(let double) where double == double.rounded() && abs(double) < 1e15: text = String(Int64(double))
        default: text = value.description
        }
        if let code = index[text] { return code }
        let code = Int32(distinct.count)
        index[text] = code
        distinct.append(text)
        return code
    }

    /// The finished column.
    func column() -> RawColumn {
        switch kind {
        case .decimal: return .decimal(numbers)
        case .text: return .text(codes: codes, values: distinct)
        case .timestamp: return .timestamp(seconds)
        }
    }
}
