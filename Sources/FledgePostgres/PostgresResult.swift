import Foundation

/// The rows a query returned, with its column names.
public struct PostgresResult: Sendable {
    /// Column names in result order (empty when the query returned no rows).
    public let columns: [String]
    /// One array of values per row, in column order.
    public let rows: [[PostgresValue]]
    /// The server the rows came from (no password), for error messages.
    public let server: String

    /// Creates a result (rows must have one value per column).
    public init(columns: [String], rows: [[PostgresValue]], server: String) {
        self.columns = columns
        self.rows = rows
        self.server = server
    }

    /// The number of rows.
    public var count: Int { rows.count }

    /// Whether there are no rows.
    public var isEmpty: Bool { rows.isEmpty }

    /// The index of a column, or nil when the result has no such column.
    public func columnIndex(_ name: String) -> Int? {
        columns.firstIndex(of: name)
    }

    /// The value of `column` in row `row`; throws when the column does not exist.
    public func value(_ row: Int, _ column: String) throws -> PostgresValue {
        guard let index = columnIndex(column) else {
            throw PostgresClientError.typeMismatch(
                server: server, column: column, expected: "a column of the result",
                actual: "no such column (columns: \(columns.joined(separator: ", ")))")
        }
        return rows[row][index]
    }

    /// The integer in `column` of row `row`; throws when it is missing, NULL or not an integer.
    public func int(_ row: Int, _ column: String) throws -> Int {
        let value = try value(row, column)
        guard let int = value.intValue else { throw mismatch(column, "an integer", value) }
        return int
    }

    /// The number in `column` of row `row` (integers convert); throws when it is missing, NULL or not a number.
    public func double(_ row: Int, _ column: String) throws -> Double {
        let value = try value(row, column)
        guard let double = value.doubleValue else { throw mismatch(column, "a number", value) }
        return double
    }

    /// The text in `column` of row `row`; throws when it is missing, NULL or not text.
    public func string(_ row: Int, _ column: String) throws -> String {
        let value = try value(row, column)
        guard let string = value.stringValue else { throw mismatch(column, "text", value) }
        return string
    }

    /// The timestamp in `column` of row `row`; throws when it is missing, NULL or not a timestamp.
    public func date(_ row: Int, _ column: String) throws -> Date {
        let value = try value(row, column)
        guard let date = value.dateValue else { throw mismatch(column, "a timestamp", value) }
        return date
    }

    private func mismatch(_ column: String, _ expected: String, _ value: PostgresValue) -> PostgresClientError {
        .typeMismatch(server: server, column: column, expected: expected, actual: value.kindName)
    }
}
