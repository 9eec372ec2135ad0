/// Every entity's events, sorted by time, in a compact columnar layout.
///
/// Entity `e`'s events are rows `offsets[e] ..< offsets[e + 1]` of `timestamps` and of every
/// column, in time order (events at the same second by their other columns' values). Entities are
/// sorted by id and vocabularies by value, so CSV, SQLite and PostgreSQL give the same store
/// whatever order their rows came in. Columns hold typed arrays: decimals as
/// `Float`, labels and ids as `Int32` codes into a vocabulary, so 10 M events with a handful of
/// columns take a few hundred MB. Attribute tables joined on a key are already columns here;
/// the main-entity attribute table is `attributes`, one row per entity.
///
/// ```swift
/// let store = try EventStore.load([eventSource, customerSource])
/// let history = store.events(ofEntity: 0).before(splitTimestamp)
/// ```
public final class EventStore: Sendable {
    /// The entity column's name in the event source.
    public let entityColumn: String
    /// Each entity's id, by entity index.
    public let entityIDs: [String]
    /// Entity `e`'s rows are `offsets[e] ..< offsets[e + 1]`; `offsets.count == entityIDs.count + 1`.
    public let offsets: [Int]
    /// Each row's time in seconds since 1970 (UTC), ascending within an entity.
    public let timestamps: [Int64]
    /// The event columns (with joined attribute-table columns), row-aligned with `timestamps`.
    public let columns: [StoredColumn]
    /// The main-entity attributes, row `e` for entity `e` (nil without that source).
    public let attributes: EntityAttributes?
    /// What loading skipped and why.
    public let report: LoadReport
    /// Where the events came from, for messages.
    public let source: String
    private let entityLookup: [String: Int]
    private let columnLookup: [String: Int]

    /// Creates a store from arrays already laid out as described above.
    public init(entityColumn: String, entityIDs: [String], offsets: [Int], timestamps: [Int64], columns: [StoredColumn],
                attributes: EntityAttributes? = nil, report: LoadReport = LoadReport(), source: String = "<memory>") {
        precondition(offsets.count == entityIDs.count + 1 && offsets.first == 0 && offsets.last == timestamps.count,
                     "EventStore: offsets must run from 0 to the row count, one more than the entities")
        precondition(columns.allSatisfy { column in
            switch column.values {
            case .decimal(let values, _): values.count == timestamps.count
            case .categorical(let codes, _), .id(let codes, _): codes.count == timestamps.count
            case .timestamp(let values): values.count == timestamps.count
            }
        }, "EventStore: every column must have one value per event")
        self.entityColumn = entityColumn
        self.entityIDs = entityIDs
        self.offsets = offsets
        self.timestamps = timestamps
        self.columns = columns
        self.attributes = attributes
        self.report = report
        self.source = source
        entityLookup = Dictionary(entityIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        columnLookup = Dictionary(columns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The number of entities.
    public var entityCount: Int { entityIDs.count }
    /// The number of events.
    public var eventCount: Int { timestamps.count }

    /// The index of an entity id, or nil.
    public func entityIndex(of id: String) -> Int? { entityLookup[id] }

    /// The event column named `name`, or nil.
    public func column(named name: String) -> StoredColumn? { columnLookup[name].map { columns[$0] } }

    /// The event column named `name`.
    /// - Throws: `EventsError.unknownColumn` naming `context` (e.g. "target function") and the columns there are.
    public func requireColumn(_ name: String, context: String) throws -> StoredColumn {
        guard let column = column(named: name) else {
            throw EventsError.unknownColumn(source: context, column: name, available: columns.map(\.name))
        }
        return column
    }

    /// All events of entity `entity`, as of no particular split (see `Events.before(_:)` / `from(_:until:)`).
    public func events(ofEntity entity: Int, splitTimestamp: Int64 = Int64.max) -> Events {
        Events(store: self, rows: offsets[entity]..<offsets[entity + 1], splitTimestamp: splitTimestamp)
    }

    /// The first row of entity `entity` at or after `time` (binary search; rows are sorted).
    func firstRow(ofEntity entity: Int, atOrAfter time: Int64) -> Int {
        var low = offsets[entity], high = offsets[entity + 1]
        while low < high {
            let middle = (low + high) / 2
            if timestamps[middle] < time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The earliest and latest event times, or nil for an empty store.
    public var timeRange: ClosedRange<Int64>? {
        guard !timestamps.isEmpty else { return nil }
        var low = Int64.max, high = Int64.min
        for entity in 0..<entityCount where offsets[entity] < offsets[entity + 1] {
            low = min(low, timestamps[offsets[entity]])
            high = max(high, timestamps[offsets[entity + 1] - 1])
        }
        return low...high
    }
}

/// What loading left out, so nothing is dropped silently.
public struct LoadReport: Sendable, Equatable, Codable {
    /// Event rows read from the source.
    public var eventsRead = 0
    /// Events dated before `data_start_date`, dropped.
    public var eventsBeforeDataStart = 0
    /// Entities of the attribute table without any event (they cannot be scored from history).
    public var entitiesWithoutEvents = 0
    /// Events whose join key has no row in an attribute table (their joined columns are missing).
    public var unmatchedJoinKeys: [String: Int] = [:]

    /// A report with nothing skipped.
    public init() {}

    /// One line per non-zero count, for the CLI and logs.
    public var lines: [String] {
        var lines: [String] = []
        if eventsBeforeDataStart > 0 {
            lines.append("skipped \(eventsBeforeDataStart) of \(eventsRead) events dated before data_start_date")
        }
        if entitiesWithoutEvents > 0 {
            lines.append("skipped \(entitiesWithoutEvents) entities of the main_entity_attribute table that have no events")
        }
        for (source, count) in unmatchedJoinKeys.sorted(by: { $0.key < $1.key }) where count > 0 {
            lines.append("\(count) events have a join key missing from attribute table \(source) (its columns are empty for them)")
        }
        return lines
    }
}
