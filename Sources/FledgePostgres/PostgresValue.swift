import Foundation
import PostgresNIO

/// One value sent to or read from PostgreSQL.
///
/// Reading converts the column types Fledge uses: integers (`smallint`, `integer`, `bigint`) to ``int(_:)``,
/// `real`, `double precision` and `numeric` to ``double(_:)``, `boolean`, text types (`text`, `varchar`,
/// `char`, `name`, `uuid`) and `timestamp`, `timestamptz` and `date` to ``timestamp(_:)``
/// (UTC). Other types throw ``PostgresClientError/unsupportedColumnType(server:column:type:)``; cast them
/// in the query.
public enum PostgresValue: Sendable, Hashable, CustomStringConvertible {
    /// SQL NULL.
    case null
    /// A boolean.
    case bool(Bool)
    /// An integer (sent as `bigint`).
    case int(Int)
    /// A floating-point number (sent as `double precision`).
    case double(Double)
    /// Text (sent as `text`).
    case text(String)
    /// A point in time (sent as `timestamptz`).
    case timestamp(Date)

    /// Whether the value is SQL NULL.
    public var isNull: Bool { self == .null }

    /// The integer, or nil for any other kind of value.
    public var intValue: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The number as a `Double` (integers convert), or nil for any other kind of value.
    public var doubleValue: Double? {
        switch self {
        case .double(let value): return value
        case .int(let value): return Double(value)
        default: return nil
        }
    }

    /// The text, or nil for any other kind of value.
    public var stringValue: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The boolean, or nil for any other kind of value.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The point in time, or nil for any other kind of value.
    public var dateValue: Date? {
        if case .timestamp(let value) = self { return value }
        return nil
    }

    /// The kind of value, for messages.
    public var kindName: String {
        switch self {
        case .null: return "NULL"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a number"
        case .text: return "text"
        case .timestamp: return "a timestamp"
        }
    }

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .bool(let value): return String(value)
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .text(let value): return value
        case .timestamp(let value): return value.formatted(.iso8601)
        }
    }

    /// Appends the value to a statement's bind parameters.
    func append(to bindings: inout PostgresBindings) {
        switch self {
        case .null: bindings.appendNull()
        case .bool(let value): bindings.append(value)
        case .int(let value): bindings.append(value)
        case .double(let value): bindings.append(value)
        case .text(let value): bindings.append(value)
        case .timestamp(let value): bindings.append(value)
        }
    }

    /// Converts one result cell; `server` names the server in errors.
    init(cell: PostgresCell, server: String) throws {
        guard cell.bytes != nil else {
            self = .null
            return
        }
        do {
            switch PostgresColumnType(cell.dataType) {
            case .integer:
                self = .int(try cell.decode(Int.self))
            case .floatingPoint where cell.dataType == .numeric:
                self = .double(NSDecimalNumber(decimal: try cell.decode(Decimal.self)).doubleValue)
            case .floatingPoint:
                self = .double(try cell.decode(Double.self))
            case .boolean:
                self = .bool(try cell.decode(Bool.self))
            case .text where cell.dataType == .uuid:
                self = .text(try cell.decode(UUID.self).uuidString.lowercased())
            case .text:
                self = .text(try cell.decode(String.self))
            case .timestamp:
                self = .timestamp(try cell.decode(Date.self))
            case .other(let name):
                throw PostgresClientError.unsupportedColumnType(server: server, column: cell.columnName, type: name)
            }
        } catch let error as PostgresClientError {
            throw error
        } catch {
            throw PostgresClientError.typeMismatch(
                server: server, column: cell.columnName, expected: "a readable value", actual: cell.dataType.description)
        }
    }
}
