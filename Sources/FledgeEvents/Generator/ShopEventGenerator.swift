import FledgeTensor
import Foundation

/// A seeded generator of realistic shop events: customers, a product catalogue and their view /
/// add-to-cart / purchase funnels with seasonality, baskets, price noise and churn.
///
/// ```swift
/// let generator = try ShopEventGenerator(config: ShopGeneratorConfig(customers: 10_000, days: 365, seed: 7))
/// let summary = try generator.write(to: URL(fileURLWithPath: "data/shop"))   // events.csv, customers.csv, products.csv
/// let events = generator.events(ofCustomer: 0)                               // or in memory
/// ```
/// Each customer draws from its own random stream (derived from the seed and its index), so the
/// output is the same for a seed whatever the thread count, and customer `i` is the same customer
/// whether 100 or 100,000 are generated. docs/event-generator.md describes the generative model.
public struct ShopEventGenerator: Sendable {
    /// The settings.
    public let config: ShopGeneratorConfig
    /// The products.
    public let catalog: ShopCatalog
    /// The customers, by index.
    public let customers: [ShopCustomer]
    /// The first simulated day (days since 1970-01-01).
    public let startDay: Int64
    private let calendar: ShopCalendar

    /// Draws the catalogue and the customers.
    /// - Throws: `EventsError.invalidSetup` for a setting out of range or an unparseable start date.
    public init(config: ShopGeneratorConfig) throws {
        self.config = config
        let startDay = try config.validatedStartDay()
        self.startDay = startDay
        let root = SeededGenerator(seed: config.seed)
        var catalogRandom = root.derived(stream: 0)
        let catalog = ShopCatalog(config: config, random: &catalogRandom)
        self.catalog = catalog
        customers = (0..<config.customers).map { index in
            var random = root.derived(stream: UInt64(2 * index + 1))
            return ShopCustomer(index: index, config: config, startDay: startDay, catalog: catalog, random: &random)
        }
        calendar = ShopCalendar(startDay: startDay, days: config.days, categoryCount: config.categories)
    }

    /// Every event of customer `index`, in time order.
    public func events(ofCustomer index: Int) -> [ShopEvent] {
        var sink = ShopEventArray()
        simulate(index, into: &sink)
        return sink.events
    }

    /// Writes `events.csv`, `customers.csv` and `products.csv` into `directory` (created if needed).
    ///
    /// events.csv is `customer_id,timestamp,event_type,product_id,category,price,channel` with
    /// timestamps `yyyy-MM-dd HH:mm:ss` (UTC), grouped by customer and in time order within each.
    /// Customers are simulated in parallel blocks and written in index order.
    /// - Throws: `EventsError.invalidSetup` when a file cannot be written.
    @discardableResult
    public func write(to directory: URL) throws -> ShopGenerationSummary {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw EventsError.invalidSetup("generate-events: cannot create \(directory.path): \(error.localizedDescription)")
        }
        try writeFile(directory.appendingPathComponent("products.csv"), ShopCSV.products(catalog))
        try writeFile(directory.appendingPathComponent("customers.csv"), ShopCSV.customers(customers))
        let url = directory.appendingPathComponent("events.csv")
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: url) else {
            throw EventsError.invalidSetup("generate-events: cannot write \(url.path); check the directory's permissions")
        }
        defer { try? handle.close() }
        var summary = ShopGenerationSummary(customers: customers.count, products: catalog.productCount)
        var header = ShopCSVWriter(catalog: catalog, startDay: startDay, days: config.days)
        header.appendHeader()
        try write(header.bytes, to: handle, url: url)
        // Blocks of customers generated in parallel, written in order: memory stays bounded.
        let blockSize = 512, threads = Swift.max(1, Threading.threadCount)
        var next = 0
        while next < customers.count {
            let blocks = (0..<threads).map { next + $0 * blockSize }.filter { $0 < customers.count }
            var writers = blocks.map { _ in ShopCSVWriter(catalog: catalog, startDay: startDay, days: config.days) }
            writers.withUnsafeMutableBufferPointer { buffer in
                let shared = SendableWriters(base: buffer.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: blocks.count) { block in
                    let start = blocks[block], end = Swift.min(customers.count, start + blockSize)
                    for index in start..<end { simulate(index, into: &shared.base[block]) }
                }
            }
            for writer in writers {
                summary.add(writer.counts)
                try write(writer.bytes, to: handle, url: url)
            }
            next += threads * blockSize
        }
        return summary
    }

    private func simulate<Sink: ShopEventSink>(_ index: Int, into sink: inout Sink) {
        var random = SeededGenerator(seed: config.seed).derived(stream: UInt64(2 * index + 2))
        ShopSimulation(config: config, catalog: catalog, calendar: calendar).run(customers[index], random: &random, into: &sink)
    }

    private func writeFile(_ url: URL, _ text: String) throws {
        do {
            try text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw EventsError.invalidSetup("generate-events: cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    private func write(_ bytes: [UInt8], to handle: FileHandle, url: URL) throws {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw EventsError.invalidSetup("generate-events: cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}

/// Each parallel block writes only its own element.
private struct SendableWriters: @unchecked Sendable {
    let base: UnsafeMutablePointer<ShopCSVWriter>
}

/// What `ShopEventGenerator.write` produced.
public struct ShopGenerationSummary: Sendable, Equatable, Codable {
    /// Customers written.
    public var customers: Int
    /// Products written.
    public var products: Int
    /// Events per type (`view`, `add_to_cart`, `purchase`).
    public var eventsByType: [String: Int] = [:]
    /// All events written.
    public var events: Int { eventsByType.values.reduce(0, +) }

    init(customers: Int, products: Int) {
        self.customers = customers
        self.products = products
    }

    mutating func add(_ counts: [Int]) {
        for (kind, count) in zip(ShopEvent.Kind.allCases, counts) { eventsByType[kind.rawValue, default: 0] += count }
    }
}
