import FledgeEvents
import Foundation
import Testing

/// A small shop in memory: events with a product key, a product table and a customer table.
func smallShop(dataStart: String? = nil) throws -> EventStore {
    let events = EventTable(
        source: "events.csv", columnNames: ["customer_id", "ts", "event_type", "product_id", "price"],
        columns: [
            .text(codes: [0, 1, 0, 0, 2, 1], values: ["c1", "c2", "c3"]),
            .timestamp([day("2024-01-05"), day("2024-01-03"), day("2024-01-02"), day("2024-01-09"), day("2023-12-01"), day("2024-01-04")]),
            .text(codes: [0, 0, 1, 0, 1, 1], values: ["view", "purchase"]),
            .text(codes: [0, 1, 1, 2, 0, 0], values: ["p1", "p2", "p9"]),
            .decimal([10, 20, 30, .nan, 5, 7]),
        ],
        rowCount: 6, lines: [2, 3, 4, 5, 6, 7])
    var source = DataSourceConfig(eventsAt: "events.csv", mainEntityColumn: "customer_id", dateColumn: "ts")
    source.columnTypeOverrides = ["product_id": .id]
    var productSource = DataSourceConfig()
    productSource.type = .attribute
    productSource.name = "products"
    productSource.joinKey = "product_id"
    let products = EventTable(source: "products.csv", columnNames: ["product_id", "category", "price"],
                              columns: [.text(codes: [0, 1], values: ["p1", "p2"]),
                                        .text(codes: [0, 1], values: ["shoes", "hats"]), .decimal([9.5, 19.5])],
                              rowCount: 2, lines: [2, 3])
    var customerSource = DataSourceConfig()
    customerSource.type = .mainEntityAttribute
    customerSource.mainEntityColumn = "customer_id"
    let customers = EventTable(source: "customers.csv", columnNames: ["customer_id", "region"],
                               columns: [.text(codes: [0, 1, 2], values: ["c2", "c1", "c4"]),
                                         .text(codes: [0, 1, 1], values: ["north", "south"])],
                               rowCount: 3, lines: [2, 3, 4])
    return try EventStore.build(events: events, source: source, attributeTables: [(productSource, products)],
                                entityTable: (customerSource, customers),
                                options: EventStoreOptions(dataStart: dataStart.map(day)))
}

/// Midnight UTC of an ISO date, in seconds.
func day(_ text: String) -> Int64 { try! TimestampParser(format: "iso8601").parse(text)! }

@Suite struct EventStoreTests {
    @Test func eventsAreGroupedByEntityAndSortedByTime() throws {
        let store = try smallShop()
        #expect(store.entityIDs == ["c1", "c2", "c3"])
        #expect(store.offsets == [0, 3, 5, 6])
        let c1 = store.events(ofEntity: 0)
        #expect(c1.timestamps == [day("2024-01-02"), day("2024-01-05"), day("2024-01-09")])
        #expect(c1.all.map { try! $0.text("product_id") } == ["p2", "p1", "p9"])
        #expect(store.column(named: "product_id")?.type == .id)
        #expect(store.column(named: "event_type")?.type == .categorical)
    }

    @Test func attributeTablesAreJoinedAndCollisionsPrefixed() throws {
        let store = try smallShop()
        let c1 = store.events(ofEntity: 0).all
        #expect(c1.map { try! $0.text("category") } == ["hats", "shoes", nil])
        #expect(c1.map { try! $0.number("products.price") } == [19.5, 9.5, nil])
        #expect(store.report.unmatchedJoinKeys["products"] == 1)
        #expect(try Attributes(store: store, entity: 0).text("region") == "south")
        #expect(try Attributes(store: store, entity: 2).text("region") == nil)
        #expect(store.report.entitiesWithoutEvents == 1)
    }

    @Test func eventsBeforeDataStartAreSkippedAndCounted() throws {
        let store = try smallShop(dataStart: "2024-01-01")
        #expect(store.report.eventsBeforeDataStart == 1)
        #expect(store.entityIDs == ["c1", "c2"])
        #expect(store.report.lines.first == "skipped 1 of 6 events dated before data_start_date")
    }

    @Test func clickstreamLoadsAsSortedHistories() throws {
        let store = try EventStore.load([clickstreamSource()])
        #expect(store.entityCount == 600)
        #expect(store.eventCount == 31_106)
        for entity in 0..<store.entityCount {
            let times = store.events(ofEntity: entity).timestamps
            #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
        }
        #expect(store.column(named: "event")?.vocabulary.count == 19)
    }

    @Test func eventsAPIAggregatesAndFilters() throws {
        let store = try smallShop()
        let c1 = store.events(ofEntity: 0, splitTimestamp: day("2024-01-05"))
        #expect(try c1.sum("price") == 40)
        #expect(try c1.mean("price") == 20)
        #expect(try c1.filter("event_type", equals: "purchase").count == 1)
        #expect(c1.nextDays(3).count == 1)
        #expect(c1.lastDays(3).count == 1)
        let grouped = try c1.groupBy("category")
        #expect(grouped.count(["hats", "shoes", "socks"]) == [1, 1, 0])
        #expect(try grouped.sum("price", ["hats", "shoes"]) == [30, 10])
        #expect(grouped.exists(["socks"]) == [false])
        #expect(c1.sum { Double($0.timestamp > day("2024-01-04") ? 1 : 0) } == 2)
        let error = #expect(throws: EventsError.self) { try c1.sum("revenue") }
        #expect(error?.description.contains("no column named \"revenue\"") == true)
    }
}
