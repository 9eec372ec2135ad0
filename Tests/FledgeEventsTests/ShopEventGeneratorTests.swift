import FledgeEvents
import Foundation
import Testing

/// The synthetic shop: same seed, same bytes; the files load through the event store; and the
/// behaviours the generator promises (churners decline, seasonality, baskets) are in the data.
@Suite struct ShopEventGeneratorTests {
    /// 1,500 customers over 2023: about 70k events, a second in a debug build.
    static let config = ShopGeneratorConfig(customers: 1_500, days: 365, startDate: "2023-01-01", seed: 11)
    let generator: ShopEventGenerator

    init() throws { generator = try ShopEventGenerator(config: Self.config) }

    private func withOutput<T>(_ generator: ShopEventGenerator, _ body: (URL, ShopGenerationSummary) throws -> T) throws -> T {
        let directory = URL(fileURLWithPath: temporaryPath("shop"))
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory, try generator.write(to: directory))
    }

    private func files(_ directory: URL) throws -> [Data] {
        try ["events.csv", "customers.csv", "products.csv"].map { try Data(contentsOf: directory.appendingPathComponent($0)) }
    }

    @Test func sameSeedWritesTheSameBytesAndAnotherSeedDoesNot() throws {
        var small = Self.config
        small.customers = 700  // more than one parallel block of 512
        let first = try withOutput(try ShopEventGenerator(config: small)) { directory, _ in try files(directory) }
        let again = try withOutput(try ShopEventGenerator(config: small)) { directory, _ in try files(directory) }
        #expect(first == again)
        small.seed = 12
        let other = try withOutput(try ShopEventGenerator(config: small)) { directory, _ in try files(directory) }
        #expect(first[0] != other[0] && first[1] != other[1])
        // Customer i is the same customer whatever the population size.
        #expect(try ShopEventGenerator(config: small).events(ofCustomer: 5)
                == ShopEventGenerator(config: { var c = small; c.customers = 10; return c }()).events(ofCustomer: 5))
    }

    @Test func filesFollowTheSchemaAndLoadIntoTheEventStore() throws {
        try withOutput(generator) { directory, summary in
            let text = try String(contentsOf: directory.appendingPathComponent("events.csv"), encoding: .utf8)
            let lines = text.split(separator: "\n")
            #expect(lines[0] == "customer_id,timestamp,event_type,product_id,category,price,channel")
            #expect(lines.count - 1 == summary.events && summary.events > 30_000)
            let parser = try TimestampParser(format: "yyyy-MM-dd HH:mm:ss")
            let start = try #require(parser.parse("2023-01-01 00:00:00"))
            var previous = ("", Int64.min)
            for line in lines.dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                #expect(cells.count == 7, "\(line)")
                let time = try #require(parser.parse(cells[1]), "\(line)")
                #expect(time >= start && time < start + 367 * 86_400)
                #expect(ShopEvent.Kind(rawValue: cells[2]) != nil && ShopCustomer.channels.contains(cells[6]))
                #expect(ShopCatalog.categoryNames.contains(cells[4]) && Double(cells[5])! > 0)
                if cells[0] == previous.0 { #expect(time > previous.1, "events of \(cells[0]) out of order") }
                previous = (cells[0], time)
            }
            let customers = try String(contentsOf: directory.appendingPathComponent("customers.csv"), encoding: .utf8)
            #expect(customers.hasPrefix("customer_id,signup_date,region,age_band\n"))
            let products = try String(contentsOf: directory.appendingPathComponent("products.csv"), encoding: .utf8)
            #expect(products.hasPrefix("product_id,category,brand,base_price\n"))

            // Through the same readers and keys as any event data: every product and customer joins.
            var events = DataSourceConfig(eventsAt: directory.appendingPathComponent("events.csv").path,
                                          mainEntityColumn: "customer_id", dateColumn: "timestamp",
                                          dateFormat: "yyyy-MM-dd HH:mm:ss")
            events.columnTypeOverrides = ["product_id": .id]
            var productTable = DataSourceConfig()
            productTable.type = .attribute
            productTable.name = "products"
            productTable.path = directory.appendingPathComponent("products.csv").path
            productTable.joinKey = "product_id"
            var customerTable = DataSourceConfig()
            customerTable.type = .mainEntityAttribute
            customerTable.path = directory.appendingPathComponent("customers.csv").path
            customerTable.mainEntityColumn = "customer_id"
            let store = try EventStore.load([events, productTable, customerTable])
            #expect(store.eventCount == summary.events)
            #expect(store.report.unmatchedJoinKeys.values.allSatisfy { $0 == 0 })
        }
    }

    @Test func churnersDeclineThenStop() throws {
        let end = generator.startDay + Int64(Self.config.days)
        var lateWindow = 0, earlyWindow = 0, afterChurn = 0, churners = 0
        for customer in generator.customers {
            guard let churn = customer.churnDay, churn < end,
                  churn - Swift.max(customer.signupDay, generator.startDay) >= 150 else { continue }
            churners += 1
            for event in generator.events(ofCustomer: customer.index) where event.kind == .view {
                let day = event.time / 86_400
                if day >= churn { afterChurn += 1 }
                if day >= churn - 30 { lateWindow += 1 } else if day >= churn - 150 && day < churn - 120 { earlyWindow += 1 }
            }
        }
        #expect(churners > 40)
        #expect(afterChurn == 0)
        // The last 30 days run at 15-65% of normal activity (mean 40%), seasonality aside.
        #expect(Double(lateWindow) < 0.6 * Double(earlyWindow), "late \(lateWindow) vs early \(earlyWindow)")
    }

    @Test func weeklyAndYearlySeasonalityShowInPurchases() throws {
        var byWeekday = [Int](repeating: 0, count: 7), garden = [0, 0], all = [0, 0]
        for customer in generator.customers {
            for event in generator.events(ofCustomer: customer.index) where event.kind == .purchase {
                let day = event.time / 86_400
                byWeekday[Int((day + 3) % 7)] += 1  // 0 = Monday
                let month = Int((day - generator.startDay) * 12 / 365)
                let half = (3...5).contains(month) ? 0 : (8...10).contains(month) ? 1 : -1  // spring vs autumn
                guard half >= 0 else { continue }
                all[half] += 1
                if generator.catalog.category[event.product] == ShopCatalog.categoryNames.firstIndex(of: "garden")! {
                    garden[half] += 1
                }
            }
        }
        let weekend = Double(byWeekday[5] + byWeekday[6]) / 2, midweek = Double(byWeekday[1] + byWeekday[2]) / 2
        #expect(weekend > 1.15 * midweek, "\(byWeekday)")
        // Garden's share of purchases peaks in spring (its season) and falls in autumn.
        #expect(Double(garden[0]) / Double(all[0]) > 1.5 * Double(garden[1]) / Double(all[1]), "\(garden) of \(all)")
    }

    @Test func purchasesComeInBasketsOfRelatedProducts() throws {
        // How often a purchase is followed within the same session by its bundle partner, against chance.
        var partnerFollows = 0, purchases = 0
        for customer in generator.customers.prefix(500) {
            let events = generator.events(ofCustomer: customer.index).filter { $0.kind == .purchase }
            purchases += events.count
            for (a, b) in zip(events, events.dropFirst()) where b.time - a.time < 900 && b.product == a.product ^ 1 {
                partnerFollows += 1
            }
        }
        #expect(Double(partnerFollows) > 0.08 * Double(purchases), "\(partnerFollows) of \(purchases)")
    }

    @Test func badSettingsAreNamed() {
        for (change, words) in [({ (c: inout ShopGeneratorConfig) in c.customers = 0 }, "customers"),
                                ({ $0.startDate = "2023-13-01" }, "2023-13-01"),
                                ({ $0.categories = 17 }, "categories"),
                                ({ $0.churnProbability = [0.1, 2, 0.3] }, "churn probabilities")] {
            var config = Self.config
            change(&config)
            #expect { _ = try ShopEventGenerator(config: config) } throws: { String(describing: $0).contains(words) }
        }
    }
}
