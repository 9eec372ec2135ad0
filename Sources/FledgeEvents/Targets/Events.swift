/// A set of one entity's events, in time order, as target functions and features see it.
///
/// `history` holds the events before the split point, `future` those from the split point on
/// (up to the target horizon). Everything a target function needs is here:
/// ```swift
/// let churn: TargetFunction = { history, future, _, _ in
///     guard !history.isEmpty else { return nil }                      // skip: nothing to predict from
///     return .binary(try future.filter("event", equals: "purchase").isEmpty)
/// }
/// let spend: TargetFunction = { _, future, _, _ in .value(try future.sum("price")) }
/// ```
/// A column name the data does not have throws `EventsError.unknownColumn` listing those it has.
public struct Events: Sendable {
    /// The store the events live in.
    public let store: EventStore
    /// The rows in `store`, ascending (a contiguous range unless filtered).
    let rows: RowSet
    /// The split point these events were cut at (seconds since 1970).
    public let splitTimestamp: Int64

    init(store: EventStore, rows: Range<Int>, splitTimestamp: Int64) {
        self.store = store
        self.rows = .range(rows)
        self.splitTimestamp = splitTimestamp
    }

    init(store: EventStore, rows: RowSet, splitTimestamp: Int64) {
        self.store = store
        self.rows = rows
        self.splitTimestamp = splitTimestamp
    }

    /// The number of events.
    public var count: Int { rows.count }
    /// True when there are no events.
    public var isEmpty: Bool { rows.count == 0 }
    /// The event times, ascending.
    public var timestamps: [Int64] { rows.map { store.timestamps[$0] } }
    /// The first event's time, or nil.
    public var firstTimestamp: Int64? { rows.first.map { store.timestamps[$0] } }
    /// The last event's time, or nil.
    public var lastTimestamp: Int64? { rows.last.map { store.timestamps[$0] } }

    /// The events one by one.
    public var all: [Event] { rows.map { Event(store: store, row: $0) } }

    // MARK: - Selecting

    /// The events for which `isIncluded` is true.
    public func filter(_ isIncluded: (Event) throws -> Bool) rethrows -> Events {
        var kept: [Int] = []
        for row in rows where try isIncluded(Event(store: store, row: row)) { kept.append(row) }
        return Events(store: store, rows: .list(kept), splitTimestamp: splitTimestamp)
    }

    /// The events whose `column` has one of `values` (categorical or id columns).
    public func filter(_ column: String, in values: Set<String>) throws -> Events {
        let stored = try store.requireColumn(column, context: "target function")
        let wanted = Set(stored.vocabulary.enumerated().filter { values.contains($0.element) }.map { Int32($0.offset) })
        var kept: [Int] = []
        for row in rows where wanted.contains(stored.code(at: row)) { kept.append(row) }
        return Events(store: store, rows: .list(kept), splitTimestamp: splitTimestamp)
    }

    /// The events whose `column` equals `value`.
    public func filter(_ column: String, equals value: String) throws -> Events {
        try filter(column, in: [value])
    }

    /// The events in the `days` days from the split point on: `[split, split + days)`.
    public func nextDays(_ days: Double) -> Events { within(from: splitTimestamp, until: splitTimestamp + Self.seconds(days)) }

    /// The events in the `days` days before the split point: `[split - days, split)`.
    public func lastDays(_ days: Double) -> Events { within(from: splitTimestamp - Self.seconds(days), until: splitTimestamp) }

    /// The events with `start <= time < end`.
    public func within(from start: Int64, until end: Int64) -> Events {
        switch rows {
        case .range(let range):
            var low = range.lowerBound, high = range.upperBound
            low = Self.partition(store.timestamps, low, high, start)
            high = Self.partition(store.timestamps, low, high, end)
            return Events(store: store, rows: .range(low..<high), splitTimestamp: splitTimestamp)
        case .list(let list):
            return Events(store: store, rows: .list(list.filter { store.timestamps[$0] >= start && store.timestamps[$0] < end }),
                          splitTimestamp: splitTimestamp)
        }
    }

    /// The first index in `low..<high` whose time is at least `time`.
    private static func partition(_ times: [Int64], _ low: Int, _ high: Int, _ time: Int64) -> Int {
        var low = low, high = high
        while low < high {
            let middle = (low + high) / 2
            if times[middle] < time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    static func seconds(_ days: Double) -> Int64 { Int64((days * 86_400).rounded()) }

    // MARK: - Aggregates

    /// The sum of a decimal column over the events (missing values count as 0).
    public func sum(_ column: String) throws -> Double {
        let stored = try decimalColumn(column)
        var total = 0.0
        for row in rows { total += stored.number(at: row) ?? 0 }
        return total
    }

    /// The mean of a decimal column over the events that have a value, nil when none has.
    public func mean(_ column: String) throws -> Double? {
        let stored = try decimalColumn(column)
        var total = 0.0, count = 0
        for row in rows { if let value = stored.number(at: row) { total += value; count += 1 } }
        return count > 0 ? total / Double(count) : nil
    }

    /// The sum of `value` over the events.
    public func sum(_ value: (Event) throws -> Double) rethrows -> Double {
        var total = 0.0
        for row in rows { total += try value(Event(store: store, row: row)) }
        return total
    }

    /// The mean of `value` over the events, nil when there are none.
    public func mean(_ value: (Event) throws -> Double) rethrows -> Double? {
        isEmpty ? nil : try sum(value) / Double(count)
    }

    /// The events grouped by the values of a categorical or id column.
    public func groupBy(_ column: String) throws -> GroupedEvents {
        let stored = try store.requireColumn(column, context: "target function")
        guard stored.type == .categorical || stored.type == .id else {
            throw EventsError.invalidSetup("target function: groupBy(\"\(column)\") needs a categorical or id column, but \"\(column)\" is \(stored.type.rawValue)")
        }
        return GroupedEvents(events: self, column: stored)
    }

    private func decimalColumn(_ column: String) throws -> StoredColumn {
        let stored = try store.requireColumn(column, context: "target function")
        guard stored.type == .decimal else {
            throw EventsError.invalidSetup("target function: \"\(column)\" is a \(stored.type.rawValue) column; sum and mean need a decimal column (column_type_overrides can declare it)")
        }
        return stored
    }
}

/// One event: its time and column values.
public struct Event: Sendable {
    let store: EventStore
    /// The event's row in the store.
    public let row: Int

    /// The event time (seconds since 1970).
    public var timestamp: Int64 { store.timestamps[row] }

    /// The value of a decimal (or timestamp) column, nil when missing.
    public func number(_ column: String) throws -> Double? {
        try store.requireColumn(column, context: "target function").number(at: row)
    }

    /// The value of a categorical or id column, nil when missing.
    public func text(_ column: String) throws -> String? {
        try store.requireColumn(column, context: "target function").text(at: row)
    }
}

/// Events grouped by a column's values; each aggregate returns one number per requested group.
public struct GroupedEvents: Sendable {
    let events: Events
    let column: StoredColumn

    /// The values that occur, most frequent first.
    public var groups: [String] { counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key) }

    /// Each occurring value's event count.
    public var counts: [String: Int] {
        var result: [String: Int] = [:]
        for row in events.rows { if let value = column.text(at: row) { result[value, default: 0] += 1 } }
        return result
    }

    /// The event count of each of `groups` (0 for absent ones).
    public func count(_ groups: [String]) -> [Double] {
        let counts = counts
        return groups.map { Double(counts[$0] ?? 0) }
    }

    /// Whether each of `groups` occurs.
    public func exists(_ groups: [String]) -> [Bool] { count(groups).map { $0 > 0 } }

    /// The sum of a decimal column within each of `groups`.
    public func sum(_ value: String, _ groups: [String]) throws -> [Double] {
        try groups.map { try events.filter(column.name, equals: $0).sum(value) }
    }

    /// The mean of a decimal column within each of `groups` (nil where a group has no value).
    public func mean(_ value: String, _ groups: [String]) throws -> [Double?] {
        try groups.map { try events.filter(column.name, equals: $0).mean(value) }
    }
}

/// Rows of the store: a contiguous range, or a filtered ascending list.
enum RowSet: Sendable, Sequence {
    case range(Range<Int>)
    case list([Int])

    var count: Int {
        switch self {
        case .range(let range): range.count
        case .list(let list): list.count
        }
    }

    var first: Int? {
        switch self {
        case .range(let range): range.first
        case .list(let list): list.first
        }
    }

    var last: Int? {
        switch self {
        case .range(let range): range.last
        case .list(let list): list.last
        }
    }

    func makeIterator() -> AnyIterator<Int> {
        switch self {
        case .range(let range): AnyIterator(range.makeIterator())
        case .list(let list): AnyIterator(list.makeIterator())
        }
    }
}
