/// Reads one data source (events, entity attributes or a dimension table) into typed columns.
///
/// The contract every reader (CSV, SQLite, PostgreSQL) keeps, so the store treats them alike:
/// - read only the columns `source.selectedColumns(available:)` keeps, in table order, and throw
///   `EventsError.unknownColumn` (via that function) when a named column is absent;
/// - return the date column (`source.dateColumn`) as `.timestamp`, parsed with
///   `TimestampParser(format: source.dateFormat)`; an unparseable or missing timestamp is an
///   `EventsError.unparseableDate` naming the row and column (text) or the value;
/// - return key columns (`main_entity_column`, `join_key`) and columns overridden as
///   `categorical` / `id` as `.text`; columns overridden as `decimal` as `.decimal`, throwing
///   `EventsError.notADecimal` at the first cell that is not a number; `timestamp` overrides as
///   `.timestamp` (ISO 8601 text or unix seconds);
/// - infer the rest: all numbers (missing allowed) is `.decimal`, anything else `.text`;
/// - keep row order (the store sorts by entity and time itself) and say where rows came from
///   (`EventTable.lines` for files, nil for row numbers).
public protocol EventTableReader: Sendable {
    /// Reads the table `source` describes.
    func read(_ source: DataSourceConfig) throws -> EventTable
}

/// The readers a loader can use, by format: CSV, SQLite and PostgreSQL built in; others are
/// added by whoever links them.
///
/// ```swift
/// var readers = EventTableReaders.standard
/// readers[.csv] = MyCSVReader()
/// let store = try EventStore.load(config.dataSources, readers: readers)
/// ```
public struct EventTableReaders: Sendable {
    private var readers: [SourceFormat: any EventTableReader]

    /// Readers for the given formats.
    public init(_ readers: [SourceFormat: any EventTableReader] = [:]) {
        self.readers = readers
    }

    /// CSV, SQLite and PostgreSQL.
    public static var standard: EventTableReaders {
        EventTableReaders([.csv: CSVEventTableReader(), .sqlite: SQLiteEventTableReader(), .postgres: PostgresEventTableReader()])
    }

    /// The reader of a format, or nil.
    public subscript(format: SourceFormat) -> (any EventTableReader)? {
        get { readers[format] }
        set { readers[format] = newValue }
    }

    /// Reads `source` with the reader of its format.
    /// - Throws: `EventsError.noReader` when no reader handles the format.
    public func read(_ source: DataSourceConfig) throws -> EventTable {
        let format = source.resolvedFormat
        guard let reader = readers[format] else { throw EventsError.noReader(source: source.location, format: format) }
        return try reader.read(source)
    }
}
