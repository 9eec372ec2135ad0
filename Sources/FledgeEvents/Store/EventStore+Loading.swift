/// How sources become a store.
public struct EventStoreOptions: Sendable {
    /// Events before this time (seconds since 1970) are dropped and counted in the report.
    public var dataStart: Int64?
    /// Text columns with at most this many distinct values are categorical (one feature per
    /// value); more make an id column (hashed sketches). Default 64.
    public var maxCategories = 64

    /// Options with every default.
    public init(dataStart: Int64? = nil, maxCategories: Int = 64) {
        self.dataStart = dataStart
        self.maxCategories = maxCategories
    }
}

extension EventStore {
    /// Reads the sources (one `event`, optionally one `main_entity_attribute` and any `attribute`
    /// tables) with `readers` and builds the store.
    /// - Throws: `EventsError` for a missing or ambiguous event source, missing keys, bad cells.
    public static func load(_ sources: [DataSourceConfig], readers: EventTableReaders = .standard,
                            options: EventStoreOptions = EventStoreOptions()) throws -> EventStore {
        try SourceValidation.check(sources)
        let eventSource = sources.first { $0.type == .event }!
        let events = try readers.read(eventSource)
        let attributeTables = try sources.filter { $0.type == .attribute }.map { ($0, try readers.read($0)) }
        let entityTable = try sources.first { $0.type == .mainEntityAttribute }.map { ($0, try readers.read($0)) }
        return try build(events: events, source: eventSource, attributeTables: attributeTables, entityTable: entityTable,
                         options: options)
    }

    /// Builds a store from tables already read.
    public static func build(events: EventTable, source: DataSourceConfig,
                             attributeTables: [(DataSourceConfig, EventTable)] = [],
                             entityTable: (DataSourceConfig, EventTable)? = nil,
                             options: EventStoreOptions = EventStoreOptions()) throws -> EventStore {
        guard let entityName = source.mainEntityColumn, let dateName = source.dateColumn else {
            throw EventsError.invalidSetup("the event source needs main_entity_column and date_column")
        }
        guard let entityRaw = events.column(named: entityName) else {
            throw EventsError.unknownColumn(source: events.source, column: entityName, available: events.columnNames)
        }
        guard case .timestamp(let times)? = events.column(named: dateName) else {
            throw EventsError.invalidSetup("\(events.source): the reader did not return \"\(dateName)\" as timestamps")
        }
        var report = LoadReport()
        report.eventsRead = events.rowCount
        let (entityCodes, entityValues) = entityRaw.asText()
        if let row = entityCodes.firstIndex(of: -1) {
            throw EventsError.missingKey(location: events.location(ofRow: row, column: entityName), column: entityName)
        }
        // Counting sort by entity (entities sorted by id, so the store does not depend on the order
        // a reader returned the rows in), then by time within each (`EventRowOrder`).
        var counts = [Int](repeating: 0, count: entityValues.count)
        let dataStart = options.dataStart ?? Int64.min
        for row in 0..<events.rowCount where times[row] >= dataStart { counts[Int(entityCodes[row])] += 1 }
        report.eventsBeforeDataStart = events.rowCount - counts.reduce(0, +)
        var entityOfCode = [Int](repeating: -1, count: entityValues.count)
        var entityIDs: [String] = []
        var offsets = [0]
        for code in entityValues.indices.sorted(by: { entityValues[$0] < entityValues[$1] }) where counts[code] > 0 {
            entityOfCode[code] = entityIDs.count
            entityIDs.append(entityValues[code])
            offsets.append(offsets.last! + counts[code])
        }
        var next = Array(offsets.dropLast())
        var order = [Int](repeating: 0, count: offsets.last!)
        for row in 0..<events.rowCount where times[row] >= dataStart {
            let entity = entityOfCode[Int(entityCodes[row])]
            order[next[entity]] = row
            next[entity] += 1
        }
        let rowOrder = EventRowOrder(times: times, columns: zip(events.columnNames, events.columns)
            .filter { $0.0 != entityName && $0.0 != dateName }.map(\.1))
        for entity in 0..<entityIDs.count { rowOrder.sort(&order[offsets[entity]..<offsets[entity + 1]]) }
        let timestamps = order.map { times[$0] }
        var columns: [StoredColumn] = []
        for (name, raw) in zip(events.columnNames, events.columns) where name != entityName && name != dateName {
            columns.append(StoredColumn(name: name, values: ColumnStoring.store(
                raw, rows: order, override: source.columnTypeOverrides[name], maxCategories: options.maxCategories)))
        }
        for (attributeSource, table) in attributeTables {
            columns += try joined(table, source: attributeSource, events: events, order: order, existing: columns,
                                  report: &report, options: options)
        }
        let attributes = try entityTable.map { attributeSource, table in
            try entityAttributes(table, source: attributeSource, entityColumn: entityName, entityIDs: entityIDs,
                                 report: &report, options: options)
        }
        return EventStore(entityColumn: entityName, entityIDs: entityIDs, offsets: offsets, timestamps: timestamps,
                          columns: columns, attributes: attributes, report: report, source: events.source)
    }

    /// The columns of a dimension table, one value per (sorted) event, joined on `join_key`.
    private static func joined(_ table: EventTable, source: DataSourceConfig, events: EventTable, order: [Int],
                               existing: [StoredColumn], report: inout LoadReport,
                               options: EventStoreOptions) throws -> [StoredColumn] {
        guard let key = source.joinKey else {
            throw EventsError.invalidSetup("attribute source \"\(source.displayName)\" needs join_key (the column it shares with the events)")
        }
        guard let eventKey = events.column(named: key) else {
            throw EventsError.unknownColumn(source: events.source + " (join_key of \(source.displayName))", column: key,
                                            available: events.columnNames)
        }
        let rowOfValue = try keyRows(table, column: key)
        let (eventCodes, eventValues) = eventKey.asText()
        let rowOfCode = eventValues.map { rowOfValue[$0] ?? -1 }
        var unmatched = 0
        let rows = order.map { row -> Int in
            let code = eventCodes[row]
            let match = code < 0 ? -1 : rowOfCode[Int(code)]
            if match < 0 { unmatched += 1 }
            return match
        }
        report.unmatchedJoinKeys[source.displayName] = unmatched
        let taken = Set(existing.map(\.name) + [events.columnNames].flatMap { $0 })
        return zip(table.columnNames, table.columns).filter { $0.0 != key }.map { name, raw in
            StoredColumn(name: taken.contains(name) ? "\(source.displayName).\(name)" : name,
                         values: ColumnStoring.store(raw, rows: rows, override: source.columnTypeOverrides[name],
                                                     maxCategories: options.maxCategories))
        }
    }

    private static func entityAttributes(_ table: EventTable, source: DataSourceConfig, entityColumn: String,
                                         entityIDs: [String], report: inout LoadReport,
                                         options: EventStoreOptions) throws -> EntityAttributes {
        let key = source.mainEntityColumn ?? entityColumn
        let rowOfValue = try keyRows(table, column: key)
        let rows = entityIDs.map { rowOfValue[$0] ?? -1 }
        report.entitiesWithoutEvents = rowOfValue.count - rows.filter { $0 >= 0 }.count
        return EntityAttributes(columns: zip(table.columnNames, table.columns).filter { $0.0 != key }.map { name, raw in
            StoredColumn(name: name, values: ColumnStoring.store(raw, rows: rows, override: source.columnTypeOverrides[name],
                                                                 maxCategories: options.maxCategories))
        })
    }

    /// Key value → row of a table keyed by `column` (the first row wins for repeated keys).
    private static func keyRows(_ table: EventTable, column: String) throws -> [String: Int] {
        guard let raw = table.column(named: column) else {
            throw EventsError.unknownColumn(source: table.source, column: column, available: table.columnNames)
        }
        let (codes, values) = raw.asText()
        var rowOfCode = [Int](repeating: -1, count: values.count)
        for (row, code) in codes.enumerated() {
            guard code >= 0 else { throw EventsError.missingKey(location: table.location(ofRow: row, column: column), column: column) }
            if rowOfCode[Int(code)] < 0 { rowOfCode[Int(code)] = row }
        }
        return Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, rowOfCode[$0]) })
    }
}

/// Checks that the sources fit together before anything is read.
enum SourceValidation {
    static func check(_ sources: [DataSourceConfig]) throws {
        let eventSources = sources.filter { $0.type == .event }
        guard eventSources.count == 1 else {
            throw EventsError.invalidSetup("data_sources must have exactly one source of type event, found \(eventSources.count)")
        }
        let event = eventSources[0]
        guard event.mainEntityColumn != nil, event.dateColumn != nil else {
            throw EventsError.invalidSetup("data source \"\(event.displayName)\" (type event) needs main_entity_column and date_column")
        }
        guard sources.filter({ $0.type == .mainEntityAttribute }).count <= 1 else {
            throw EventsError.invalidSetup("data_sources has more than one main_entity_attribute source; join them into one table")
        }
        for source in sources where source.type == .attribute && source.joinKey == nil {
            throw EventsError.invalidSetup("attribute source \"\(source.displayName)\" needs join_key (the column it shares with the events)")
        }
        for source in sources where source.numQueryChunks < 1 {
            throw EventsError.invalidSetup("data source \"\(source.displayName)\": num_query_chunks is \(source.numQueryChunks); it must be at least 1")
        }
    }
}
