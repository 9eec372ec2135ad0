import FledgeEvents
import Foundation
import Testing

/// The rows of a table in another order (what a database without ORDER BY may return).
func reordered(_ table: EventTable, _ order: [Int]) -> EventTable {
    let columns = table.columns.map { column -> RawColumn in
        switch column {
        case .decimal(let values): .decimal(order.map { values[$0] })
        case .timestamp(let values): .timestamp(order.map { values[$0] })
        case .text(let codes, let values):
            // Codes re-numbered in order of first appearance, as a reader of the reordered rows would.
            .text(codes: order.map { codes[$0] }, values: values).asTextInReadOrder()
        }
    }
    return EventTable(source: table.source, columnNames: table.columnNames, columns: columns, rowCount: table.rowCount,
                      lines: table.lines.map { lines in order.map { lines[$0] } })
}

extension RawColumn {
    /// A text column with its values re-coded in order of first appearance.
    func asTextInReadOrder() -> RawColumn {
        guard case .text(let codes, let values) = self else { return self }
        var newCode: [Int32: Int32] = [:]
        var newValues: [String] = []
        let recoded = codes.map { code -> Int32 in
            guard code >= 0 else { return -1 }
            if let known = newCode[code] { return known }
            newCode[code] = Int32(newValues.count)
            newValues.append(values[Int(code)])
            return newCode[code]!
        }
        return .text(codes: recoded, values: newValues)
    }
}

/// Every stored value of a store as text, row by row, for comparing stores.
func storeRows(_ store: EventStore) -> [String] {
    (0..<store.eventCount).map { row in
        ([String(store.timestamps[row])] + store.columns.map { column in
            column.text(at: row) ?? column.number(at: row).map { String($0) } ?? "-"
        }).joined(separator: "|")
    }
}

@Suite struct EventStoreOrderTests {
    @Test func storeAndSamplesDoNotDependOnTheOrderRowsAreRead() throws {
        let table = try CSVEventTableReader().read(clickstreamSource())
        let n = table.rowCount
        // Reversed, and an interleaving that takes every 7th row first.
        let orders = [Array((0..<n).reversed()), (0..<7).flatMap { start in Array(stride(from: start, to: n, by: 7)) }]
        let reference = try EventStore.build(events: table, source: clickstreamSource())
        #expect(reference.entityIDs == reference.entityIDs.sorted())
        #expect(reference.column(named: "event")!.vocabulary == reference.column(named: "event")!.vocabulary.sorted())
        let referenceRows = storeRows(reference)
        var churn = TargetConfig()
        churn.type = .churn
        let splits = try TemporalSplits(params: clickstreamParams(), isRecommendation: false, firstEvent: nil)
        func samples(_ store: EventStore) throws -> [SplitSample] {
            let task = try DeclarativeTarget.task(churn, store: store)
            return try SampleBuilder(store: store, splits: splits, target: task.target, seed: 3).samples(.train).samples
        }
        let referenceSamples = try samples(reference)
        for order in orders {
            let store = try EventStore.build(events: reordered(table, order), source: clickstreamSource())
            #expect(store.entityIDs == reference.entityIDs)
            #expect(store.offsets == reference.offsets)
            #expect(store.columns.map(\.vocabulary) == reference.columns.map(\.vocabulary))
            #expect(storeRows(store) == referenceRows)
            #expect(try samples(store) == referenceSamples)
        }
    }

    @Test func eventsAtTheSameSecondAreOrderedByTheirValues() throws {
        let events = EventTable(
            source: "events.csv", columnNames: ["customer_id", "ts", "event_type"],
            columns: [.text(codes: [0, 0, 0], values: ["c1"]),
                      .timestamp([day("2024-01-02"), day("2024-01-02"), day("2024-01-01")]),
                      .text(codes: [0, 1, 1], values: ["view", "purchase"])],
            rowCount: 3)
        let source = DataSourceConfig(eventsAt: "events.csv", mainEntityColumn: "customer_id", dateColumn: "ts")
        let store = try EventStore.build(events: events, source: source)
        #expect(store.events(ofEntity: 0).all.map { try! $0.text("event_type") } == ["purchase", "purchase", "view"])
    }
}
