import FledgeTrain

/// One entry of `data_sources:` — where a table is and what its columns mean.
///
/// ```yaml
/// data_sources:
///   - type: event                      # required, exactly one
///     name: clicks
///     path: Examples/Data/shop_clickstream_synthetic.csv
///     main_entity_column: user_id
///     date_column: timestamp
///     date_format: "yyyy-MM-dd HH:mm:ss"
///     disallowed_columns: [session_id]
///     column_type_overrides: {event: categorical}
///   - type: main_entity_attribute      # optional: one row per entity, joined on main_entity_column
///     path: customers.csv
///     main_entity_column: customer_id
///   - type: attribute                  # optional: a dimension table joined on `join_key`
///     path: products.csv
///     join_key: product_id
/// ```
/// A CSV is read from `path`; SQLite from `path` (`.sqlite`, `.sqlite3`, `.db`, or `format:
/// sqlite`) with `table` or `query`; PostgreSQL from `connection: postgresql://...` with `table` or
/// `query` split into `num_query_chunks` queries.
public struct DataSourceConfig: ConfigSection {
    /// What role a table plays.
    public enum Role: String, ConfigOption {
        /// The events: one row per event with the entity, a timestamp and any other columns.
        case event
        /// One row per entity (customer attributes), joined on `main_entity_column`.
        case mainEntityAttribute = "main_entity_attribute"
        /// A dimension table (products) joined to the events on `join_key`.
        case attribute
    }

    /// The table's role. Required.
    public var type: Role = .event
    /// A name for messages and feature names; default the role (`event`) or the file name.
    public var name: String?
    /// A CSV or SQLite file.
    public var path: String?
    /// How to read it; inferred from `path`'s extension or `connection`'s scheme when absent.
    public var format: SourceFormat?
    /// A database URL (`postgresql://user@host:5432/db`).
    public var connection: String?
    /// The table to read (SQLite, PostgreSQL).
    public var table: String?
    /// A query to read instead of a whole table (SQLite, PostgreSQL).
    public var query: String?
    /// The CSV field delimiter. Default `,`.
    public var delimiter = ","
    /// The column naming the entity (customer, account); required for event and main_entity_attribute.
    public var mainEntityColumn: String?
    /// The event timestamp column; required for event.
    public var dateColumn: String?
    /// How timestamps are written: `iso8601` (default), a pattern such as `yyyy-MM-dd HH:mm:ss` or
    /// `dd/MM/yyyy`, `unix` (seconds) or `unix_ms`.
    public var dateFormat = "iso8601"
    /// The key column of an attribute table, which the events carry under the same name.
    public var joinKey: String?
    /// Only these columns are read (key and date columns always are); null = all.
    public var allowedColumns: [String]?
    /// These columns are never read.
    public var disallowedColumns: [String] = []
    /// Column → `decimal`, `categorical`, `id` or `timestamp`, replacing the inferred type.
    public var columnTypeOverrides: [String: EventColumnType] = [:]
    /// How many queries a database read is split into (PostgreSQL). Default 1.
    public var numQueryChunks = 1

    /// A source with every default (an event table with no location yet).
    public init() {}

    /// An event source read from a CSV file.
    public init(eventsAt path: String, mainEntityColumn: String, dateColumn: String, dateFormat: String = "iso8601") {
        self.path = path
        self.mainEntityColumn = mainEntityColumn
        self.dateColumn = dateColumn
        self.dateFormat = dateFormat
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, name, path, format, connection, table, query, delimiter
        case mainEntityColumn = "main_entity_column"
        case dateColumn = "date_column"
        case dateFormat = "date_format"
        case joinKey = "join_key"
        case allowedColumns = "allowed_columns"
        case disallowedColumns = "disallowed_columns"
        case columnTypeOverrides = "column_type_overrides"
        case numQueryChunks = "num_query_chunks"
    }

    public static let keyNames = CodingKeys.allCases.map(\.stringValue)

    public init(from decoder: Decoder) throws {
        try decoder.checkKeys(of: Self.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        type = try c.value(.type, or: type)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        path = try c.decodeIfPresent(String.self, forKey: .path)
        format = try c.decodeIfPresent(SourceFormat.self, forKey: .format)
        connection = try c.decodeIfPresent(String.self, forKey: .connection)
        table = try c.decodeIfPresent(String.self, forKey: .table)
        query = try c.decodeIfPresent(String.self, forKey: .query)
        delimiter = try c.value(.delimiter, or: delimiter)
        mainEntityColumn = try c.decodeIfPresent(String.self, forKey: .mainEntityColumn)
        dateColumn = try c.decodeIfPresent(String.self, forKey: .dateColumn)
        dateFormat = try c.value(.dateFormat, or: dateFormat)
        joinKey = try c.decodeIfPresent(String.self, forKey: .joinKey)
        allowedColumns = try c.decodeIfPresent([String].self, forKey: .allowedColumns)
        disallowedColumns = try c.value(.disallowedColumns, or: disallowedColumns)
        columnTypeOverrides = try c.value(.columnTypeOverrides, or: columnTypeOverrides)
        numQueryChunks = try c.value(.numQueryChunks, or: numQueryChunks)
    }

    /// The name messages and feature names use.
    public var displayName: String {
        if let name { return name }
        if let table { return table }
        if let path { return String(path.split(separator: "/").last ?? Substring(path)).split(separator: ".").first.map(String.init) ?? path }
        return type.rawValue
    }

    /// Where the data is, for messages: the path, or the connection with the table or "query".
    public var location: String {
        if let path, format != .postgres { return table.map { "\(path) (table \($0))" } ?? path }
        return (connection ?? "?") + (table.map { " (table \($0))" } ?? " (query)")
    }

    /// The format this source is read with: `format`, else from `connection`'s scheme or `path`'s extension.
    public var resolvedFormat: SourceFormat {
        if let format { return format }
        if let connection, connection.hasPrefix("postgres") { return .postgres }
        let lowered = (path ?? "").lowercased()
        if [".sqlite", ".sqlite3", ".db"].contains(where: { lowered.hasSuffix($0) }) { return .sqlite }
        return .csv
    }

    /// The columns that always have to be read: the entity, date and join keys.
    public var keyColumns: [String] {
        [mainEntityColumn, dateColumn, joinKey].compactMap { $0 }
    }

    /// Whether a column of the table is read, after `allowed_columns` / `disallowed_columns`
    /// (key columns always are).
    public func includes(column: String) -> Bool {
        if keyColumns.contains(column) { return true }
        if disallowedColumns.contains(column) { return false }
        return allowedColumns?.contains(column) ?? true
    }

    /// The columns of `available` this source reads, in table order.
    /// - Throws: `EventsError.unknownColumn` when a key, allowed or overridden column is not in the table.
    public func selectedColumns(available: [String]) throws -> [String] {
        let named = keyColumns + (allowedColumns ?? []) + columnTypeOverrides.keys.sorted()
        for column in named where !available.contains(column) {
            throw EventsError.unknownColumn(source: location, column: column, available: available)
        }
        return available.filter(includes(column:))
    }
}

/// How a data source is read.
public enum SourceFormat: String, ConfigOption {
    /// A CSV file with a header line.
    case csv
    /// A SQLite database file (GRDB).
    case sqlite
    /// A PostgreSQL server (FledgePostgres).
    case postgres
}

/// The type a column is stored as, when the inferred one is wrong.
public enum EventColumnType: String, ConfigOption {
    /// A number, standardised for features and summed/averaged by targets.
    case decimal
    /// A label from a small set: one count feature per value.
    case categorical
    /// A high-cardinality identifier (product, session): hashed into count sketches.
    case id
    /// A date or date-time (in the source's `date_format`).
    case timestamp
}

extension KeyedDecodingContainer {
    /// The `data_sources` list every events config requires (at least the event table).
    func requiredDataSources(forKey key: Key) throws -> [DataSourceConfig] {
        guard let sources = try decodeIfPresent([DataSourceConfig].self, forKey: key), !sources.isEmpty else {
            throw ConfigIssue(kind: .missingKey, keyPath: key.stringValue,
                              message: "data_sources is required: list the event table (type: event, path, main_entity_column, date_column)")
        }
        return sources
    }
}
